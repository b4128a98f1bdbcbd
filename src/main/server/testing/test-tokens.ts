/** A token registry on a fresh temporary file, with `adminToken` accepted as MEDIA_API_TOKEN is. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenRegistry } from '../tokens/token-registry';

export function testTokenRegistry(adminToken: string): TokenRegistry {
  return new TokenRegistry(join(mkdtempSync(join(tmpdir(), 'mjc-tokens-')), 'api-tokens.json'), adminToken);
}
