import { describe, expect, it } from 'vitest';
import type { NotificationRule } from '../../shared/contracts/notifications';
import { buildNotification, diskTransitions, isDiskLow, nodesGoneOffline, NotificationThrottle, rulesFor, webhookBackoffMs, webhookBody, type DiskReading } from './notification-rules';

const GB = 1024 ** 3;
const channels = { desktop: true, browser: false, webhooks: [] };
const failed = (type: string) => ({ kind: 'job.failed' as const, job: { id: 'j', type, lastError: 'boom', nodeId: 'n1' } });

describe('notification rules', () => {
  it('matches enabled rules of the event, by job type when given', () => {
    const rules: NotificationRule[] = [
      { id: 'all', event: 'job.failed', enabled: true, channels },
      { id: 'scans', event: 'job.failed', enabled: true, channels, jobTypes: ['scan'] },
      { id: 'off', event: 'job.failed', enabled: false, channels },
      { id: 'drain', event: 'queue.drained', enabled: true, channels },
    ];
    expect(rulesFor(rules, failed('scan')).map((r) => r.id)).toEqual(['all', 'scans']);
    expect(rulesFor(rules, failed('thumbnail')).map((r) => r.id)).toEqual(['all']);
    expect(rulesFor(rules, { kind: 'queue.drained' }).map((r) => r.id)).toEqual(['drain']);
  });

  it("leaves a segmented encode's parts to the rules that name their type (the parent's failure is the one to tell)", () => {
    const rules: NotificationRule[] = [
      { id: 'all', event: 'job.failed', enabled: true, channels },
      { id: 'transcodes', event: 'job.failed', enabled: true, channels, jobTypes: ['transcode'] },
      { id: 'chunks', event: 'job.failed', enabled: true, channels, jobTypes: ['encode_chunk'] },
    ];
    expect(rulesFor(rules, failed('encode_chunk')).map((r) => r.id)).toEqual(['chunks']);
    expect(rulesFor(rules, failed('encode_audio')).map((r) => r.id)).toEqual([]);
    expect(rulesFor(rules, failed('transcode')).map((r) => r.id)).toEqual(['all', 'transcodes']);
  });

  it('says what happened, with a level and a subject', () => {
    const n = buildNotification(failed('scan'), { id: 'all', event: 'job.failed', enabled: true, channels }, 'id-1', Date.UTC(2026, 0, 1));
    expect(n).toMatchObject({ kind: 'job.failed', title: 'Job failed: scan', body: 'Job j on n1 failed: boom', level: 'failure', subject: 'scan', at: '2026-01-01T00:00:00.000Z', channels: { desktop: true, browser: false } });
    expect(webhookBody(n)).toMatchObject({ title: n.title, body: n.body, type: 'failure', event: 'job.failed', job: n.job, at: n.at });
  });

  it('throttles per rule and subject', () => {
    const throttle = new NotificationThrottle();
    const rule = { id: 'r', throttleMinutes: 10 };
    expect(throttle.allow(rule, 'scan', 0)).toBe(true);
    expect(throttle.allow(rule, 'scan', 9 * 60_000)).toBe(false);
    expect(throttle.allow(rule, 'thumbnail', 9 * 60_000)).toBe(true);
    expect(throttle.allow({ id: 'other', throttleMinutes: 10 }, 'scan', 9 * 60_000)).toBe(true);
    expect(throttle.allow(rule, 'scan', 10 * 60_000)).toBe(true);
    expect(throttle.allow({ id: 'none', throttleMinutes: null }, 'x', 0) && throttle.allow({ id: 'none' }, 'x', 1)).toBe(true);
  });

  it('checks disk thresholds in GB and percent, firing once per low spell', () => {
    const reading = (freeGb: number): DiskReading => ({ folder: 'data', path: '/data', freeBytes: freeGb * GB, totalBytes: 100 * GB, nodeId: 'n1' });
    const gb: NotificationRule = { id: 'gb', event: 'disk.low', enabled: true, channels, folder: 'data', minFreeGb: 5 };
    const pct: NotificationRule = { id: 'pct', event: 'disk.low', enabled: true, channels, folder: 'data', minFreePercent: 20 };
    if (gb.event !== 'disk.low' || pct.event !== 'disk.low') throw new Error('narrowing');
    expect(isDiskLow(gb, reading(4.9))).toBe(true);
    expect(isDiskLow(gb, reading(5))).toBe(false);
    expect(isDiskLow(pct, reading(19))).toBe(true);
    expect(isDiskLow(pct, reading(30))).toBe(false);

    const step1 = diskTransitions([gb, pct], new Map([['data', reading(10)]]), new Set());
    expect(step1.fired.map((f) => f.rule.id)).toEqual(['pct']);
    const step2 = diskTransitions([gb, pct], new Map([['data', reading(4)]]), step1.low);
    expect(step2.fired.map((f) => f.rule.id)).toEqual(['gb']); // pct still low: not again
    const step3 = diskTransitions([gb, pct], new Map(), step2.low); // no reading: keeps its state
    expect(step3.fired).toEqual([]);
    const step4 = diskTransitions([gb, pct], new Map([['data', reading(50)]]), step3.low);
    expect([...step4.low]).toEqual([]);
    expect(diskTransitions([gb, pct], new Map([['data', reading(4)]]), step4.low).fired).toHaveLength(2);
  });

  it('sees nodes that turned offline, not the ones offline before it looked', () => {
    const previous = new Map([['a', 'online'], ['b', 'offline'], ['c', 'stopped']]);
    const nodes = [
      { id: 'a', hostname: 'ha', state: 'offline' },
      { id: 'b', hostname: 'hb', state: 'offline' },
      { id: 'c', hostname: 'hc', state: 'offline' },
      { id: 'd', hostname: 'hd', state: 'offline' },
    ];
    expect(nodesGoneOffline(previous, nodes)).toEqual([{ id: 'a', hostname: 'ha' }, { id: 'c', hostname: 'hc' }]);
  });

  it('backs off 1 s, 4 s, 16 s, 64 s and stops after 5 tries', () => {
    expect([1, 2, 3, 4, 5].map(webhookBackoffMs)).toEqual([1000, 4000, 16000, 64000, null]);
  });
});
