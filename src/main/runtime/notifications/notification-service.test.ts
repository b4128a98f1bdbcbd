/**
 * The notifier on the manual clock with a fake statfs and a fake node registry: disk-space and
 * node-offline rules fire once per change, throttled, and notifications become runtime events
 * (and webhook posts, through a fake POST).
 */
import { describe, expect, it } from 'vitest';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { Fleet } from '../../../shared/contracts/fleet';
import type { Job } from '../../../shared/contracts/job';
import { MemorySettingsStore } from '../memory-settings';
import { ManualClock } from '../testing/manual-clock';
import { NotificationService } from './notification-service';
import { holdNextRead, raceNextWrite } from '../testing/held-settings-read';

const GB = 1024 ** 3;

function setup(options: { fleet?: boolean; settings?: MemorySettingsStore; nodeId?: string } = {}) {
  const clock = new ManualClock();
  const emitted: MediaEvent[] = [];
  const listeners = new Set<(e: MediaEvent) => void>();
  const posts: Array<{ url: string; body: string }> = [];
  const disk = { freeGb: 100 };
  const nodes: Fleet = { mode: 'fleet', nodeId: 'a', leaseMs: 30_000, nodes: [] };
  const service = new NotificationService({
    settings: options.settings ?? new MemorySettingsStore(),
    clock,
    timers: clock,
    logger: { info() {}, warn() {}, error() {} },
    nodeId: options.nodeId ?? 'a',
    holder: `${options.nodeId ?? 'a'}#1`,
    leases: null,
    leaseMs: 30_000,
    renewMs: 5_000,
    folders: { library: '/lib', data: '/data' },
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    emit: (e) => emitted.push(e),
    listNodes: options.fleet ? async () => nodes : null,
    statfs: async () => ({ bsize: 4096, blocks: (200 * GB) / 4096, bavail: (disk.freeGb * GB) / 4096 }),
    post: async (url, body) => (posts.push({ url, body }), { status: 200 }),
    checkMs: 60_000,
    userAgent: 'test',
  });
  const notes = () => emitted.flatMap((e) => (e.type === 'notification' ? [e.notification] : []));
  return { clock, service, emitted, listeners, posts, disk, nodes, notes };
}

const hooks = [{ id: 'h', name: 'H', url: 'http://127.0.0.1:9/x', secret: 'abcdefghij' }];

