/**
 * Conformance suite of the TranscodeStore (issue #17): every adapter must pass it unchanged. The
 * ledger and what is computed from it, fingerprints and content marks, the swap journal (fenced
 * like every publishing write; one swap per video; handed to recovery once its attempt is dead),
 * the commits of a replace and a restore, quarantine expiry and history.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VideoStore } from '../../core/library-ports';
import type { AttemptFence, JobStore } from '../../core/ports';
import { decideAfterCrash } from '../../core/retry-policy';
import type { LedgerEntry, QuarantineEntry, ReplaceCommit, SwapJournal, TranscodeStore } from '../../core/transcode-ports';
import { capacityOf, claimRequest, newJob } from './job-store-conformance';
import { sampleMetadata, videoFile } from './video-store-conformance';

export interface TranscodeStores {
  readonly jobs: JobStore;
  readonly videos: VideoStore;
  readonly transcode: TranscodeStore;
  close(): Promise<void>;
}

const DAY = 86_400_000;

export function ledgerEntry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    at: Date.UTC(2026, 0, 2, 10), jobId: randomUUID(), jobType: 'transcode', videoId: randomUUID(), folder: 'videos', nodeId: 'n1', gpu: null,
    encoder: 'libx265', mode: 'replace', codecIn: 'h264', codecOut: 'hevc', bytesIn: 1_000, bytesOut: 600, wallMs: 1_234, outcome: 'replaced',
    reason: null, checks: [{ name: 'decode', passed: true, detail: 'no errors' }], ...overrides,
  };
}

export function describeTranscodeStoreConformance(adapterName: string, factory: () => Promise<TranscodeStores>): void {
  describe(`TranscodeStore conformance: ${adapterName}`, () => {
    let stores: TranscodeStores;
    let store: TranscodeStore;
    beforeEach(async () => {
      stores = await factory();
      store = stores.transcode;
    });
    afterEach(async () => stores.close());

    const running = async (nodeId = 'n1'): Promise<AttemptFence> => {
      const [job] = await stores.jobs.insertJobs([newJob()]);
      const started = (await stores.jobs.claimJobs(claimRequest(nodeId, 2_000))).started.find((j) => j.id === job!.id)!;
      return { jobId: started.id, attempt: started.attempt };
    };
    const video = async (path = 'videos/a.mp4') => (await stores.videos.addVideos([videoFile(path)]))[0]!;
    const journal = (videoId: string, fence: AttemptFence | null, overrides: Partial<SwapJournal> = {}): SwapJournal => ({
      videoId, kind: 'replace', jobId: fence?.jobId ?? null, attempt: fence?.attempt ?? null, nodeId: 'n1', originalPath: 'videos/a.mp4', finalPath: 'videos/a.mkv',
      quarantinePath: '.quarantine/x/videos/a.mp4', incomingPath: 'videos/a.abcdef12-a1.partial.mkv', originalIdentity: '1:2', incomingIdentity: '1:3', payload: '{}', createdAt: 5_000,
      ...overrides,
    });
    const quarantine = (videoId: string, overrides: Partial<QuarantineEntry> = {}): QuarantineEntry => ({
      id: randomUUID(), videoId, jobId: null, originalPath: 'videos/a.mp4', quarantinePath: '.quarantine/x/videos/a.mp4', replacedPath: 'videos/a.mkv', sizeBytes: 1_000,
      videoCodec: 'h264', metadata: sampleMetadata, identity: '1:2', quarantinedAt: 6_000, expiresAt: 6_000 + 7 * DAY, ...overrides,
    });
    const replaceCommit = (videoId: string, fence: AttemptFence, q = quarantine(videoId, { jobId: fence.jobId })): ReplaceCommit => ({
      video: { videoId, path: 'videos/a.mkv', sizeBytes: 600, mtimeMs: 1_500, at: 6_000, metadata: { ...sampleMetadata, videoCodec: 'hevc', sizeBytes: 600 } },
      history: { videoId, action: 'replaced', jobId: fence.jobId, at: 6_000, previousPath: 'videos/a.mp4', previousCodec: 'h264', previousSizeBytes: 1_000, newPath: 'videos/a.mkv', newCodec: 'hevc', newSizeBytes: 600 },
      quarantine: q,
      ledger: ledgerEntry({ jobId: fence.jobId, videoId, at: 6_000 }),
      marks: [{ fingerprint: 'fp-in', settingsKey: 'k', jobId: fence.jobId, outcome: 'replaced', at: 6_000 }, { fingerprint: 'fp-out', settingsKey: 'k', jobId: fence.jobId, outcome: 'replaced', at: 6_000 }],
      fingerprint: { videoId, sizeBytes: 600, mtimeMs: 1_500, fingerprint: 'fp-out' },
      partialPath: 'videos/a.abcdef12-a1.partial.mkv',
    });

    it('keeps every ledger row; a job result is its latest row; savings are computed per group, restores subtracting', async () => {
      const job = randomUUID();
      await store.appendLedger(ledgerEntry({ jobId: job, outcome: 'failed', bytesOut: null, reason: 'encoder crashed', checks: [] }));
      const latest = ledgerEntry({ jobId: job, bytesIn: 10_000, bytesOut: 4_000, folder: 'videos/films' });
      await store.appendLedger(latest);
      expect(await store.ledgerOfJob(job)).toEqual(latest);
      expect(await store.ledgerOfJob(randomUUID())).toBeUndefined();
      await store.appendLedger(ledgerEntry({ at: Date.UTC(2026, 0, 3, 23, 59), codecOut: 'av1', nodeId: 'n2' }));
      await store.appendLedger(ledgerEntry({ at: Date.UTC(2026, 0, 3, 1), outcome: 'restored', jobId: null, codecIn: 'hevc', codecOut: 'h264', bytesIn: 4_000, bytesOut: 10_000 }));
      await store.appendLedger(ledgerEntry({ outcome: 'skipped', bytesOut: null, codecOut: null, encoder: null }));
      const sorted = (rows: Awaited<ReturnType<TranscodeStore['savings']>>) => [...rows].sort((a, b) => `${a.key}/${a.outcome}`.localeCompare(`${b.key}/${b.outcome}`));
      expect(sorted(await store.savings('day'))).toEqual([
        { key: '2026-01-02', outcome: 'failed', entries: 1, bytesSaved: 0 },
        { key: '2026-01-02', outcome: 'replaced', entries: 1, bytesSaved: 6_000 },
        { key: '2026-01-02', outcome: 'skipped', entries: 1, bytesSaved: 0 },
        { key: '2026-01-03', outcome: 'replaced', entries: 1, bytesSaved: 400 },
        { key: '2026-01-03', outcome: 'restored', entries: 1, bytesSaved: -6_000 },
      ]);
      // a restore undoes the saving of the codec it took out
      expect(sorted(await store.savings('codec')).filter((r) => r.outcome === 'replaced' || r.outcome === 'restored')).toEqual([
        { key: 'av1', outcome: 'replaced', entries: 1, bytesSaved: 400 },
        { key: 'hevc', outcome: 'replaced', entries: 1, bytesSaved: 6_000 },
        { key: 'hevc', outcome: 'restored', entries: 1, bytesSaved: -6_000 },
      ]);
      expect((await store.savings('folder')).map((r) => `${r.key}:${r.outcome}`).sort()).toEqual(['videos/films:replaced', 'videos:failed', 'videos:replaced', 'videos:restored', 'videos:skipped']);
      expect(sorted(await store.savings('node')).filter((r) => r.key === 'n2')).toEqual([{ key: 'n2', outcome: 'replaced', entries: 1, bytesSaved: 400 }]);
    });

    it('caches fingerprints per video and records which settings were applied to which content', async () => {
      expect(await store.fingerprintOf('v')).toBeUndefined();
      await store.recordFingerprint({ videoId: 'v', sizeBytes: 1, mtimeMs: 2, fingerprint: 'a' });
      await store.recordFingerprint({ videoId: 'v', sizeBytes: 3, mtimeMs: 4, fingerprint: 'b' });
      expect(await store.fingerprintOf('v')).toEqual({ videoId: 'v', sizeBytes: 3, mtimeMs: 4, fingerprint: 'b' });
      expect(await store.findMark('b', 'k')).toBeUndefined();
      await store.recordMark({ fingerprint: 'b', settingsKey: 'k', jobId: 'j1', outcome: 'kept_original', at: 1 });
      await store.recordMark({ fingerprint: 'b', settingsKey: 'k', jobId: 'j2', outcome: 'replaced', at: 2 });
      expect(await store.findMark('b', 'k')).toEqual({ fingerprint: 'b', settingsKey: 'k', jobId: 'j2', outcome: 'replaced', at: 2 });
      expect(await store.findMark('b', 'other')).toBeUndefined();
    });

    it('journals one swap per video, only while its attempt owns its job, and hands dead attempts\' swaps to recovery', async () => {
      const v = await video();
      const fence = await running();
      expect(await store.beginReplace(journal(v.id, { ...fence, attempt: fence.attempt + 1 }), { ...fence, attempt: fence.attempt + 1 })).toBe(false);
      expect(await store.beginReplace(journal(v.id, fence), fence)).toBe(true);
      const other = await running();
      expect(await store.beginReplace(journal(v.id, other), other)).toBe(false); // the video has a swap in progress
      expect(await store.beginRestore(journal(v.id, null, { kind: 'restore' }))).toBe(false);
      expect(await store.abandonedSwaps({})).toEqual([]);
      await stores.jobs.rescueJobs('n1', 9_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
      expect(await store.abandonedSwaps()).toEqual([journal(v.id, fence)]);
      // endSwap removes only the row it names: another attempt's, or the same one journaled at another time, stays
      await store.endSwap(journal(v.id, other));
      await store.endSwap({ ...journal(v.id, fence), createdAt: journal(v.id, fence).createdAt + 1 });
      expect(await store.abandonedSwaps()).toEqual([journal(v.id, fence)]);
      await store.endSwap(journal(v.id, fence));
      expect(await store.abandonedSwaps()).toEqual([]);

      // restores: only when asked for, by node
      const w = await video('videos/b.mp4');
      await store.beginRestore(journal(w.id, null, { kind: 'restore', nodeId: 'n2' }));
      expect(await store.abandonedSwaps()).toEqual([]);
      expect(await store.abandonedSwaps({ nodeId: 'n1' })).toEqual([]);
      expect((await store.abandonedSwaps({ nodeId: 'n2' })).map((j) => j.kind)).toEqual(['restore']);
      expect((await store.abandonedSwaps({})).map((j) => j.videoId)).toEqual([w.id]);
    });

    it('commits a replace in one fenced write: the video keeps its id, history, quarantine, ledger, marks; nothing when fenced', async () => {
      const v = await video();
      const fence = await running();
      await stores.jobs.recordPartial({ ...fence, path: 'videos/a.abcdef12-a1.partial.mkv', nodeId: 'n1', createdAt: 1 });
      await store.beginReplace(journal(v.id, fence), fence);
      const stale = { ...fence, attempt: fence.attempt + 1 };
      expect(await store.commitReplace(replaceCommit(v.id, stale), stale)).toBeNull();
      expect(await store.historyOf(v.id)).toEqual([]);
      expect(await store.ledgerOfJob(fence.jobId)).toBeUndefined();

      const commit = replaceCommit(v.id, fence);
      const updated = await store.commitReplace(commit, fence);
      expect(updated).toMatchObject({ id: v.id, path: 'videos/a.mkv', filename: 'a.mkv', title: v.title, sizeBytes: 600, mtimeMs: 1_500, videoCodec: 'hevc', valid: true, missing: false });
      expect(await stores.videos.getVideo(v.id)).toEqual(updated);
      expect(await store.historyOf(v.id)).toEqual([commit.history]);
      expect(await store.activeQuarantine(v.id, 7_000)).toEqual(commit.quarantine);
      expect(await store.ledgerOfJob(fence.jobId)).toEqual(commit.ledger);
      expect(await store.findMark('fp-out', 'k')).toMatchObject({ outcome: 'replaced', jobId: fence.jobId });
      expect(await store.fingerprintOf(v.id)).toEqual(commit.fingerprint);
      expect(await store.abandonedSwaps({})).toEqual([]);
      // the partial record went with it: recovery will not remove the published file
      await stores.jobs.rescueJobs('n1', 9_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
      expect(await stores.jobs.takeAbandonedPartials({})).toEqual([]);
    });

    it('commits a restore; quarantine entries expire and can be dropped; history newest first', async () => {
      const v = await video();
      const fence = await running();
      const q = quarantine(v.id, { jobId: fence.jobId, expiresAt: 6_000 + DAY });
      await store.beginReplace(journal(v.id, fence), fence);
      await store.commitReplace(replaceCommit(v.id, fence, q), fence);
      expect(await store.activeQuarantine(v.id, 6_000 + DAY)).toBeUndefined(); // expired
      expect(await store.expiredQuarantine(6_000 + DAY - 1, 10)).toEqual([]);
      expect(await store.expiredQuarantine(6_000 + DAY, 10)).toEqual([q]);

      expect(await store.beginRestore(journal(v.id, null, { kind: 'restore' }))).toBe(true);
      const restored = await store.commitRestore({
        quarantineId: q.id,
        video: { videoId: v.id, path: 'videos/a.mp4', sizeBytes: 1_000, mtimeMs: 500, at: 8_000, metadata: sampleMetadata },
        history: { videoId: v.id, action: 'restored', jobId: null, at: 8_000, previousPath: 'videos/a.mkv', previousCodec: 'hevc', previousSizeBytes: 600, newPath: 'videos/a.mp4', newCodec: 'h264', newSizeBytes: 1_000 },
        ledger: ledgerEntry({ jobId: null, videoId: v.id, outcome: 'restored', at: 8_000 }),
        fingerprint: { videoId: v.id, sizeBytes: 1_000, mtimeMs: 500, fingerprint: 'fp-in' },
      });
      expect(restored).toMatchObject({ id: v.id, path: 'videos/a.mp4', videoCodec: 'h264', sizeBytes: 1_000 });
      expect(await store.activeQuarantine(v.id, 7_000)).toBeUndefined();
      expect(await store.expiredQuarantine(Number.MAX_SAFE_INTEGER, 10)).toEqual([]); // restored: nothing left to delete
      expect((await store.historyOf(v.id)).map((h) => h.action)).toEqual(['restored', 'replaced']);
      expect(await store.abandonedSwaps({})).toEqual([]);

      const w = await video('videos/b.mp4');
      const old = quarantine(w.id, { expiresAt: 10 });
      const f2 = await running();
      await store.beginReplace(journal(w.id, f2), f2);
      await store.commitReplace({ ...replaceCommit(w.id, f2, old), video: { ...replaceCommit(w.id, f2).video, path: 'videos/b.mkv' } }, f2);
      expect((await store.expiredQuarantine(11, 10)).map((e) => e.id)).toEqual([old.id]);
      await store.dropQuarantine(old.id);
      expect(await store.expiredQuarantine(11, 10)).toEqual([]);
    });

    it('lists the transcode jobs of a video that have not ended, oldest first, with when each started; ended ones, other videos and other types left out', async () => {
      const videoId = randomUUID();
      const other = randomUUID();
      const transcode = (params: Record<string, unknown> = {}) => newJob({ type: 'transcode', resourceCategory: 'gpu_encode', vramRequired: 0, params: { videoId, codec: 'hevc', mode: 'replace', ...params } });
      const wide = capacityOf({ limits: { cpu: 8, gpu_encode: 8, gpu_ai: 8 } });
      const started = await stores.jobs.insertJobs([transcode(), transcode(), transcode(), transcode(), transcode()]);
      const claimed = (await stores.jobs.claimJobs(claimRequest('n1', 2_000, wide))).started;
      expect(claimed.map((j) => j.id).sort()).toEqual(started.map((j) => j.id).sort());
      const [running, suspended, retrying, failed, completed] = claimed.sort((a, b) => a.seq - b.seq);
      await stores.jobs.suspendJob(suspended!.id, 2_100, 'Suspended');
      const end = (job: typeof running, outcome: 'completed' | 'retry' | 'fail') => ({
        jobId: job!.id, attempt: job!.attempt, at: 3_000, logLine: outcome,
        ...(outcome === 'completed'
          ? { kind: 'completed' as const }
          : { kind: 'failed' as const, error: 'boom', decision: outcome === 'retry' ? { kind: 'retry' as const, retryCount: 1, retryAfter: 60_000, reason: 'retry 1 of 3' } : { kind: 'fail' as const, reason: 'cannot heal' } }),
      });
      await stores.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [end(retrying, 'retry'), end(failed, 'fail'), end(completed, 'completed')] });
      const [pending, paused, cancelled] = await stores.jobs.insertJobs([transcode({ codec: 'av1' }), transcode({ preset: 'slow' }), transcode()]);
      await stores.jobs.insertJobs([
        newJob({ type: 'transcode', resourceCategory: 'gpu_encode', vramRequired: 0, params: { videoId: other, codec: 'hevc', mode: 'replace' } }),
        newJob({ type: 'transcode', resourceCategory: 'gpu_encode', vramRequired: 0, params: { videoId: other, codec: 'hevc', mode: 'copy', outputPath: `videos/${videoId}.mkv` } }),
        newJob({ type: 'validate', params: { videoId } }),
      ]);
      await stores.jobs.transitionJob({ jobId: paused!.id, action: 'pause', at: 4_000 });
      await stores.jobs.cancelJob({ jobId: cancelled!.id, at: 4_000, logLine: 'cancelled', requestedLogLine: 'Cancel requested' });

      const open = await store.openTranscodesOf(videoId);
      expect(open.map((t) => [t.id, t.status, t.startedAt])).toEqual([
        [running!.id, 'running', 2_000],
        [suspended!.id, 'suspended', 2_000],
        [retrying!.id, 'queued', 2_000],
        [pending!.id, 'pending', null],
        [paused!.id, 'paused', null],
      ]);
      expect(open[0]!.params).toEqual({ videoId, codec: 'hevc', mode: 'replace' });
      expect(open.map((t) => t.seq)).toEqual([...open.map((t) => t.seq)].sort((a, b) => a - b));
      expect(await store.openTranscodesOf(randomUUID())).toEqual([]);
    });
  });
}
