/**
 * On a real PostgreSQL server: the watcher's stores (conformance), named leader leases (one holder
 * at a time, in the database's clock), and the LeaderLease service of two nodes: exactly one of
 * them leads, the other takes over once the leader stops renewing (frozen or dead) or gives the
 * lease up (a clean stop); and two library watchers sharing a library: only the leader registers,
 * and settings saved through either node reach the one that watches.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock';
import type { LeaderLeaseStore } from '../../core/watch-ports';
import { LibraryPaths } from '../../library/library-paths';
import { LeaderLease } from '../../runtime/leader-lease';
import { LibraryWatcher, WATCH_SETTINGS_KEY } from '../../runtime/library-watcher';
import { systemTimers } from '../../runtime/services/timers';
import { waitFor } from '../../runtime/testing/test-runtime';
import { DEFAULT_WATCH_SETTINGS } from '../../runtime/watch-config';
import { describeWatchStoreConformance } from '../conformance/watch-store-conformance';
import { startPostgres, type PostgresServer } from '../testing/postgres-server';
import { openPostgresStores, type PostgresStores } from './open-postgres-stores';

const TTL_MS = 600;
const RENEW_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: PostgresServer;
const opened: PostgresStores[] = [];
const open = async (url: string) => {
  const stores = await openPostgresStores(url);
  opened.push(stores);
  return stores;
};

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  for (const s of opened) await s.close().catch(() => {});
  await server?.stop();
});

describeWatchStoreConformance('PostgreSQL', async () => {
  const stores = await openPostgresStores(await server.createDatabase());
  return { settings: stores.settings, videoFiles: stores.videoFiles, videos: stores.videos, close: () => stores.close() };
});

/** A store whose claims can be held back (a frozen node: it sends nothing, its lease runs out). */
function freezable(store: LeaderLeaseStore): LeaderLeaseStore & { frozen: boolean } {
  const wrapped = {
    frozen: false,
    claimLease: (name: string, holder: string, ttlMs: number) => (wrapped.frozen ? Promise.reject(new Error('frozen')) : store.claimLease(name, holder, ttlMs)),
    releaseLease: (name: string, holder: string) => store.releaseLease(name, holder),
    leaseHolder: (name: string) => store.leaseHolder(name),
  };
  return wrapped;
}

function node(store: LeaderLeaseStore, holder: string) {
  const changes: boolean[] = [];
  const lease = new LeaderLease({ name: 'library-watcher', holder, store, ttlMs: TTL_MS, renewMs: RENEW_MS, clock: systemClock, timers: systemTimers, onChange: (l) => changes.push(l), logger: { warn() {} } });
  return { lease, changes };
}