describe('notification service', () => {
  it('checks free space on the clock and fires when a folder goes low (with a fake statfs)', async () => {
    const { clock, service, disk, notes, posts } = setup();
    await service.start();
    await service.handlers.setNotifications({ rules: [{ id: 'disk', event: 'disk.low', enabled: true, folder: 'data', minFreeGb: 10, channels: { desktop: true, browser: false, webhooks: ['h'] } }], webhooks: hooks.map((h) => ({ ...h, enabled: true, timeoutMs: 1000 })) });
    await clock.advance(1_000);
    expect(notes()).toEqual([]);
    disk.freeGb = 5;
    await clock.advance(60_000);
    expect(notes()).toHaveLength(1);
    expect(notes()[0]).toMatchObject({ kind: 'disk.low', level: 'warning', channels: { desktop: true }, disk: { folder: 'data', path: '/data', freeBytes: 5 * GB, nodeId: 'a' } });
    expect(JSON.parse(posts[0]!.body)).toMatchObject({ type: 'warning', event: 'disk.low' });
    await clock.advance(60_000); // still low: not again
    expect(notes()).toHaveLength(1);
    disk.freeGb = 50;
    await clock.advance(60_000);
    disk.freeGb = 1;
    await clock.advance(60_000);
    expect(notes()).toHaveLength(2);
    await service.stop();
  });

  it('notifies a node that turned offline once (fleet leader), and only when a rule asks', async () => {
    const { clock, service, nodes, notes } = setup({ fleet: true });
    const node = (id: string, state: 'online' | 'offline') => ({ id, hostname: `${id}.lan`, state }) as Fleet['nodes'][number];
    nodes.nodes = [node('a', 'online'), node('b', 'online')];
    await service.start();
    await service.handlers.setNotifications({ rules: [{ id: 'nodes', event: 'node.offline', enabled: true, channels: { desktop: false, browser: true, webhooks: [] } }], webhooks: [] });
    await clock.advance(1_000);
    nodes.nodes = [node('a', 'online'), node('b', 'offline')];
    await clock.advance(60_000);
    await clock.advance(60_000);
    expect(notes().map((n) => [n.kind, n.node?.id, n.channels.browser])).toEqual([['node.offline', 'b', true]]);
    await service.stop();
  });

  it('subscribes only while a rule needs events, dedupes a failed job and throttles', async () => {
    const { service, listeners, notes } = setup();
    await service.start();
    expect(listeners.size).toBe(0);
    await service.handlers.setNotifications({ rules: [{ id: 'f', event: 'job.failed', enabled: true, throttleMinutes: 5, channels: { desktop: true, browser: true, webhooks: [] } }], webhooks: [] });
    expect(listeners.size).toBe(1);
    const job = (id: string) => ({ id, type: 'scan', status: 'failed', retryCount: 0, completedAt: '2026-01-01T00:00:00.000Z', lastError: 'x', nodeId: 'a' }) as Job;
    const send = (e: MediaEvent) => listeners.forEach((l) => l(e));
    send({ type: 'job.updated', job: job('j1') });
    send({ type: 'job.updated', job: job('j1') }); // the same failure again
    send({ type: 'job.updated', job: job('j2') }); // another scan within the throttle
    expect(notes().map((n) => n.job?.id)).toEqual(['j1']);
    await service.handlers.setNotifications({ rules: [], webhooks: [] });
    expect(listeners.size).toBe(0);
    await service.stop();
  });

  it('answers from the stored settings, whichever node saved them last (a fleet: one settings row, two nodes)', async () => {
    const shared = new MemorySettingsStore();
    const a = setup({ settings: shared, nodeId: 'a' });
    const b = setup({ settings: shared, nodeId: 'b' });
    await a.service.start();
    await b.service.start();
    // saved through node A, long before node B's next periodic read
    await a.service.handlers.setNotifications({ rules: [], webhooks: hooks.map((h) => ({ ...h, enabled: true, timeoutMs: 1000 })) });
    expect((await b.service.handlers.getNotifications({})).webhooks).toEqual([expect.objectContaining({ id: 'h', secretSet: true })]);
    expect((await b.service.handlers.testNotification({ channel: 'webhook', webhookId: 'h' })).delivery).toMatchObject({ outcome: 'delivered', nodeId: 'b' });
    // saved again through node B without the secret: the secret A stored is kept
    await b.service.handlers.setNotifications({ rules: [], webhooks: [{ id: 'h', name: 'Renamed', url: 'http://127.0.0.1:9/x', enabled: true, timeoutMs: 1000 }] });
    expect((await a.service.handlers.getNotifications({})).webhooks).toEqual([expect.objectContaining({ id: 'h', name: 'Renamed', secretSet: true })]);
    await a.service.stop();
    await b.service.stop();
  });

  it('keeps the secret another node saves between this save\'s read and its write', async () => {
    const shared = new MemorySettingsStore();
    const a = setup({ settings: shared, nodeId: 'a' });
    const b = setup({ settings: shared, nodeId: 'b' });
    await a.service.start();
    await b.service.start();
    // node B renames the webhook without a secret; node A's save with the secret lands in between
    raceNextWrite(shared, async () => void (await a.service.handlers.setNotifications({ rules: [], webhooks: hooks.map((h) => ({ ...h, enabled: true, timeoutMs: 1000 })) })));
    await b.service.handlers.setNotifications({ rules: [], webhooks: [{ id: 'h', name: 'Renamed', url: 'http://127.0.0.1:9/x', enabled: true, timeoutMs: 1000 }] });
    const stored = (await shared.readSetting('notifications'))?.value as { webhooks: Array<{ name: string; secret: string | null }> };
    expect(stored.webhooks).toEqual([expect.objectContaining({ name: 'Renamed', secret: 'abcdefghij' })]);
    await a.service.stop();
    await b.service.stop();
  });

  it('keeps its own save when a read that started before it answers after it (a GET beside a PUT)', async () => {
    const shared = new MemorySettingsStore();
    const { service, listeners } = setup({ settings: shared });
    await service.start();
    const release = holdNextRead(shared);
    const get = service.handlers.getNotifications({}); // reads the row before the save below
    await service.handlers.setNotifications({ rules: [{ id: 'f', event: 'job.failed', enabled: true, channels: { desktop: true, browser: false, webhooks: [] } }], webhooks: [] });
    expect(listeners.size).toBe(1);
    release();
    await get;
    // the late read (no rule yet) did not roll the node back: the rule still listens
    expect(listeners.size).toBe(1);
    await service.stop();
  });
});
