/**
 * The Electron fuses that electron-builder flips in the packaged binary (electron-builder.yml,
 * `electronFuses`). Dropping or mistyping one there silently ships a weaker app, so this test
 * reads the file and requires each value. The expected object is typed with electron-builder's
 * own option type, so a misspelt fuse name fails the type check too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';

type Fuses = Required<Omit<NonNullable<Configuration['electronFuses']>, 'resetAdHocDarwinSignature'>>;

const EXPECTED: Fuses = {
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a plain Node interpreter
  runAsNode: false,
  // NODE_OPTIONS / NODE_EXTRA_CA_CERTS could inject code or certificates into the main process
  enableNodeOptionsEnvironmentVariable: false,
  // --inspect / SIGUSR1 would open a debugger on the main process
  enableNodeCliInspectArguments: false,
  // app.asar is checked against its hash (macOS and Windows) and is the only place code loads from
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  enableCookieEncryption: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  // the window loads app://renderer/, so file:// needs no privileges beyond a browser's
  grantFileProtocolExtraPrivileges: false,
};

/**
 * Reads the `electronFuses:` block of a YAML file: a top-level key followed by indented
 * `name: true|false` lines. Anything else inside the block is an error, not silently skipped.
 */
function readFuseBlock(yaml: string): Record<string, boolean> {
  const lines = yaml.split(/\r?\n/);
  const starts = lines.flatMap((line, index) => (/^electronFuses:\s*(?:#.*)?$/.test(line) ? [index] : []));
  if (starts.length !== 1) throw new Error(`expected one top-level electronFuses block, found ${starts.length}`);
  const fuses: Record<string, boolean> = {};
  for (const line of lines.slice(starts[0]! + 1)) {
    if (/^\s*(?:#.*)?$/.test(line)) continue; // blank or comment
    if (!/^\s/.test(line)) break; // the next top-level key ends the block
    const match = /^\s+([A-Za-z][A-Za-z0-9]*):\s*(true|false)\s*(?:#.*)?$/.exec(line);
    if (!match) throw new Error(`unreadable line in electronFuses: ${JSON.stringify(line)}`);
    if (match[1]! in fuses) throw new Error(`fuse ${match[1]} set twice`);
    fuses[match[1]!] = match[2] === 'true';
  }
  return fuses;
}

describe('Electron fuses at packaging', () => {
  const yaml = readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8');

  it('flips every fuse of electron-builder.yml as required', () => {
    expect(readFuseBlock(yaml)).toEqual(EXPECTED);
  });

  it.each(Object.entries(EXPECTED))('%s is %s', (name, value) => {
    expect(readFuseBlock(yaml)[name]).toBe(value);
  });

  it('reads the block strictly', () => {
    expect(readFuseBlock('a: 1\nelectronFuses:\n  runAsNode: false # no\n\n  # note\n  onlyLoadAppFromAsar: true\nlinux:\n  x: true\n')).toEqual({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
    });
    expect(() => readFuseBlock('electronFuses:\n  runAsNode: no\n')).toThrow(/unreadable/);
    expect(() => readFuseBlock('electronFuses:\n  runAsNode: false\n  runAsNode: true\n')).toThrow(/twice/);
    expect(() => readFuseBlock('linux:\n  x: true\n')).toThrow(/found 0/);
  });
});
