import { describe, expect, it } from 'vitest';
import { parseEnvLines, PLANTED_SECRETS, PRINT_ENV_SCRIPT, withPlantedSecrets } from '../../system/testing/secret-environment';
import { startProcess } from './process-runner';

/** Runs a real Node child through the process runner and returns the environment it saw. */
async function childSees(mode: 'pipes' | 'pty', env?: NodeJS.ProcessEnv): Promise<Map<string, string>> {
  const running = await startProcess({ command: process.execPath, args: ['-e', PRINT_ENV_SCRIPT], console: mode, ...(env ? { env } : {}) });
  const result = await running.result;
  expect(result).toMatchObject({ ok: true, mode });
  return parseEnvLines(running.console.getLines());
}

describe('the environment of a tool started by the process runner', () => {
  it.each(['pipes', 'pty'] as const)('has no secrets of ours, but PATH, HOME and the rest (%s)', async (mode) => {
    const seen = await withPlantedSecrets(async () => {
      process.env.MEDIA_TEST_PLAIN_VARIABLE = 'kept';
      try {
        return await childSees(mode);
      } finally {
        delete process.env.MEDIA_TEST_PLAIN_VARIABLE;
      }
    });
    for (const name of Object.keys(PLANTED_SECRETS)) expect(seen.has(name), name).toBe(false);
    for (const value of Object.values(PLANTED_SECRETS)) expect([...seen.values()].some((v) => v.includes(value)), value).toBe(false);
    expect(seen.get('PATH')).toBe(process.env.PATH);
    expect(seen.get('MEDIA_TEST_PLAIN_VARIABLE')).toBe('kept');
    if (process.env.HOME) expect(seen.get('HOME')).toBe(process.env.HOME);
  });

  it.each(['pipes', 'pty'] as const)('has no secrets even when the caller hands it an environment with some (%s)', async (mode) => {
    const seen = await childSees(mode, { PATH: process.env.PATH, LANG: 'C.UTF-8', ...PLANTED_SECRETS });
    for (const name of Object.keys(PLANTED_SECRETS)) expect(seen.has(name), name).toBe(false);
    expect(seen.get('PATH')).toBe(process.env.PATH);
    expect(seen.get('LANG')).toBe('C.UTF-8');
  });
});
