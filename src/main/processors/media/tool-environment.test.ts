import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleNvidiaSmi } from '../../system/nvidia-smi';
import { parseEnvLines, PLANTED_SECRETS, withPlantedSecrets } from '../../system/testing/secret-environment';
import { chooseDetector } from '../analysis/video-analysis';
import { probeToolVersion } from './tool-discovery';

// The execFile sites outside the process runner, each run against a fake tool (a shell script
// that writes its environment to a file, then answers like the real one).
const dir = mkdtempSync(join(tmpdir(), 'tool-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeTool(name: string, answer: string): { path: string; seen: () => Map<string, string> } {
  const path = join(dir, name);
  const envFile = join(dir, `${name}.env`);
  writeFileSync(path, `#!/bin/sh\nenv > '${envFile}'\nprintf '%s\\n' '${answer}'\n`);
  chmodSync(path, 0o700);
  return { path, seen: () => parseEnvLines(readFileSync(envFile, 'utf8').split('\n')) };
}

function expectNoSecrets(seen: Map<string, string>): void {
  for (const name of Object.keys(PLANTED_SECRETS)) expect(seen.has(name), name).toBe(false);
  expect(seen.get('PATH')).toBe(process.env.PATH);
}

describe('tools started with execFile get no secrets', () => {
  it('the -version probe of tool discovery', async () => {
    const tool = fakeTool('ffmpeg', 'ffmpeg version 9.9-fake');
    expect(await withPlantedSecrets(() => probeToolVersion(tool.path))).toBe('9.9-fake');
    expectNoSecrets(tool.seen());
  });

  it('the filter check of video analysis', async () => {
    const tool = fakeTool('ffmpeg-filters', ' ... scdet             V->V       Detect video scene change');
    expect(await withPlantedSecrets(() => chooseDetector(tool.path))).toBe('scdet');
    expectNoSecrets(tool.seen());
  });

  it('the nvidia-smi sampler', async () => {
    const tool = fakeTool('nvidia-smi', '0, Fake GPU, 8192, 100, 5, 40');
    expect(await withPlantedSecrets(() => sampleNvidiaSmi(tool.path))).toEqual([
      { index: 0, name: 'Fake GPU', totalMb: 8192, usedMb: 100, utilizationPercent: 5, temperatureC: 40 },
    ]);
    expectNoSecrets(tool.seen());
  });
});