describe('named leader leases on PostgreSQL', () => {
  it('one holder per name until its lease runs out in the database clock; renewals keep it; release frees it', async () => {
    const { leases } = await open(await server.createDatabase());
    expect(await leases.claimLease('scheduler', 'a#1', TTL_MS)).toEqual({ held: true, holder: 'a#1' });
    expect(await leases.claimLease('scheduler', 'b#1', TTL_MS)).toEqual({ held: false, holder: 'a#1' });
    expect(await leases.claimLease('library-watcher', 'b#1', TTL_MS)).toEqual({ held: true, holder: 'b#1' }); // names are apart
    await sleep(TTL_MS / 2);
    expect((await leases.claimLease('scheduler', 'a#1', TTL_MS)).held).toBe(true); // renewed
    await sleep(TTL_MS / 2 + 50);
    expect(await leases.claimLease('scheduler', 'b#1', TTL_MS)).toEqual({ held: false, holder: 'a#1' }); // the renewal counted
    await sleep(TTL_MS + 50);
    expect(await leases.leaseHolder('scheduler')).toBeNull();
    expect(await leases.claimLease('scheduler', 'b#1', TTL_MS)).toEqual({ held: true, holder: 'b#1' });
    await leases.releaseLease('scheduler', 'a#1'); // not the holder: nothing happens
    expect(await leases.leaseHolder('scheduler')).toBe('b#1');
    await leases.releaseLease('scheduler', 'b#1');
    expect(await leases.leaseHolder('scheduler')).toBeNull();
  });

  it('two nodes: exactly one leads; when it stops renewing the other takes over after the lease, and the old one steps down', async () => {
    const url = await server.createDatabase();
    const storeA = freezable((await open(url)).leases);
    const storeB = freezable((await open(url)).leases);
    const a = node(storeA, 'node-a#1');
    const b = node(storeB, 'node-b#1');
    a.lease.start();
    await waitFor(() => a.lease.isLeader, 5_000, 'node a to lead');
    b.lease.start();
    for (let i = 0; i < 10; i++) {
      await sleep(RENEW_MS);
      expect([a.lease.isLeader, b.lease.isLeader]).toEqual([true, false]);
    }
    storeA.frozen = true; // a's claims no longer reach the database
    const frozenAt = Date.now();
    await waitFor(() => b.lease.isLeader, 5_000, 'node b to take over');
    expect(Date.now() - frozenAt).toBeGreaterThanOrEqual(TTL_MS - RENEW_MS);
    expect(a.lease.isLeader).toBe(false); // a stepped down by itself once its lease could have run out
    expect(a.changes).toEqual([true, false]);
    storeA.frozen = false; // a comes back: b keeps the lease
    await sleep(3 * RENEW_MS);
    expect([a.lease.isLeader, b.lease.isLeader]).toEqual([false, true]);
    // a clean stop gives the lease up at once
    const stoppedAt = Date.now();
    await b.lease.stop();
    await waitFor(() => a.lease.isLeader, 5_000, 'node a to lead again');
    expect(Date.now() - stoppedAt).toBeLessThan(TTL_MS);
    await a.lease.stop();
  });

  it('two library watchers on one shared library: only the lease holder registers, and the other takes over', async () => {
    const url = await server.createDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'mjc-pg-watch-'));
    const library = new LibraryPaths(join(dir, 'library'));
    library.ensureDirectories();
    const settings = { ...DEFAULT_WATCH_SETTINGS, stableSeconds: 0.3, folders: ['inbox'] };
    const probes: string[] = [];
    const watcherOf = async (nodeId: string) => {
      const stores = await open(url);
      const watcher = new LibraryWatcher({
        library,
        settings: stores.settings,
        files: stores.videoFiles,
        videos: stores.videos,
        leases: stores.leases,
        probe: async (path) => {
          probes.push(`${nodeId}:${path}`);
          throw new Error('not a video');
        },
        parallelism: 1,
        defaults: DEFAULT_WATCH_SETTINGS,
        nodeId,
        holder: `${nodeId}#1`,
        leaseMs: TTL_MS,
        renewMs: RENEW_MS,
        clock: systemClock,
        logger: { info() {}, warn() {}, error() {} },
      });
      return { watcher, stores };
    };
    try {
      const a = await watcherOf('node-a');
      await a.stores.settings.writeSetting(WATCH_SETTINGS_KEY, settings, Date.now());
      a.watcher.start();
      await waitFor(async () => (await a.watcher.state()).status.active, 5_000, 'node a to watch');
      const b = await watcherOf('node-b');
      b.watcher.start();
      await b.watcher.ready();
      expect((await b.watcher.state()).status).toMatchObject({ active: false, leaderNodeId: 'node-a' });
      // settings saved through the other node reach the watching one at its next renewal
      await b.watcher.update({ folders: ['inbox', 'videos'] });
      await waitFor(async () => (await a.watcher.state()).status.folders.length === 2, 5_000, 'node a to apply the settings saved through node b');
      writeFileSync(join(library.root, 'inbox', 'one.mp4'), 'one');
      await waitFor(async () => (await a.stores.videos.getVideoByPath('inbox/one.mp4'))?.probedAt, 10_000, 'one.mp4 registered');
      await a.watcher.stop();
      await waitFor(async () => (await b.watcher.state()).status.active, 5_000, 'node b to watch');
      writeFileSync(join(library.root, 'inbox', 'two.mp4'), 'two');
      await waitFor(async () => (await b.stores.videos.getVideoByPath('inbox/two.mp4'))?.probedAt, 10_000, 'two.mp4 registered');
      await b.watcher.stop();
      expect(probes.map((p) => p.replace(library.root, '')).sort()).toEqual(['node-a:/inbox/one.mp4', 'node-b:/inbox/two.mp4']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
