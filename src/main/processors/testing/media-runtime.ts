/**
 * The embedded runtime with this build's REAL processors, on a temp library and data folder, for
 * end-to-end tests with real ffmpeg on clips made at test time. The library watcher is off (jobs
 * register what the tests expect); pass `watch` in the overrides to turn it on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from '../../../shared/contracts/job';
import { loadConfig, type RuntimeConfig } from '../../runtime/config';
import { openEmbeddedRuntime, type EmbeddedRuntime } from '../../runtime/open-embedded-runtime';
import { waitFor } from '../../runtime/testing/test-runtime';
import { createProcessors } from '../create-processors';

export interface MediaRuntime {
  readonly embedded: EmbeddedRuntime;
  readonly root: string;
  readonly dir: string;
  /** Creates a job and waits until it ends; returns the job with its log. */
  runJob(type: string, params: Record<string, unknown>, timeoutMs?: number): Promise<Job & { log: string }>;
  dispose(): Promise<void>;
}

export async function startMediaRuntime(overrides: Partial<RuntimeConfig> = {}): Promise<MediaRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'mjc-media-'));
  const config = loadConfig({ MEDIA_DATA_DIR: join(dir, 'data'), MEDIA_LIBRARY_PATH: join(dir, 'library'), MEDIA_NODE_ID: 'media-node', MEDIA_WATCH: '0' }, { reportFlushMs: 20, ...overrides });
  const embedded = await openEmbeddedRuntime(config, { processors: createProcessors });
  const { runtime } = embedded;
  return {
    embedded,
    root: embedded.library.root,
    dir,
    async runJob(type, params, timeoutMs = 30_000) {
      const { id } = await runtime.execute('createJob', { type, params });
      return waitFor(
        async () => {
          const job = await runtime.execute('getJob', { id });
          return ['completed', 'failed', 'cancelled'].includes(job.status) || (job.status === 'queued' && job.retryAfter) ? job : undefined;
        },
        timeoutMs,
        `${type} job to end`,
      );
    },
    async dispose() {
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
