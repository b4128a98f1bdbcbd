/**
 * `<dataDir>/api-tokens.json`: the API tokens, stored as SHA-256 hashes with a name and a role.
 * The file is validated whenever it is read (a malformed file stops the start with a message that
 * names it) and replaced atomically when written (temporary file + rename, mode 0600), so the
 * server, which re-reads it when it changes, never sees half a file.
 *
 * Files written before tokens had names hold `{sha256, role: 'SUPER_ADMIN', createdAt, label}`:
 * they are read as admin tokens named after their label ("first start") and left as they are
 * until a token is created or revoked.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { roleSchema } from '../../../shared/contracts/access';

/** Names are shown in job records and logs and typed on command lines: keep them plain. */
export const tokenNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a token name is 1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit');

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hash in hex');
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

export const tokenRecordSchema = z.strictObject({
  id: z.string().min(1),
  name: tokenNameSchema,
  role: roleSchema,
  sha256: sha256Hex,
  createdAt: isoDate,
  revokedAt: isoDate.nullable().default(null),
});
export type TokenRecord = z.infer<typeof tokenRecordSchema>;

/** A record of the first version of the file (one SUPER_ADMIN token per record, no name). */
const legacyRecordSchema = z.strictObject({
  sha256: sha256Hex,
  role: z.literal('SUPER_ADMIN'),
  createdAt: isoDate,
  label: z.string(),
});

const fileSchema = z.array(z.union([tokenRecordSchema, legacyRecordSchema]));

function upgrade(record: z.infer<typeof fileSchema>[number], index: number): TokenRecord {
  if ('id' in record) return record;
  const name = tokenNameSchema.safeParse(record.label.trim().replace(/\s+/g, '-')).data ?? `admin-${index + 1}`;
  return { id: `legacy-${record.sha256.slice(0, 12)}`, name, role: 'admin', sha256: record.sha256, createdAt: record.createdAt, revokedAt: null };
}

export class TokenFileError extends Error {
  constructor(readonly file: string, why: string) {
    super(`The token file ${file} is not valid (${why}). Fix or remove it (removing it makes a new admin token at the next start).`);
    this.name = 'TokenFileError';
  }
}

export function readTokenFile(file: string): TokenRecord[] {
  if (!existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TokenFileError(file, error instanceof SyntaxError ? `not JSON: ${error.message}` : String(error));
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TokenFileError(file, `${issue.path.length ? `at ${issue.path.join('.')}: ` : ''}${issue.message}`);
  }
  return parsed.data.map(upgrade);
}

export function writeTokenFile(file: string, records: readonly TokenRecord[]): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600); // the mode of writeFileSync is filtered by the umask
  renameSync(temporary, file);
}
