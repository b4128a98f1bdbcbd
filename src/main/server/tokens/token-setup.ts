/**
 * The tokens a headless server starts with: `<dataDir>/api-tokens.json` and MEDIA_API_TOKEN. When
 * neither holds a token, the first start makes an admin token and writes it, in clear, to
 * `<dataDir>/api-token` (mode 0600, the only place it exists in clear).
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTokenFile } from './token-file';
import { TokenRegistry } from './token-registry';

export interface TokenSetup {
  readonly registry: TokenRegistry;
  /** Where a generated token was written, when this start made one. */
  readonly createdTokenFile: string | null;
  /** Where the user finds the first token (the generated file), or null when there is none. */
  readonly tokenFile: string | null;
}

export const tokenFilePaths = (dataDir: string) => ({ hashes: join(dataDir, 'api-tokens.json'), clear: join(dataDir, 'api-token') });

export function setUpTokens(dataDir: string, envToken: string | undefined, logger?: Pick<Console, 'error'>): TokenSetup {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { hashes, clear } = tokenFilePaths(dataDir);
  let created: string | null = null;
  if (readTokenFile(hashes).length === 0 && !envToken) {
    const registry = new TokenRegistry(hashes, undefined, logger);
    const { token } = registry.create('first-start', 'admin');
    writeFileSync(clear, `${token}\n`, { mode: 0o600 });
    chmodSync(clear, 0o600);
    created = clear;
  }
  return {
    registry: new TokenRegistry(hashes, envToken, logger),
    createdTokenFile: created,
    tokenFile: existsSync(clear) ? clear : null,
  };
}
