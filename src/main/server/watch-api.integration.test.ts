/**
 * GET/PUT /api/media/watch on the real headless server (real processors, SQLite, ffprobe): the
 * defaults from MEDIA_WATCH*, validation with stable codes (a folder outside the library, through
 * `..` or a symbolic link, is refused), access (read sees, admin changes), settings applied live
 * (off: nothing registers; on again with another folder: its start-up pass registers what is
 * there) and kept in the database across a restart.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadless, type HeadlessServer } from '../headless-server';
import { makeClip } from '../processors/media/testing/clips';
import { waitFor } from '../runtime/testing/test-runtime';
import { TokenRegistry } from './tokens/token-registry';
import { httpClient } from './testing/http-client';

const ADMIN = 'watch-admin-token-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let dir: string;
let library: string;
let server: HeadlessServer;
let readToken: string;

const env = () => ({
  MEDIA_DATA_DIR: join(dir, 'data'),
  MEDIA_LIBRARY_PATH: library,
  PORT: '0',
  MEDIA_API_TOKEN: ADMIN,
  MEDIA_NODE_ID: 'watch-node',
  MEDIA_WATCH_STABLE_SECONDS: '1',
  MEDIA_WATCH_MODE: 'native',
});
const start = () => startHeadless(env(), { print: () => {}, rendererDir: join(dir, 'no-ui') });
const admin = () => httpClient(server.url, ADMIN);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-watch-api-'));
  library = join(dir, 'library');
  mkdirSync(join(dir, 'data'), { recursive: true, mode: 0o700 });
  readToken = new TokenRegistry(join(dir, 'data', 'api-tokens.json'), undefined).create('viewer', 'read').token;
  server = await start();
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const videoPaths = async (): Promise<string[]> => ((await admin()('GET', '/api/media/videos?limit=100')).body.data as Array<{ path: string }>).map((v) => v.path).sort();

describe('GET/PUT /api/media/watch', () => {
  it('starts from the MEDIA_WATCH* defaults, watching the user folders natively; a read token may look', async () => {
    const res = await httpClient(server.url, readToken)('GET', '/api/media/watch');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      settings: { enabled: true, folders: ['inbox', 'videos', 'public'], mode: 'native', stableSeconds: 1, pollIntervalSeconds: 30 },
      source: 'defaults',
      status: { active: true, leaderNodeId: 'watch-node', pendingFiles: 0, lastError: null },
    });
    expect(res.body.status.folders.map((f: { folder: string; mode: string }) => `${f.folder}:${f.mode}`)).toEqual(['inbox:native', 'public:native', 'videos:native']);
  });

  it('registers a clip dropped into the inbox through the real runtime', async () => {
    await makeClip(join(dir), 'drop.mp4', { seconds: 1 });
    renameSync(join(dir, 'drop.mp4'), join(library, 'inbox', 'drop.mp4'));
    // registered, then probed (as a scan does it): valid once ffprobe has read it
    const video = await waitFor(async () => (await admin()('GET', '/api/media/videos?search=drop')).body.data.find((v: { valid: boolean | null }) => v.valid !== null), 10_000, 'the dropped clip');
    expect(video).toMatchObject({ path: 'inbox/drop.mp4', valid: true, directoryType: 'inbox', width: 320, height: 240 });
  });

  it.each([
    [{ stableSeconds: -1 }, 'stableSeconds'],
    [{ mode: 'sometimes' }, 'mode'],
    [{ pollIntervalSeconds: 0 }, 'pollIntervalSeconds'],
    [{ enabled: 'yes' }, 'enabled'],
    [{ folders: 'inbox' }, 'folders'],
    [{ folders: ['../outside'] }, 'folders.0'],
    [{ folders: ['/etc'] }, 'folders.0'],
    [{ folders: ['thumbnails'] }, 'folders.0'],
    [{ folders: ['videos/.quarantine'] }, 'folders.0'],
    [{ surprise: true }, ''],
  ])('refuses %j with 400 VALIDATION_FAILED naming %s', async (body, path) => {
    const res = await admin()('PUT', '/api/media/watch', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it('refuses a folder whose symbolic link leads out of the library', async () => {
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(library, 'videos', 'escape'));
    const res = await admin()('PUT', '/api/media/watch', { folders: ['inbox', 'videos/escape'] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: 'outside_library', issues: [{ path: 'folders.1' }] } });
    expect((await admin()('GET', '/api/media/watch')).body.source).toBe('defaults'); // nothing was saved
  });

  it('is in the OpenAPI document: GET for read, PUT for admin with its body', async () => {
    const doc = (await httpClient(server.url, null)('GET', '/api/openapi.json')).body;
    expect(doc.paths['/api/media/watch'].get['x-required-role']).toBe('read');
    expect(doc.paths['/api/media/watch'].put['x-required-role']).toBe('admin');
    expect(Object.keys(doc.paths['/api/media/watch'].put.requestBody.content['application/json'].schema.properties).sort()).toEqual(['enabled', 'folders', 'mode', 'pollIntervalSeconds', 'stableSeconds']);
  });

  it('needs the admin role to change them', async () => {
    const res = await httpClient(server.url, readToken)('PUT', '/api/media/watch', { enabled: false });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { requiredRole: 'admin' } });
  });

  it('applies a change at once and keeps it across a restart', async () => {
    const off = await admin()('PUT', '/api/media/watch', { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ settings: { enabled: false, stableSeconds: 1 }, source: 'stored', status: { active: false, folders: [] } });
    mkdirSync(join(library, 'videos', 'shows'));
    writeFileSync(join(library, 'inbox', 'while-off.mp4'), 'not watched');
    writeFileSync(join(library, 'videos', 'shows', 'episode.mp4'), 'an episode');
    await sleep(2_000);
    expect(await videoPaths()).toEqual(['inbox/drop.mp4']);

    const on = await admin()('PUT', '/api/media/watch', { enabled: true, folders: ['videos/shows'], mode: 'polling', pollIntervalSeconds: 0.5 });
    expect(on.body).toMatchObject({ settings: { enabled: true, folders: ['videos/shows'], mode: 'polling' }, status: { active: true, folders: [{ folder: 'videos/shows', mode: 'polling' }] } });
    await waitFor(async () => (await videoPaths()).includes('videos/shows/episode.mp4'), 10_000, 'the start-up pass of the new folder');
    expect(await videoPaths()).toEqual(['inbox/drop.mp4', 'videos/shows/episode.mp4']); // inbox is no longer watched

    await server.close();
    server = await start();
    const after = await admin()('GET', '/api/media/watch');
    expect(after.body).toMatchObject({ settings: { enabled: true, folders: ['videos/shows'], mode: 'polling', pollIntervalSeconds: 0.5, stableSeconds: 1 }, source: 'stored', status: { active: true } });
  }, 60_000);
});
