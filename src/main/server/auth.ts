/**
 * Bearer-token auth with the spec's SUPER_ADMIN role. Tokens are kept as SHA-256 hashes and
 * compared in constant time. MEDIA_API_TOKEN is accepted as a SUPER_ADMIN token; when none is
 * configured and none was ever made, the first start creates one and writes it to a file only the
 * user can read (the only place it exists in clear).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Role = 'SUPER_ADMIN';

export interface TokenStore {
  /** The role of a presented token, or null when it is not one of ours. */
  verify(token: string): Role | null;
}

interface TokenRecord {
  readonly sha256: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly label: string;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class HashedTokenStore implements TokenStore {
  private readonly records: { hash: Buffer; role: Role }[];

  constructor(records: readonly TokenRecord[], extraClearTokens: readonly string[] = []) {
    this.records = [
      ...records.map((r) => ({ hash: Buffer.from(r.sha256, 'hex'), role: r.role })),
      ...extraClearTokens.map((t) => ({ hash: sha256(t), role: 'SUPER_ADMIN' as const })),
    ];
  }

  verify(token: string): Role | null {
    if (token.length === 0 || token.length > 512) return null;
    const presented = sha256(token);
    let role: Role | null = null;
    // compare against every record so timing does not reveal which one matched
    for (const r of this.records) if (timingSafeEqual(presented, r.hash)) role = r.role;
    return role;
  }
}

export interface TokenSetup {
  readonly store: TokenStore;
  /** Where a generated token was written, when this start made one. */
  readonly createdTokenFile: string | null;
  /** Where the user finds a token (the generated file), or null when only MEDIA_API_TOKEN is used. */
  readonly tokenFile: string | null;
}

/** Loads `<dataDir>/api-tokens.json`; makes a first token when no token exists at all. */
export function setUpTokens(dataDir: string, envToken: string | undefined): TokenSetup {
  mkdirSync(dataDir, { recursive: true });
  const hashesFile = join(dataDir, 'api-tokens.json');
  const clearFile = join(dataDir, 'api-token');
  let records: TokenRecord[] = existsSync(hashesFile) ? (JSON.parse(readFileSync(hashesFile, 'utf8')) as TokenRecord[]) : [];
  let created: string | null = null;
  if (records.length === 0 && !envToken) {
    const token = randomBytes(32).toString('base64url');
    records = [{ sha256: sha256(token).toString('hex'), role: 'SUPER_ADMIN', createdAt: new Date().toISOString(), label: 'first start' }];
    writeFileSync(clearFile, `${token}\n`, { mode: 0o600 });
    chmodSync(clearFile, 0o600);
    writeFileSync(hashesFile, JSON.stringify(records, null, 2), { mode: 0o600 });
    created = clearFile;
  }
  return {
    store: new HashedTokenStore(records, envToken ? [envToken] : []),
    createdTokenFile: created,
    tokenFile: existsSync(clearFile) ? clearFile : null,
  };
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}
