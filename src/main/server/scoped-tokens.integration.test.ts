/**
 * Scoped tokens on the real headless server: `npm run token` (the CLI, as its own process) creates
 * a token the running server accepts at once and refuses once revoked; each role does what it may
 * and gets 403 FORBIDDEN beyond; a read token scrapes /metrics as Prometheus does; jobs and their
 * logs name the token that acted; admins manage tokens over REST; a malformed token file stops the
 * start with a message naming it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_TYPES } from '../../shared/domain/job-types';
import { startHeadless, type HeadlessServer } from '../headless-server';
import { createRegistry } from '../processors/processor';
import { scriptedProcessor } from '../processors/testing/test-processors';
import { scriptedCatalog } from '../runtime/testing/test-runtime';
import { httpClient } from './testing/http-client';

const ROOT = resolve(import.meta.dirname, '../../..');
const ADMIN = 'scoped-admin-token-0123456789abcdef';
let dir: string;
let dataDir: string;
let server: HeadlessServer;

/** `npm run token -- …` as its own process (the script runs tsx on src/main/token-cli.ts). */
function tokenCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/main/token-cli.ts'), ...args], {
    env: { ...process.env, MEDIA_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-scoped-'));
  dataDir = join(dir, 'data');
  server = await startHeadless(
    { MEDIA_DATA_DIR: dataDir, MEDIA_LIBRARY_PATH: join(dir, 'library'), PORT: '0', MEDIA_API_TOKEN: ADMIN, MEDIA_NODE_ID: 'scoped-node' },
    { print: () => {}, processors: createRegistry(JOB_TYPES.map((t) => [t, scriptedProcessor] as const)), catalog: scriptedCatalog, rendererDir: join(dir, 'no-ui') },
  );
});

afterAll(async () => {
  await server?.close();
});

describe('npm run token, against a running server', () => {
  it('creates a read token the server accepts at once, and the server refuses it once revoked', async () => {
    const created = tokenCli('create', '--name', 'grafana', '--role', 'read');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^mjc_\S+$/); // stdout is the token alone, for scripts
    expect(created.stderr).toContain('grafana');
    const grafana = httpClient(server.url, created.stdout);

    expect((await grafana('GET', '/api/media/jobs')).status).toBe(200);
    expect((await grafana('GET', '/api/auth/session')).body).toEqual({ name: 'grafana', role: 'read' });
    const refused = await grafana('POST', '/api/media/jobs', { type: 'scan', params: {} });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { requiredRole: 'operate', role: 'read' } });

    const listed = tokenCli('list');
    expect(listed.stdout).toMatch(/grafana\s+read\s+\S+\s+active/);
    expect(listed.stdout).not.toContain(created.stdout);

    const revoked = tokenCli('revoke', 'grafana');
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await grafana('GET', '/api/media/jobs');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHORIZED');
    expect(tokenCli('list').stdout).toMatch(/grafana\s+read\s+\S+\s+revoked/);
  });

  it('says what is wrong with a bad command, and exits non-zero', () => {
    expect(tokenCli('create', '--name', 'x').code).toBe(2);
    expect(tokenCli('create', '--name', 'bad name', '--role', 'read').stderr).toMatch(/Invalid token name/);
    expect(tokenCli('revoke', 'nobody').code).toBe(1);
    expect(tokenCli('frobnicate').stderr).toMatch(/Unknown command/);
  });
});

