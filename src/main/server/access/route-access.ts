/**
 * Access control decided by the route the router matched, never by the text of the URL: every
 * route declares its access (public, or the least role it needs) in its `config` where it is
 * registered, and a route without a declaration cannot be registered (the server does not start).
 * The check runs in onRequest, before the body is read and before any handler: the Host header
 * first (DNS rebinding), then the bearer token (or, on the event stream alone, a one-time
 * ticket), then the role. An unmatched request goes to the not-found handler, which runs nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, roleAllows, type Access, type Caller } from '../../../shared/contracts/access';
import { AppError } from '../../../shared/contracts/errors';
import { sendError } from '../http-errors';
import type { TokenVerifier } from '../tokens/token-registry';
import { hostAllowed } from './host-check';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: 'public' or the least role. Required on every route. */
    access?: Access;
    /** The event stream also accepts a one-time `?ticket=` (browsers' EventSource sends no header). */
    eventTicket?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling, once access control let the request through (null on public routes). */
    caller: Caller | null;
  }
  interface FastifyInstance {
    /** Access of the routes a plugin scope registers without declaring one (the static UI files). */
    scopeAccess?: Access;
  }
}

export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
  readonly eventTicket: boolean;
}

export interface AccessControlOptions {
  readonly tokens: TokenVerifier;
  /** Redeems an event-stream ticket once: who it was issued to, or null. */
  readonly redeemTicket: (ticket: string) => Caller | null;
  /** Host names served; null serves any (see host-check.ts). */
  readonly allowedHosts: ReadonlySet<string> | null;
  /** Told of every route with its access, as it is registered (the auth matrix is generated from it). */
  readonly onRoute?: (route: DeclaredRoute) => void;
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** Registers routes in a scope whose undeclared routes get `access` (for plugins that register routes themselves). */
export async function registerWithAccess(app: FastifyInstance, access: Access, register: (scope: FastifyInstance) => Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    scope.decorate('scopeAccess', access);
    await register(scope);
  });
}

function unauthorized(reply: FastifyReply, presented: boolean): FastifyReply {
  reply.header('www-authenticate', 'Bearer');
  return sendError(reply, new AppError('UNAUTHORIZED', presented ? 'The bearer token is not valid.' : 'Send Authorization: Bearer <token>.'));
}

function ticketOf(request: FastifyRequest): string | null {
  const ticket = (request.query as Record<string, unknown> | undefined)?.ticket;
  return typeof ticket === 'string' && ticket !== '' ? ticket : null;
}

export function installAccessControl(app: FastifyInstance, options: AccessControlOptions): void {
  app.decorateRequest('caller', null);

  app.addHook('onRoute', function declare(this: FastifyInstance, route) {
    const access = route.config?.access ?? this.scopeAccess;
    const methods = [route.method].flat().join(',');
    if (access === undefined) throw new Error(`Route ${methods} ${route.url} declares no access (config.access: 'public' | 'read' | 'operate' | 'admin').`);
    route.config = { ...route.config, access };
    for (const method of [route.method].flat()) options.onRoute?.({ method, url: route.url, access, eventTicket: route.config.eventTicket === true });
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!hostAllowed(request.headers.host, options.allowedHosts)) {
      return sendError(reply, new AppError('HOST_NOT_ALLOWED', `This server does not answer for the host "${request.headers.host ?? ''}". Use localhost, or list the name in MEDIA_ALLOWED_HOSTS.`));
    }
    if (request.is404) return; // the not-found handler answers 404 and runs nothing else
    const { access, eventTicket } = request.routeOptions.config;
    if (access === undefined) return sendError(reply, new AppError('FORBIDDEN', 'This route declares no access and is closed.')); // unreachable: registration refuses it
    if (access === 'public') return;

    const token = bearerToken(request.headers.authorization);
    const ticket = eventTicket && !token ? ticketOf(request) : null;
    const caller = token ? options.tokens.verify(token) : ticket ? options.redeemTicket(ticket) : null;
    if (!caller) return unauthorized(reply, token !== null || ticket !== null);
    if (!roleAllows(caller.role, access)) return sendError(reply, forbidden(caller, access));
    request.caller = caller;
  });
}
