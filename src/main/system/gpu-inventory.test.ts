import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGpuInventory } from './gpu-inventory';
import { parseEnvLines, PLANTED_SECRETS, PRINT_ENV_SCRIPT, withPlantedSecrets } from './testing/secret-environment';

const dir = mkdtempSync(join(tmpdir(), 'gpu-inventory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for systeminformation whose graphics() starts a real child (as it does with nvidia-smi) and reports what it saw. */
function fakeSysteminformation(): string {
  const file = join(dir, 'fake-si.cjs');
  writeFileSync(
    file,
    `const { execFileSync } = require('node:child_process');
exports.graphics = async () => {
  const env = execFileSync(process.execPath, ['-e', ${JSON.stringify(PRINT_ENV_SCRIPT)}], { encoding: 'utf8' });
  return { controllers: [{ vendor: 'Fake', model: env, vram: 8192, bus: 'PCI' }] };
};`,
  );
  return file;
}

describe('readGpuInventory', () => {
  it('reads the adapters of this machine (an array, empty without a GPU)', async () => {
    const adapters = await readGpuInventory();
    expect(Array.isArray(adapters)).toBe(true);
    for (const a of adapters) expect(typeof a.model).toBe('string');
  }, 30_000);

  it('runs systeminformation in a thread whose child processes get none of our secrets', async () => {
    const adapters = await withPlantedSecrets(() => readGpuInventory({ systeminformationPath: fakeSysteminformation() }));
    expect(adapters).toHaveLength(1);
    expect(adapters[0]).toMatchObject({ vendor: 'Fake', vramMb: 8192, bus: 'PCI' });
    const seen = parseEnvLines(adapters[0]!.model.split('\n'));
    for (const name of Object.keys(PLANTED_SECRETS)) expect(seen.has(name), name).toBe(false);
    expect(seen.get('PATH')).toBe(process.env.PATH);
  });

  it('gives [] when the inventory fails or takes too long', async () => {
    expect(await readGpuInventory({ systeminformationPath: join(dir, 'missing.cjs') })).toEqual([]);
    expect(await readGpuInventory({ timeoutMs: 1 })).toEqual([]);
  });
});
