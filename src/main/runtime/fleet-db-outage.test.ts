/**
 * Issue #14, finding 7: a PostgreSQL restart shorter than the lease must not fail or retry the
 * jobs running meanwhile. Their reports (progress, log lines, the outcome) wait and are sent again
 * once the server is back; only the lease decides whether a job is taken from its node.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoStore } from '../core/library-ports';
import type { Processor } from '../processors/processor';
import { startPostgres, type PostgresServer } from '../storage/testing/postgres-server';
import { startFleetTestNode, type FleetTestNode } from './testing/fleet-test-node';
import { waitFor } from './testing/test-runtime';

describe('a database restart shorter than the lease', { timeout: 120_000 }, () => {
  let server: PostgresServer;
  let node: FleetTestNode | null = null;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await node?.close();
    await server?.stop();
  });

  it('lets running jobs finish on their first attempt, with their logs, progress and library writes', async () => {
    const url = await server.createDatabase();
    const errors: string[] = [];
    // like the media processors, each job writes to the library store while it runs: every 100 ms for 4 s
    let videos: VideoStore | null = null;
    let videoId = '';
    const writer: Processor = {
      async run(ctx) {
        for (let i = 1; i <= 40; i++) {
          await new Promise((r) => setTimeout(r, 100));
          await videos!.setThumbnail(videoId, `thumbnails/${ctx.job.id}-${i}.jpg`, Date.now());
          ctx.progress((i / 40) * 100);
          if (i % 10 === 0) ctx.log(`wrote ${i} thumbnails`);
        }
      },
    };
    node = await startFleetTestNode(url, 'steady', {
      processor: writer,
      logger: { info() {}, warn() {}, error: (...a: unknown[]) => void errors.push(a.map(String).join(' ')) },
      fleet: { pollMs: 500, heartbeatMs: 1_000, sweepMs: 2_000, leaseMs: 20_000 },
    });
    videos = node.stores.videos;
    videoId = randomUUID();
    await videos.addVideos([{ id: videoId, path: 'videos/a.mp4', directoryType: 'videos', sizeBytes: 1, mtimeMs: 1, at: Date.now() }]);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await node.runtime.execute('createJob', { type: 'validate', params: {} })).id);
    await waitFor(() => node!.runtime.runningJobIds().length === 4, 10_000, 'four jobs running');
    await new Promise((r) => setTimeout(r, 1_000)); // mid-job: progress reports are flowing
    await server.restart();
    for (const id of ids) {
      await waitFor(async () => {
        try {
          return (await node!.runtime.execute('getJob', { id })).status === 'completed';
        } catch {
          return false; // the server may still be starting
        }
      }, 60_000, `job ${id} completed`);
      const job = await node.runtime.execute('getJob', { id });
      expect(job.retryCount, job.log).toBe(0);
      expect(job.lastError).toBeNull();
      expect(job.progress).toBe(100);
      expect(job.log).toContain('wrote 40 thumbnails');
    }
    // a dispatcher tick that meets the restart says so and runs again; nothing else may go wrong
    expect(errors.filter((e) => !/^Dispatcher tick failed .*(shutting down|starting up|ECONNREFUSED|ECONNRESET|EPIPE|terminat|[Cc]onnection)/.test(e))).toEqual([]);
  });
});
