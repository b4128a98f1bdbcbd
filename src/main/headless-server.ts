/**
 * Headless entry (plain Node, no Electron): the runtime on the embedded SQLite store, served over
 * HTTP with the web UI. Configured by environment (see README); SIGINT/SIGTERM shut down cleanly.
 */
import { join } from 'node:path';
import type { ProcessorRegistry } from './processors/processor';
import type { JobTypeCatalog } from './runtime/create-job';
import { loadConfig, type Env } from './runtime/config';
import { openEmbeddedRuntime } from './runtime/open-embedded-runtime';
import { createProcessors } from './processors/create-processors';
import { allowedHostNames } from './server/access/host-check';
import { setUpTokens } from './server/tokens/token-setup';
import { createServer } from './server/create-server';
import { readGpuInventory } from './system/gpu-inventory';
import { APP_VERSION } from './version';

export interface HeadlessServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface HeadlessOptions {
  /** Folder of the built web UI (headless.ts passes out/renderer); none → a "not built" page. */
  readonly rendererDir?: string;
  readonly print?: (line: string) => void;
  /** The job processors; tests pass test-only ones. */
  readonly processors?: ProcessorRegistry;
  readonly catalog?: JobTypeCatalog;
}

/** The database URL without its password, for the start-up line. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

export async function startHeadless(env: Env = process.env, options: HeadlessOptions = {}): Promise<HeadlessServer> {
  const print = options.print ?? ((line: string) => console.log(line));
  const config = loadConfig(env);
  const host = env.HOST || '127.0.0.1';
  const port = env.PORT === undefined || env.PORT === '' ? 4100 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (got "${env.PORT}").`);

  // tokens first: a malformed token file stops the start before the database is opened
  const tokens = setUpTokens(config.dataDir, env.MEDIA_API_TOKEN);
  const allowedHosts = allowedHostNames(host, env.MEDIA_ALLOWED_HOSTS);
  const embedded = await openEmbeddedRuntime(config, {
    processors: options.processors ? () => options.processors! : createProcessors,
    ...(options.catalog ? { catalog: options.catalog } : {}),
    env,
  });
  const { runtime } = embedded;

  const adapters = await readGpuInventory();
  const server = await createServer({
    runtime,
    tokens: tokens.registry,
    allowedHosts,
    version: APP_VERSION,
    rendererDir: options.rendererDir ?? null,
    health: () => ({
      node: process.version,
      database: embedded.database,
      nodeId: config.nodeId,
      tools: embedded.tools
        ? { ffmpeg: { path: embedded.tools.ffmpeg.path, source: embedded.tools.ffmpeg.source, version: embedded.tools.ffmpeg.version }, ffprobe: { path: embedded.tools.ffprobe.path, source: embedded.tools.ffprobe.source, version: embedded.tools.ffprobe.version } }
        : { error: embedded.toolsError },
      encoders: { available: embedded.encoders.available, preferred: embedded.encoders.preferred, failed: embedded.encoders.failed },
      gpus: embedded.gpus().map((g) => ({ index: g.index, name: g.name, totalMb: g.totalMb, usedMb: g.usedMb })),
      adapters,
      vramBudgetMb: runtime.vramBudgetMb(),
    }),
  });
  await server.listen({ host, port });
  const address = server.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;

  print(`Media Job Control ${APP_VERSION} (headless) listening on ${url}`);
  const where = embedded.database === 'postgresql' ? `fleet node "${config.nodeId}" on PostgreSQL ${redactUrl(config.databaseUrl!)}` : `SQLite ${config.databaseFile}`;
  print(`Data: ${config.dataDir} (${where}); library: ${config.libraryPath}`);
  if (tokens.createdTokenFile) print(`Created an admin API token in ${tokens.createdTokenFile} (readable only by you). More tokens, with narrower roles: npm run token -- create --name NAME --role read|operate|admin`);
  else if (env.MEDIA_API_TOKEN) print('API token: the one in MEDIA_API_TOKEN (admin), and those of npm run token -- list.');
  else print(`API tokens: the first one in ${tokens.tokenFile ?? join(config.dataDir, 'api-token')}; npm run token -- list shows them all.`);
  print(allowedHosts ? `Answers for the hosts ${[...allowedHosts].join(', ')} (MEDIA_ALLOWED_HOSTS adds names).` : 'Answers for any host name (set MEDIA_ALLOWED_HOSTS to restrict it).');

  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= (async () => {
        await server.close();
        await embedded.close();
      })();
      return closing;
    },
  };
}

/** Runs until SIGINT/SIGTERM, then shuts down gracefully. */
export async function runHeadless(options: HeadlessOptions = {}): Promise<void> {
  try {
    const server = await startHeadless(process.env, options);
    const stop = (signal: string) => {
      console.log(`${signal} received: stopping (running jobs go back to the queue).`);
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('Shutdown failed:', error);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  } catch (error) {
    console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
