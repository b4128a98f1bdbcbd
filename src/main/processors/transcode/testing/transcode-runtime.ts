/**
 * The embedded runtime with the real processors on a given folder (so a test can kill one and
 * start another on the same data and library), with helpers to register clips and run jobs.
 */
import { join } from 'node:path';
import type { Job } from '../../../../shared/contracts/job';
import type { AnalysisStore } from '../../../core/analysis-ports';
import { loadConfig, type RuntimeConfig } from '../../../runtime/config';
import { openEmbeddedRuntime, type EmbeddedRuntime } from '../../../runtime/open-embedded-runtime';
import { waitFor } from '../../../runtime/testing/test-runtime';
import { createProcessors } from '../../create-processors';

export interface TranscodeRuntime {
  readonly embedded: EmbeddedRuntime;
  readonly root: string;
  /** The analysis store the processors got (a test stores scenes in it). */
  readonly analysis: AnalysisStore | undefined;
  /** Creates a job and waits until it ends (or waits for a retry); returns it with its log. */
  runJob(type: string, params: Record<string, unknown>, timeoutMs?: number): Promise<Job & { log: string }>;
  /** Waits until the job has ended. */
  waitForEnd(id: string, timeoutMs?: number): Promise<Job & { log: string }>;
  /** Scans `videos/` and returns the video ids by file name. */
  scan(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function openTranscodeRuntime(dir: string, overrides: Partial<RuntimeConfig> = {}): Promise<TranscodeRuntime> {
  const config = loadConfig(
    { MEDIA_DATA_DIR: join(dir, 'data'), MEDIA_LIBRARY_PATH: join(dir, 'library'), MEDIA_NODE_ID: 'transcode-node', MEDIA_WATCH: '0' },
    { reportFlushMs: 20, limits: { cpu: 2, gpu_encode: 1, gpu_ai: 1 }, ...overrides },
  );
  let analysis: AnalysisStore | undefined;
  const embedded = await openEmbeddedRuntime(config, { processors: (deps) => ((analysis = deps.analysis), createProcessors(deps)) });
  const { runtime } = embedded;
  const waitForEnd = (id: string, timeoutMs = 60_000) =>
    waitFor(
      async () => {
        const job = await runtime.execute('getJob', { id });
        return ['completed', 'failed', 'cancelled'].includes(job.status) || (job.status === 'queued' && job.retryAfter) ? job : undefined;
      },
      timeoutMs,
      `job ${id} to end`,
    );
  return {
    embedded,
    root: embedded.library.root,
    analysis,
    waitForEnd,
    async runJob(type, params, timeoutMs) {
      const { id } = await runtime.execute('createJob', { type, params });
      return waitForEnd(id, timeoutMs);
    },
    async scan() {
      const { id } = await runtime.execute('createJob', { type: 'scan', params: { directoryType: 'videos' } });
      const job = await waitForEnd(id);
      if (job.status !== 'completed') throw new Error(`scan failed: ${job.log}`);
      const ids: Record<string, string> = {};
      for (const v of (await runtime.execute('listVideos', { limit: 200 })).data) ids[v.filename] = v.id;
      return ids;
    },
    close: () => embedded.close(),
  };
}
