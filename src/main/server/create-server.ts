/**
 * The headless HTTP server: REST routes generated from the operations table, access control
 * decided by the matched route (see access/route-access.ts), SSE, /metrics, the OpenAPI document,
 * /api/health, token management and the built web UI at /. Never imports electron.
 */
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/contracts/errors';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/content-security-policy';
import type { Runtime } from '../runtime/create-runtime';
import { allowedHostNames } from './access/host-check';
import { installAccessControl, registerWithAccess, type DeclaredRoute } from './access/route-access';
import { EventJournal } from './event-journal';
import { EventTickets } from './event-tickets';
import { registerEventsRoute, type EventStreamOptions } from './events-route';
import { errorHandler, sendError } from './http-errors';
import { createMetrics } from './metrics';
import { buildOpenApiDocument } from './openapi';
import { registerOperationRoutes } from './operation-routes';
import type { TokenRegistry } from './tokens/token-registry';
import { registerTokenRoutes } from './tokens/token-routes';

export interface ServerOptions {
  readonly runtime: Runtime;
  readonly tokens: TokenRegistry;
  readonly version: string;
  /** Reported by /api/health (tools, database kind …). */
  readonly health: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Folder of the built renderer (index.html); null or missing → a short "not built" page. */
  readonly rendererDir?: string | null;
  readonly bodyLimitBytes?: number;
  readonly logger?: boolean;
  /** Host names served (DNS-rebinding guard); by default those of a server bound to loopback. */
  readonly allowedHosts?: ReadonlySet<string> | null;
  /** Told of every route with its declared access as it is registered (OpenAPI and auth-matrix tests). */
  readonly onRoute?: (route: DeclaredRoute) => void;
  /** The event stream's timings (tests); its defaults otherwise. */
  readonly eventStream?: EventStreamOptions;
  /** Told each time a route's handler is about to run (the auth matrix proves refused requests never get there). */
  readonly onHandler?: (route: { method: string; url: string }) => void;
}

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { runtime, tokens } = options;
  const app = Fastify({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024, logger: options.logger ?? false, return503OnClosing: true });
  app.setErrorHandler(errorHandler);

  const tickets = new EventTickets();
  installAccessControl(app, {
    tokens,
    redeemTicket: (ticket) => tickets.redeem(ticket),
    allowedHosts: options.allowedHosts === undefined ? allowedHostNames('127.0.0.1', undefined) : options.allowedHosts,
    ...(options.onRoute ? { onRoute: options.onRoute } : {}),
  });
  if (options.onHandler) {
    const told = options.onHandler;
    app.addHook('preHandler', async (request) => {
      if (!request.is404) told({ method: request.method, url: request.routeOptions.url ?? request.url });
    });
  }

  // JSON bodies: an empty body is no body (curl -X POST with a JSON content type), malformed JSON is a 400
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AppError('VALIDATION_FAILED', 'The body is not valid JSON.'), undefined);
    }
  });

  const journal = new EventJournal();
  const metrics = createMetrics(runtime);
  const unsubscribe = runtime.subscribe((event) => journal.append(event));
  app.addHook('onClose', async () => {
    unsubscribe();
    metrics.close();
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    return payload;
  });

  const openApi = buildOpenApiDocument(options.version);
  const publicRoute = { config: { access: 'public' as const } };
  const readRoute = { config: { access: 'read' as const } };
  app.get('/api/health', publicRoute, async () => ({ status: 'ok', version: options.version, ...(await options.health()) }));
  app.get('/api/openapi.json', publicRoute, async () => openApi);
  app.get('/metrics', readRoute, async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  app.post('/api/media/events/ticket', readRoute, async (request) => tickets.issue(request.caller!));
  registerEventsRoute(app, journal, options.eventStream);
  registerOperationRoutes(app, runtime);
  registerTokenRoutes(app, tokens);
  await registerWebUi(app, options.rendererDir ?? null);
  return app;
}

const NOT_BUILT_PAGE = '<!doctype html><title>Media Job Control</title><p>The web UI is not built. Run <code>npm run build</code>, then restart.</p>';

async function registerWebUi(app: FastifyInstance, rendererDir: string | null): Promise<void> {
  const built = rendererDir !== null && existsSync(join(rendererDir, 'index.html'));
  // the UI's files are public (the page asks for a token before it shows anything)
  if (built) await registerWithAccess(app, 'public', async (ui) => ui.register(fastifyStatic, { root: rendererDir, prefix: '/', wildcard: false, index: ['index.html'] }));
  // the UI routes by URL hash, so there is no page behind any other path: everything unmatched is a 404
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (!built && request.method === 'GET' && (path === '/' || path === '/index.html')) return reply.type('text/html').send(NOT_BUILT_PAGE);
    return sendError(reply, new AppError('NOT_FOUND', `No route ${request.method} ${path.slice(0, 200)}.`));
  });
}
