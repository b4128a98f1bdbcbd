/**
 * The cleaner of segmented encodes' work folders (#20): `.segments/<parent id>/` of a parent that has
 * ended (completed, cancelled; failed more than a day ago) or is gone, once none of its parts runs any more. What a
 * crash, a retry-exhausted failure or a cancel that timed out left behind; a running or waiting
 * parent's folder (its finished chunks) is kept. One pass shortly after start, then every hour.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobStore } from '../../core/ports';
import { removeWorkDir } from '../../processors/segments/segment-files';
import type { SegmentStore } from '../../core/segment-ports';
import type { RuntimeService } from '../services/service';

const ENDED = new Set(['completed', 'failed', 'cancelled']);

/** A failed parent's chunks are kept this long after its failure: a retry within it encodes only the failed part. */
export const FAILED_KEEP_MS = 24 * 3_600_000;

/** Removes the folders of ended parents under `root` (a failed one's after FAILED_KEEP_MS); returns their ids. */
export async function sweepWorkFolders(root: string, jobs: JobStore, segments: SegmentStore, now = Date.now()): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const id of names) {
    const parent = await jobs.getJob(id);
    if (parent && !ENDED.has(parent.status)) continue;
    if (parent?.status === 'failed' && now - (parent.completedAt ?? 0) < FAILED_KEEP_MS) continue;
    if ((await segments.children(id)).some((c) => !ENDED.has(c.status))) continue;
    await removeWorkDir(join(root, id));
    removed.push(id);
  }
  return removed;
}

export function workFolderCleaner(o: { root: string; jobs: JobStore; segments: SegmentStore; firstRunDelayMs?: number; intervalMs?: number; onError: (error: unknown) => void }): RuntimeService {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      running = sweepWorkFolders(o.root, o.jobs, o.segments).catch(o.onError).finally(() => {
        running = null;
        if (timer) schedule(o.intervalMs ?? 3_600_000);
      });
    }, ms);
    timer.unref();
  };
  return {
    name: 'segment work folders',
    start: () => schedule(o.firstRunDelayMs ?? 60_000),
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
