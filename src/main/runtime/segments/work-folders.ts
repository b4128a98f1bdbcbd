/**
 * The cleaner of segmented encodes' work folders (#20): `.segments/<parent id>/` of a parent that has
 * ended (completed, cancelled; failed more than a day ago) or is gone, once none of its parts runs any more. What a
 * crash, a retry-exhausted failure or a cancel that timed out left behind; a running or waiting
 * parent's folder (its finished chunks) is kept. One pass shortly after start, then every hour.
 * Only what a segmented encode made is touched: a folder named by a job id (UUID) that holds its
 * plan.json or chunk files. Anything else under `.segments/` (a user's folder, a stray file) is
 * logged and left alone.
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
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEGMENT_FILE = /^(?:plan\.json|chunk-\d{4}\..+)$/;

/** Whether `root/name` is a work folder a segmented encode made (a job id holding its plan or chunks). */
async function isWorkFolder(root: string, name: string): Promise<boolean> {
  if (!JOB_ID.test(name)) return false;
  const entries = await readdir(join(root, name)).catch(() => null);
  return entries !== null && entries.some((e) => SEGMENT_FILE.test(e));
}

export async function sweepWorkFolders(root: string, jobs: JobStore, segments: SegmentStore, now = Date.now(), warn: (message: string) => void = console.warn): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const id of names) {
    if (!(await isWorkFolder(root, id))) {
      warn(`Segment work folders: ${join(root, id)} is not a segmented encode's work folder (a job id holding plan.json or chunks); left alone`);
      continue;
    }
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
