/**
 * Tests of the child environment: puts secrets into process.env for the duration of `body`, and
 * reads a child's `NAME=value` lines back.
 */
export const PLANTED_SECRETS: Readonly<Record<string, string>> = {
  MEDIA_API_TOKEN: 'planted-api-token',
  DATABASE_URL: 'postgres://u:secret@h/db',
  PGPASSWORD: 'planted-pg-password',
  PGUSER: 'planted-pg-user',
  SOME_SERVICE_API_KEY: 'planted-api-key',
  NODE_OPTIONS: '--max-old-space-size=4096',
};

export async function withPlantedSecrets<T>(body: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(PLANTED_SECRETS).map((name) => [name, process.env[name]]));
  Object.assign(process.env, PLANTED_SECRETS);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** `NAME=value` lines (as `env` prints them) → a map; other lines are ignored. */
export function parseEnvLines(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** A Node script that prints its environment as `NAME=value` lines. */
export const PRINT_ENV_SCRIPT = "for (const [k, v] of Object.entries(process.env)) console.log(k + '=' + String(v).replace(/[\\r\\n]+/g, ' '))";
