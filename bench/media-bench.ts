/**
 * The `media` section: real jobs with the real processors and real ffmpeg/ffprobe through the
 * embedded runtime (startMediaRuntime: SQLite stores, library and data folders under a temp dir,
 * removed at the end). The cpu limit is 4 (the scan's parallelism) and progress/log lines are
 * flushed every 200 ms, the production default (the test helper's own default is 20 ms).
 *
 *   - media.reencode.overhead_ratio (media-reencode.ts)
 *   - media.scan.speedup, media.scan.files_per_s (media-scan.ts)
 */
import { loadConfig } from '../src/main/runtime/config';
import { startMediaRuntime } from '../src/main/processors/testing/media-runtime';
import { benchReencodeOverhead } from './media-reencode';
import { benchScanSpeedup } from './media-scan';
import type { Metric } from './report';
import { progress } from './support';

export const MEDIA_LIMITS = { cpu: 4, gpu_encode: 2, gpu_ai: 1 } as const;

export async function benchMedia(): Promise<Metric[]> {
  const startedAt = performance.now();
  const m = await startMediaRuntime({ limits: MEDIA_LIMITS, reportFlushMs: loadConfig({}).reportFlushMs });
  try {
    const { tools, encoders } = m.embedded;
    progress(
      `media: runtime up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s in ${m.dir}; ` +
        `ffmpeg ${tools?.ffmpeg.path ?? '(missing)'}, ffprobe ${tools?.ffprobe.path ?? '(missing)'}, encoders ${encoders.available.join(', ') || 'none'}`,
    );
    const metrics = [...(await benchReencodeOverhead(m)), ...(await benchScanSpeedup(m))];
    progress(`media: section took ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    return metrics;
  } finally {
    await m.dispose();
  }
}
