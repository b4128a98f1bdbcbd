import { describe, expect, it } from 'vitest';
import { decideBuild, isBuildInput, lockIsAbandoned, REQUIRED_OUTPUTS } from './build-decision.mjs';

const built = (mtimeMs: number) => REQUIRED_OUTPUTS.map((path) => ({ path, mtimeMs }));
const inputs = [
  { path: 'src/main/headless.ts', mtimeMs: 1_000 },
  { path: 'src/renderer/src/App.tsx', mtimeMs: 2_000 },
  { path: 'package.json', mtimeMs: 500 },
];

describe('build decision', () => {
  it('builds on a fresh clone (no out/) and when any required output is missing', () => {
    expect(decideBuild({ outputs: REQUIRED_OUTPUTS.map((path) => ({ path, mtimeMs: null })), stampMs: null, inputs })).toEqual({ build: true, reason: 'out/main/headless.js is missing' });
    const noUi = built(5_000).map((o) => (o.path === 'out/renderer/index.html' ? { ...o, mtimeMs: null } : o));
    expect(decideBuild({ outputs: noUi, stampMs: 5_000, inputs })).toEqual({ build: true, reason: 'out/renderer/index.html is missing' });
  });

  it('does not rebuild a build newer than every input', () => {
    expect(decideBuild({ outputs: built(3_000), stampMs: 2_500, inputs })).toEqual({ build: false });
    expect(decideBuild({ outputs: built(3_000), stampMs: null, inputs })).toEqual({ build: false }); // built by `npm run build`
  });

  it('rebuilds when a source or a build configuration file changed after the build started', () => {
    expect(decideBuild({ outputs: built(2_500), stampMs: 1_500, inputs })).toEqual({ build: false });
    expect(decideBuild({ outputs: built(1_800), stampMs: 1_500, inputs })).toEqual({ build: true, reason: 'src/renderer/src/App.tsx changed since the last build' });
    const config = [...inputs, { path: 'electron.vite.config.ts', mtimeMs: 9_000 }];
    expect(decideBuild({ outputs: built(3_000), stampMs: 3_000, inputs: config })).toEqual({ build: true, reason: 'electron.vite.config.ts changed since the last build' });
  });

  it('counts a file saved during a build as newer than that build (the stamp is its start)', () => {
    // the build started at 1 500 and wrote its outputs at 4 000; App.tsx was saved at 2 000, meanwhile
    expect(decideBuild({ outputs: built(4_000), stampMs: 1_500, inputs }).build).toBe(false); // outputs newer: a later build wrote them
    // the same build through this script: its outputs are the stamp's build
    expect(decideBuild({ outputs: built(1_400), stampMs: 1_500, inputs })).toEqual({ build: true, reason: 'src/renderer/src/App.tsx changed since the last build' });
  });

  it('ignores tests: they never reach the build', () => {
    const withTest = [...inputs, { path: 'src/main/server/x.test.ts', mtimeMs: 9_000 }, { path: 'src/renderer/src/y.test.tsx', mtimeMs: 9_000 }];
    expect(decideBuild({ outputs: built(3_000), stampMs: 3_000, inputs: withTest })).toEqual({ build: false });
    expect(isBuildInput('src/main/server/x.test.ts')).toBe(false);
    expect(isBuildInput('src/main/server/testing/helper.ts')).toBe(true);
  });

  it('takes over a build lock only when its owner is gone or it is older than any build', () => {
    expect(lockIsAbandoned({ ownerAlive: true, ageMs: 60_000 })).toBe(false);
    expect(lockIsAbandoned({ ownerAlive: false, ageMs: 10 })).toBe(true);
    expect(lockIsAbandoned({ ownerAlive: true, ageMs: 16 * 60_000 })).toBe(true);
  });
});
