/**
 * automation.dry_run_ms: the `dryRunPipeline` operation (POST /api/media/pipelines/:id/dry-run,
 * through runtime.execute: input validation, the screening of every video, the answer built) over
 * a library of 10,000 probed videos in the embedded SQLite store, with a pipeline of 5 conditions
 * (valid, duration, codec, height and a tag, so tags are read) of which a fifth of the videos'
 * content is already processed (the loop breaker's fingerprints). The median of DRY_RUN_SAMPLES
 * runs after one warm-up; the note gives how many would run and the slowest run.
 *
 * BENCH_DRY_RUN_VIDEOS changes the library size for a try.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { VideoMetadata } from '../src/main/core/library-ports';
import { createRegistry } from '../src/main/processors/processor';
import { loadConfig } from '../src/main/runtime/config';
import { createRuntime } from '../src/main/runtime/create-runtime';
import { openSqliteStores } from '../src/main/storage/sqlite/open-sqlite-stores';
import { atMost, type Metric } from './report';
import { median, progress, tempDir } from './support';

const VIDEOS = Number(process.env.BENCH_DRY_RUN_VIDEOS ?? 10_000);
const DRY_RUN_SAMPLES = 7;
const CODECS = ['h264', 'hevc', 'mpeg4', 'vp9', 'av1'];

function metadata(i: number): VideoMetadata {
  const portrait = i % 7 === 0;
  return {
    durationSeconds: 10 + (i % 900),
    width: portrait ? 1080 : [640, 1280, 1920, 3840][i % 4]!,
    height: portrait ? 1920 : [360, 720, 1080, 2160][i % 4]!,
    fps: [24, 25, 30, 60][i % 4]!,
    videoCodec: CODECS[i % CODECS.length]!,
    audioCodec: i % 5 === 0 ? null : 'aac',
    bitrate: 1_000_000 + (i % 50) * 100_000,
    orientation: portrait ? 'portrait' : 'landscape',
    hasAudio: i % 5 !== 0,
    sizeBytes: 10_000_000 + i,
  };
}

export async function benchAutomationDryRun(videos = VIDEOS): Promise<Metric[]> {
  const tmp = tempDir('dry-run');
  const stores = openSqliteStores(tmp.dbFile);
  const config = loadConfig({ MEDIA_DATA_DIR: tmp.dir, MEDIA_LIBRARY_PATH: join(tmp.dir, 'library'), MEDIA_NODE_ID: 'bench', MEDIA_WATCH: '0' });
  const runtime = createRuntime({
    config,
    store: stores.jobs,
    videos: stores.videos,
    analysis: stores.analysis,
    pipelines: stores.pipelines,
    processors: createRegistry([]),
    logger: { info() {}, warn() {}, error: console.error },
  });
  try {
    progress(`automation: registering ${videos} probed videos, tags and processed content (not timed)`);
    const at = Date.now();
    const added = await stores.videos.addVideos(Array.from({ length: videos }, (_, i) => ({ id: randomUUID(), path: `videos/clip-${i}.mkv`, directoryType: 'videos' as const, sizeBytes: 10_000_000 + i, mtimeMs: 1_000 + i, at })));
    for (const [i, v] of added.entries()) {
      await stores.videos.recordProbe(v.id, { ok: true, metadata: metadata(i) }, at);
      if (i % 10 === 0) await stores.analysis.replaceTags(v.id, randomUUID(), [{ tag: i % 20 === 0 ? 'dark' : 'face', confidence: 0.8, startSeconds: null, endSeconds: null }], at);
    }
    await runtime.start();
    const pipeline = await runtime.execute('createPipeline', {
      name: 'Bench: re-encode large non-H.264 videos',
      trigger: { type: 'manual' },
      conditions: {
        all: [
          { field: 'valid', op: 'eq', value: true },
          { field: 'durationSeconds', op: 'gt', value: 60 },
          { field: 'videoCodec', op: 'notIn', value: ['h264'] },
          { field: 'height', op: 'gte', value: 720 },
          { field: 'tag', op: 'lacks', value: 'dark' },
        ],
      },
      steps: [{ id: 'reencode', type: 'reencode_streaming', params: { videoId: '{{video.id}}' } }],
    });
    const record = (await stores.pipelines.getPipeline(pipeline.id))!;
    for (const [i, v] of added.entries()) {
      if (i % 5 === 0) await stores.pipelines.recordOutputContent(record.id, record.stepsVersion, { sizeBytes: v.sizeBytes!, mtimeMs: v.mtimeMs!, hash: `h${i}` }, randomUUID(), at);
    }
    progress(`automation: ${DRY_RUN_SAMPLES} dry runs over ${videos} videos`);
    const samples: number[] = [];
    let wouldRun = 0;
    let skipped = 0;
    await runtime.execute('dryRunPipeline', { id: pipeline.id }); // warm-up (statements prepared, pages cached)
    for (let i = 0; i < DRY_RUN_SAMPLES; i++) {
      const t0 = performance.now();
      const result = await runtime.execute('dryRunPipeline', { id: pipeline.id });
      samples.push(performance.now() - t0);
      if (result.evaluated !== videos) throw new Error(`automation: the dry run evaluated ${result.evaluated} videos, not ${videos}`);
      wouldRun = result.wouldRun.length;
      skipped = result.skipped.length;
    }
    return [
      {
        metric: 'automation.dry_run_ms',
        value: median(samples),
        unit: 'ms',
        target: atMost(1_000),
        note: `dryRunPipeline through runtime.execute, ${videos} videos (SQLite), 5 conditions incl. a tag, 20% processed content; median of ${DRY_RUN_SAMPLES} (slowest ${Math.round(Math.max(...samples))} ms); ${wouldRun} would run, ${skipped} skipped`,
      },
    ];
  } finally {
    await runtime.stop();
    await stores.close();
    tmp.cleanup();
  }
}
