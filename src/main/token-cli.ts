/**
 * `npm run token -- <command>`: manage the API tokens of this machine's data folder
 * (MEDIA_DATA_DIR or the default), the same file a running server reads, so a change takes effect
 * at its next request.
 *
 *   npm run token -- create --name grafana --role read     prints the new token once
 *   npm run token -- list                                   names, roles, dates (never a secret)
 *   npm run token -- revoke grafana                         refused from the next request on
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { roleSchema } from '../shared/contracts/access';
import { isAppError } from '../shared/contracts/errors';
import { defaultDataDir, type Env } from './runtime/config';
import { nodeVersionProblem } from './node-version';
import { TokenRegistry, type TokenView } from './server/tokens/token-registry';
import { tokenFilePaths } from './server/tokens/token-setup';

const USAGE = `Usage: npm run token -- create --name NAME --role read|operate|admin
       npm run token -- list
       npm run token -- revoke NAME
Roles: read (GET routes, events, metrics), operate (plus creating and acting on jobs, pausing the queue), admin (plus tokens and settings).
Tokens live in MEDIA_DATA_DIR/api-tokens.json (hashed).`;

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

function table(tokens: readonly TokenView[]): string[] {
  if (tokens.length === 0) return ['No tokens.'];
  const rows = tokens.map((t) => [t.name, t.role, t.createdAt, t.revokedAt ? `revoked ${t.revokedAt}` : 'active']);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['NAME', 'ROLE', 'CREATED'][i]!.length));
  const line = (r: readonly string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ');
  return [line(['NAME', 'ROLE', 'CREATED', 'STATE']), ...rows.map(line)];
}

/** Runs one command; returns the exit code. */
export function runTokenCli(argv: readonly string[], env: Env, io: CliIo): number {
  const problem = nodeVersionProblem();
  if (problem) {
    io.err(problem);
    return 1;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { name: { type: 'string' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === undefined) {
    (parsed.values.help ? io.out : io.err)(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const file = tokenFilePaths(env.MEDIA_DATA_DIR || defaultDataDir(env)).hashes;
  try {
    const registry = new TokenRegistry(file, undefined);
    switch (command) {
      case 'create': {
        const role = roleSchema.safeParse(parsed.values.role);
        if (!parsed.values.name || !role.success) {
          io.err(`create needs --name NAME and --role read|operate|admin.\n${USAGE}`);
          return 2;
        }
        const { token, record } = registry.create(parsed.values.name, role.data);
        io.out(token);
        io.err(`Created token "${record.name}" (${record.role}) in ${file}. It is shown this once; keep it somewhere safe.`);
        return 0;
      }
      case 'list':
        for (const line of table(registry.list())) io.out(line);
        return 0;
      case 'revoke': {
        const name = rest[0] ?? parsed.values.name;
        if (!name) {
          io.err(`revoke needs the token's name.\n${USAGE}`);
          return 2;
        }
        registry.revoke(name);
        io.err(`Revoked token "${name}": it is refused from the next request on.`);
        return 0;
      }
      default:
        io.err(`Unknown command "${command}".\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    io.err(isAppError(error) || error instanceof Error ? error.message : String(error));
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  process.exitCode = runTokenCli(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) });
}
