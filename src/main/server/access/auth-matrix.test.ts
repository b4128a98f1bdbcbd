/**
 * The auth matrix, generated from the routes the server really registers (never hand-listed):
 * every route × {no token, wrong token, a token one role too small} and × spellings of its path
 * that a URL-text check would miss (percent-encoded letters, upper case, doubled slashes, a
 * trailing slash) is refused with 401/403/404 before its handler runs; every route × a token of
 * exactly the role it declares is let through. A route added later is in the matrix by itself.
 */
import type { FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, roleBelow, type Access, type Role } from '../../../shared/contracts/access';
import { startTestRuntime, type TestRuntime } from '../../runtime/testing/test-runtime';
import { createServer } from '../create-server';
import { rawRequest, type RawRequest } from '../testing/raw-request';
import { TokenRegistry } from '../tokens/token-registry';
import { installAccessControl, type DeclaredRoute } from './route-access';

const ADMIN_ENV_TOKEN = 'matrix-env-admin-token-0123456789';
let t: TestRuntime;
let app: FastifyInstance;
let url: string;
const routes: DeclaredRoute[] = [];
const tokenOf = {} as Record<Role, string>;
let handlersRun = 0;
let executions = 0;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mjc-matrix-'));
  // a built web UI, so its static routes are in the matrix too
  const ui = join(dir, 'renderer');
  mkdirSync(join(ui, 'assets'), { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)');
  const tokens = new TokenRegistry(join(dir, 'api-tokens.json'), ADMIN_ENV_TOKEN);
  for (const role of ROLES) tokenOf[role] = tokens.create(`matrix-${role}`, role).token;

  t = await startTestRuntime();
  const execute = t.runtime.execute.bind(t.runtime);
  const counted = new Proxy(t.runtime, {
    get: (target, key) => (key === 'execute' ? (...args: Parameters<typeof execute>) => ((executions += 1), execute(...args)) : Reflect.get(target, key)),
  });
  app = await createServer({
    runtime: counted,
    tokens,
    version: 'test',
    health: () => ({}),
    rendererDir: ui,
    onRoute: (r) => routes.push(r),
    onHandler: () => (handlersRun += 1),
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

/** The route's path with its parameters filled in (ids that exist nowhere). */
function concrete(routeUrl: string): string {
  return routeUrl.replace(/:id\b/g, '3f2c6a1e-8b4d-4e2f-9a7c-5d1e0b9c4a11').replace(/:name\b/g, 'nobody');
}

/** Spellings of the same path that must not slip past access control. */
function respellings(path: string): { how: string; path: string }[] {
  const out: { how: string; path: string }[] = [];
  const segments = path.split('/');
  segments.forEach((segment, i) => {
    const at = segment.search(/[a-z]/i);
    if (at < 0 || /^[0-9a-f-]{36}$/.test(segment)) return;
    const encoded = [...segments];
    encoded[i] = `${segment.slice(0, at)}%${segment.charCodeAt(at).toString(16).toUpperCase()}${segment.slice(at + 1)}`;
    out.push({ how: `percent-encoded letter in "${segment}"`, path: encoded.join('/') });
  });
  const everyLetter = path.replace(/[a-z]/gi, (c) => `%${c.charCodeAt(0).toString(16)}`);
  if (everyLetter !== path) out.push({ how: 'every letter percent-encoded', path: everyLetter });
  if (path.toUpperCase() !== path) out.push({ how: 'upper case', path: path.toUpperCase() });
  out.push({ how: 'leading doubled slash', path: `/${path}` });
  if (path.indexOf('/', 1) > 0) out.push({ how: 'doubled slashes inside', path: path.replace(/\//g, '//') });
  if (!path.endsWith('/')) out.push({ how: 'trailing slash', path: `${path}/` });
  return out;
}

function send(method: string, path: string, token: string | null): Promise<{ status: number; body: any; handlerRan: boolean }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const before = { handlersRun, executions };
  const request: RawRequest = {
    method,
    path,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === 'POST' || method === 'PUT' ? { 'content-type': 'application/json' } : {}) },
    ...(method === 'POST' || method === 'PUT' ? { body: '{}' } : {}),
  };
  return rawRequest(url, request).then((r) => ({ ...r, handlerRan: handlersRun !== before.handlersRun || executions !== before.executions }));
}

const guarded = () => routes.filter((r) => r.access !== 'public');

describe('the route table', () => {
  it('has every route declared, with the operations, the non-operation routes and the static UI among them', () => {
    const keys = routes.map((r) => `${r.method} ${r.url} ${r.access}`);
    expect(keys).toContain('GET /api/media/jobs read');
    expect(keys).toContain('POST /api/media/jobs operate');
    expect(keys).toContain('POST /api/media/queue/pause operate');
    expect(keys).toContain('GET /api/fleet/nodes read');
    expect(keys).toContain('GET /metrics read');
    expect(keys).toContain('GET /api/media/events read');
    expect(keys).toContain('POST /api/auth/tokens admin');
    expect(keys).toContain('GET /api/health public');
    expect(keys).toContain('GET /api/openapi.json public');
    expect(keys).toContain('GET /assets/app.js public');
    expect(keys).toContain('HEAD /metrics read'); // the HEAD twin of a GET keeps its access
    // public are only health, the document and the UI's files
    expect(routes.filter((r) => r.access === 'public').every((r) => ['/api/health', '/api/openapi.json'].includes(r.url) || !r.url.startsWith('/api/'))).toBe(true);
  });

  it('refuses to register a route that declares no access', async () => {
    const bare = Fastify();
    installAccessControl(bare, { tokens: { verify: () => null }, redeemTicket: () => null, allowedHosts: null });
    let refused: unknown = null;
    try {
      bare.get('/api/forgotten', async () => 'open');
      await bare.ready();
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).toMatch(/GET \/api\/forgotten declares no access/);
    await bare.close().catch(() => {});
  });
});

describe('every guarded route refuses, before its handler runs', () => {
  it('no token → 401, with WWW-Authenticate', async () => {
    for (const r of guarded()) {
      const res = await send(r.method, concrete(r.url), null);
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
      expect(res.handlerRan, `${r.method} ${r.url}`).toBe(false);
      if (r.method !== 'HEAD') expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('a token that is not ours → 401', async () => {
    for (const r of guarded()) {
      const res = await send(r.method, concrete(r.url), `${tokenOf.admin}x`);
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
      expect(res.handlerRan).toBe(false);
    }
  });

  it('a token one role too small → 403 FORBIDDEN naming the role it needs', async () => {
    let checked = 0;
    for (const r of guarded()) {
      const below = roleBelow(r.access as Role);
      if (below === null) continue;
      const res = await send(r.method, concrete(r.url), tokenOf[below]);
      expect(res.status, `${r.method} ${r.url} as ${below}`).toBe(403);
      expect(res.handlerRan).toBe(false);
      if (r.method !== 'HEAD') expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { requiredRole: r.access, role: below } });
      checked += 1;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('the same path spelled otherwise (percent-encoded, upper case, doubled or trailing slashes), without a token or one role too small → 401/403/404', async () => {
    let checked = 0;
    for (const r of guarded()) {
      const below = roleBelow(r.access as Role);
      for (const variant of respellings(concrete(r.url))) {
        for (const token of [null, below ? tokenOf[below] : null]) {
          const res = await send(r.method, variant.path, token);
          expect([401, 403, 404], `${r.method} ${variant.path} (${variant.how}, ${token ? below : 'no token'}) → ${res.status}`).toContain(res.status);
          expect(res.handlerRan, `${r.method} ${variant.path}`).toBe(false);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });
});

describe('refused before the body is read', () => {
  it('a malformed or oversized JSON body without a token gets 401, not 400 or 413', async () => {
    for (const r of guarded().filter((x) => x.method === 'POST' || x.method === 'PUT')) {
      for (const body of ['{"oops', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) })]) {
        const before = handlersRun;
        const res = await rawRequest(url, { method: r.method, path: concrete(r.url), headers: { 'content-type': 'application/json' }, body });
        expect(res.status, `${r.method} ${r.url} with ${body.length} bytes`).toBe(401);
        expect(handlersRun).toBe(before);
      }
    }
  });
});

describe('every route lets its declared role through', () => {
  it('a token of exactly the declared role (none for public routes) → neither 401 nor 403, and the handler runs', async () => {
    for (const r of routes) {
      const token = r.access === 'public' ? null : tokenOf[r.access as Role];
      const res = await send(r.method, concrete(r.url), token);
      expect([401, 403], `${r.method} ${r.url} as ${r.access} → ${res.status}`).not.toContain(res.status);
      expect(res.status, `${r.method} ${r.url}`).toBeLessThan(500);
      expect(res.handlerRan, `${r.method} ${r.url}`).toBe(true);
    }
  });

  it('a higher role too (admin, and MEDIA_API_TOKEN) on every guarded route', async () => {
    for (const r of guarded()) {
      for (const token of [tokenOf.admin, ADMIN_ENV_TOKEN]) {
        const res = await send(r.method, concrete(r.url), token);
        expect([401, 403], `${r.method} ${r.url}`).not.toContain(res.status);
      }
    }
  });

  it('public routes answer without a token', async () => {
    for (const r of routes.filter((x) => x.access === ('public' satisfies Access))) {
      const res = await send(r.method, concrete(r.url), null);
      expect(res.status, `${r.method} ${r.url}`).toBe(200);
    }
  });
});

describe('the reproductions of issue #13', () => {
  it.each([
    ['GET', '/api/%6Dedia/jobs'],
    ['POST', '/api/%6Dedia/jobs?type=scan'],
    ['POST', '/api/%6Dedia/queue/pause'],
    ['GET', '/%6Detrics'],
    ['GET', '/API/MEDIA/JOBS'],
    ['GET', '/api/fleet/nodes'],
    ['GET', '//api/media/jobs'],
    ['GET', '/api/media/jobs/'],
    ['GET', '/api/media/jobs?x=/api/health'],
  ])('%s %s without a token is refused', async (method, path) => {
    const res = await send(method, path, null);
    expect([401, 404]).toContain(res.status);
    expect(res.handlerRan).toBe(false);
    expect(res.body.error?.code).toMatch(/UNAUTHORIZED|NOT_FOUND/);
  });
});