describe('roles over REST', () => {
  let operate: ReturnType<typeof httpClient>;
  let read: ReturnType<typeof httpClient>;
  const admin = () => httpClient(server.url, ADMIN);

  beforeAll(async () => {
    const made = async (name: string, role: string) => (await admin()('POST', '/api/auth/tokens', { name, role })).body.token as string;
    operate = httpClient(server.url, await made('ci-runner', 'operate'));
    read = httpClient(server.url, await made('prometheus', 'read'));
  });

  it('a read token scrapes /metrics as Prometheus does, and cannot pause the queue', async () => {
    const scrape = await read('GET', '/metrics', undefined, { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' });
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(scrape.body).toMatch(/^media_jobs_pending \d+$/m);
    expect(scrape.body).toMatch(/^media_node_up\{node="scoped-node",state="online"\} 1$/m);
    expect((await read('POST', '/api/media/queue/pause', {})).status).toBe(403);
    expect((await read('GET', '/api/media/queue')).body.paused).toBe(false);
  });

  it('an operate token creates and acts on jobs; the job and its log name it', async () => {
    await admin()('POST', '/api/media/queue/pause', {}); // keep the job waiting so every action applies
    try {
      const created = await operate('POST', '/api/media/jobs', { type: 'scan', params: { sleepMs: 0 } });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await operate('POST', `/api/media/jobs/${id}/priority`, { priority: 2 })).status).toBe(200);
      expect((await operate('POST', `/api/media/jobs/${id}/pause`)).status).toBe(200);
      expect((await operate('POST', `/api/media/jobs/${id}/resume`)).status).toBe(200);
      expect((await operate('POST', `/api/media/jobs/${id}/cancel`)).status).toBe(200);
      expect((await admin()('POST', `/api/media/jobs/${id}/retry`)).status).toBe(200);
      const job = (await read('GET', `/api/media/jobs/${id}`)).body;
      expect(job.createdBy).toBe('ci-runner');
      expect(job.log).toContain('Priority changed from 5 to 2 by ci-runner (operate)');
      expect(job.log).toContain('Paused by ci-runner (operate)');
      expect(job.log).toContain('Resumed by ci-runner (operate)');
      expect(job.log).toContain('--- JOB CANCELLED BY ci-runner (operate) ---');
      expect(job.log).toContain('--- RETRY ATTEMPT 1 --- asked by MEDIA_API_TOKEN (admin)');
      expect((await read('GET', '/api/media/jobs?limit=100')).body.data.find((j: { id: string }) => j.id === id).createdBy).toBe('ci-runner');
    } finally {
      await admin()('POST', '/api/media/queue/resume', {});
    }
  });

  it('an operate token cannot manage tokens; an admin lists them (no secrets) and revokes', async () => {
    expect((await operate('GET', '/api/auth/tokens')).status).toBe(403);
    expect((await operate('POST', '/api/auth/tokens', { name: 'sneaky', role: 'admin' })).status).toBe(403);
    const list = await admin()('GET', '/api/auth/tokens');
    expect(list.body.tokens.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['ci-runner', 'prometheus']));
    expect(JSON.stringify(list.body)).not.toMatch(/sha256|mjc_/);
    expect((await admin()('POST', '/api/auth/tokens', { name: 'ci-runner', role: 'read' })).body.error.code).toBe('NAME_TAKEN');
    expect((await admin()('POST', '/api/auth/tokens', { name: 'x', role: 'root' })).status).toBe(400);
    expect((await admin()('POST', '/api/auth/tokens/nobody/revoke')).status).toBe(404);
    expect((await admin()('POST', '/api/auth/tokens/prometheus/revoke')).body).toMatchObject({ name: 'prometheus', revokedAt: expect.any(String) });
    expect((await read('GET', '/api/media/jobs')).status).toBe(401);
  });

  it('opens the event stream with a ticket issued to a read token', async () => {
    const viewer = httpClient(server.url, (await admin()('POST', '/api/auth/tokens', { name: 'viewer', role: 'read' })).body.token);
    const { ticket } = (await viewer('POST', '/api/media/events/ticket')).body;
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/api/media/events?ticket=${ticket}`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    controller.abort();
    expect((await fetch(`${server.url}/api/media/events?ticket=${ticket}`)).status).toBe(401); // once only
    expect((await fetch(`${server.url}/api/media/jobs?ticket=${(await viewer('POST', '/api/media/events/ticket')).body.ticket}`)).status).toBe(401); // tickets open the stream alone
  });
});

describe('a malformed api-tokens.json', () => {
  it('stops the start with a message naming the file', async () => {
    const data = join(dir, 'broken');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'api-tokens.json'), '[{"sha256": "nope"}]');
    await expect(startHeadless({ MEDIA_DATA_DIR: data, MEDIA_LIBRARY_PATH: join(dir, 'library'), PORT: '0', MEDIA_NODE_ID: 'broken' }, { print: () => {}, rendererDir: join(dir, 'no-ui') })).rejects.toThrow(join(data, 'api-tokens.json'));
  });
});
