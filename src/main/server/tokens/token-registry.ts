/**
 * The API tokens a server accepts: the named, scoped tokens of `api-tokens.json` (hashed) and the
 * one in MEDIA_API_TOKEN (admin). The file is re-read whenever it changes on disk, so a token
 * created or revoked by `npm run token` (another process) takes effect at the next request.
 * A file that turns malformed while the server runs is refused as a whole (fail closed) until it
 * is fixed; only MEDIA_API_TOKEN keeps working meanwhile.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { statSync } from 'node:fs';
import { AppError } from '../../../shared/contracts/errors';
import type { Caller, Role } from '../../../shared/contracts/access';
import { readTokenFile, tokenNameSchema, writeTokenFile, type TokenRecord } from './token-file';

export interface TokenVerifier {
  /** Who presents this token, or null when it is not one we accept. */
  verify(token: string): Caller | null;
}

/** A token as listed: never its hash. */
export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** The name MEDIA_API_TOKEN's holder is recorded under. */
export const ENV_TOKEN_NAME = 'MEDIA_API_TOKEN';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
const view = ({ id, name, role, createdAt, revokedAt }: TokenRecord): TokenView => ({ id, name, role, createdAt, revokedAt });

/** A fresh secret; the prefix lets secret scanners recognise a leaked one. */
export function generateTokenSecret(): string {
  return `mjc_${randomBytes(32).toString('base64url')}`;
}

export class TokenRegistry implements TokenVerifier {
  private records: readonly TokenRecord[] = [];
  private active: readonly { hash: Buffer; caller: Caller }[] = [];
  private fileVersion: string | null = null;
  private readonly envHash: Buffer | null;

  constructor(
    readonly file: string,
    envToken: string | undefined,
    private readonly logger: Pick<Console, 'error'> = console,
  ) {
    this.envHash = envToken ? sha256(envToken) : null;
    this.load(); // a malformed file throws here: the start stops with the file's name
  }

  verify(token: string): Caller | null {
    if (token.length === 0 || token.length > 512) return null;
    this.reloadIfChanged();
    const presented = sha256(token);
    let caller: Caller | null = null;
    // compare against every token so the time taken does not tell which one matched
    for (const t of this.active) if (timingSafeEqual(presented, t.hash)) caller = t.caller;
    if (this.envHash && timingSafeEqual(presented, this.envHash)) caller = { name: ENV_TOKEN_NAME, role: 'admin' };
    return caller;
  }

  list(): TokenView[] {
    this.reloadIfChanged();
    return this.records.map(view);
  }

  /** Makes a token; its secret is returned here once and never stored. */
  create(name: string, role: Role, now = new Date()): { token: string; record: TokenView } {
    const parsedName = tokenNameSchema.safeParse(name);
    if (!parsedName.success) throw new AppError('VALIDATION_FAILED', `Invalid token name "${name}": ${parsedName.error.issues[0]!.message}.`, { field: 'name' });
    const records = readTokenFile(this.file);
    if (name === ENV_TOKEN_NAME || records.some((r) => r.name === name && r.revokedAt === null)) {
      throw new AppError('NAME_TAKEN', `A token named "${name}" exists already; revoke it first or pick another name.`, { name });
    }
    const token = generateTokenSecret();
    const record: TokenRecord = { id: randomUUID(), name, role, sha256: sha256(token).toString('hex'), createdAt: now.toISOString(), revokedAt: null };
    writeTokenFile(this.file, [...records, record]);
    this.load();
    return { token, record: view(record) };
  }

  /** Revokes the active token of that name; it is kept in the list (jobs still name it) as revoked. */
  revoke(name: string, now = new Date()): TokenView {
    const records = readTokenFile(this.file);
    const index = records.findIndex((r) => r.name === name && r.revokedAt === null);
    if (index < 0) throw new AppError('NOT_FOUND', `No active token named "${name}".`, { name });
    const revoked = { ...records[index]!, revokedAt: now.toISOString() };
    writeTokenFile(this.file, records.map((r, i) => (i === index ? revoked : r)));
    this.load();
    return view(revoked);
  }

  /**
   * Checked on every request (a revocation by another process counts at once). An absent file is
   * the usual case (MEDIA_API_TOKEN only): `throwIfNoEntry: false` answers it without building an
   * error and its stack, which cost ~5 % of the server's CPU under a stream of creates (bench `api`).
   */
  private versionOnDisk(): string {
    try {
      const s = statSync(this.file, { throwIfNoEntry: false });
      return s ? `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : 'absent';
    } catch {
      return 'absent';
    }
  }

  private load(): void {
    const version = this.versionOnDisk();
    this.records = readTokenFile(this.file);
    this.active = this.records.filter((r) => r.revokedAt === null).map((r) => ({ hash: Buffer.from(r.sha256, 'hex'), caller: { name: r.name, role: r.role } }));
    this.fileVersion = version;
  }

  private reloadIfChanged(): void {
    const version = this.versionOnDisk();
    if (version === this.fileVersion) return;
    try {
      this.load();
    } catch (error) {
      this.records = [];
      this.active = [];
      this.fileVersion = version;
      this.logger.error(`${error instanceof Error ? error.message : String(error)} Its tokens are refused until it is fixed.`);
    }
  }
}

