/**
 * The headless HTTP server: REST routes generated from the operations table, bearer auth, SSE,
 * /metrics, the OpenAPI document, /api/health, and the built web UI at /. Never imports electron.
 */
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/contracts/errors';
import type { Runtime } from '../runtime/create-runtime';
import { bearerToken, type TokenStore } from './auth';
import { EventJournal } from './event-journal';
import { EventTickets } from './event-tickets';
import { registerEventsRoute } from './events-route';
import { errorHandler, sendError } from './http-errors';
import { createMetrics } from './metrics';
import { buildOpenApiDocument } from './openapi';
import { registerOperationRoutes } from './operation-routes';

export interface ServerOptions {
  readonly runtime: Runtime;
  readonly tokens: TokenStore;
  readonly version: string;
  /** Reported by /api/health (tools, database kind …). */
  readonly health: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Folder of the built renderer (index.html); null or missing → a short "not built" page. */
  readonly rendererDir?: string | null;
  readonly bodyLimitBytes?: number;
  readonly logger?: boolean;
  /** Told of every route as it is registered (the OpenAPI consistency test uses it). */
  readonly onRoute?: (route: { method: string | string[]; url: string }) => void;
}

const PROTECTED = /^\/(api\/media(\/|$)|metrics(\?|$))/;
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { runtime, tokens } = options;
  const app = Fastify({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024, logger: options.logger ?? false, return503OnClosing: true });
  app.setErrorHandler(errorHandler);
  if (options.onRoute) app.addHook('onRoute', (route) => options.onRoute!({ method: route.method, url: route.url }));

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
  const unsubscribe = runtime.subscribe((event) => {
    journal.append(event);
    metrics.observe(event);
  });
  app.addHook('onClose', async () => unsubscribe());
  const tickets = new EventTickets();

  app.addHook('onRequest', async (request, reply) => {
    if (!PROTECTED.test(request.url)) return;
    if (request.url.startsWith('/api/media/events?') && request.method === 'GET') {
      const ticket = (request.query as Record<string, string | undefined>).ticket;
      if (ticket && tickets.redeem(ticket)) return;
    }
    const token = bearerToken(request.headers.authorization);
    if (token && tokens.verify(token) === 'SUPER_ADMIN') return;
    return sendError(reply, new AppError('UNAUTHORIZED', token ? 'The bearer token is not valid.' : 'Send Authorization: Bearer <token> (SUPER_ADMIN).'));
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) reply.header('content-security-policy', CSP);
    return payload;
  });

  const openApi = buildOpenApiDocument(options.version);
  app.get('/api/health', async () => ({ status: 'ok', version: options.version, ...(await options.health()) }));
  app.get('/api/openapi.json', async () => openApi);
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  app.post('/api/media/events/ticket', async () => tickets.issue());
  registerEventsRoute(app, journal);
  registerOperationRoutes(app, runtime);
  await registerWebUi(app, options.rendererDir ?? null);
  return app;
}

async function registerWebUi(app: FastifyInstance, rendererDir: string | null): Promise<void> {
  const built = rendererDir !== null && existsSync(join(rendererDir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: rendererDir, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/metrics';
    if (!wantsPage) return sendError(reply, new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`));
    if (built) return reply.type('text/html').sendFile('index.html');
    return reply
      .type('text/html')
      .send('<!doctype html><title>Media Job Control</title><p>The web UI is not built. Run <code>npm run build</code>, then restart.</p>');
  });
}
