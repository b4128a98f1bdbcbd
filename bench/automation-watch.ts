/**
 * `automation` section: the library watcher (src/main/runtime/library-watcher.ts) on real files,
 * a real SQLite store and the real ffprobe.
 *
 * - automation.detect_latency_ms: a complete clip renamed into a watched folder (native events,
 *   stableSeconds 1) → its `video.registered` event, minus stableSeconds; the median of
 *   DETECT_SAMPLES drops, one after another.
 * - automation.watch_cpu_idle_pct: CPU of this process (all threads: libuv's stat calls included)
 *   while the watcher watches a 10,000-file library in which nothing changes, polling every 60 s,
 *   over one whole interval; `.native` the same with native events (inotify) over a shorter window.
 *   The files are registered in the store first (as a past scan would have), so the start-up pass
 *   finds nothing to do; the note gives how long the watcher took to be ready.
 *
 * BENCH_WATCH_FILES, BENCH_WATCH_IDLE_S (polling window, default one interval: 60) and
 * BENCH_WATCH_NATIVE_IDLE_S (default 20) shorten it for a try.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeClip } from '../src/main/processors/media/testing/clips';
import { startWatchHarness, type WatchHarness } from '../src/main/runtime/testing/library-watch-harness';
import { atMost, type Metric } from './report';
import { median, percentile, progress, sleep } from './support';

const DETECT_SAMPLES = 10;
const STABLE_S = 1;
const LIBRARY_FILES = Number(process.env.BENCH_WATCH_FILES ?? 10_000);
const POLL_INTERVAL_S = 60;
const POLL_IDLE_S = Number(process.env.BENCH_WATCH_IDLE_S ?? POLL_INTERVAL_S);
const NATIVE_IDLE_S = Number(process.env.BENCH_WATCH_NATIVE_IDLE_S ?? 20);

async function detectLatency(): Promise<Metric> {
  const h = await startWatchHarness({ settings: { mode: 'native', stableSeconds: STABLE_S, folders: ['inbox'] } });
  try {
    const staging = join(h.dir, 'staging');
    mkdirSync(staging);
    const clip = await makeClip(staging, 'clip.mp4', { width: 320, height: 180, seconds: 2 });
    const latencies: number[] = [];
    for (let i = 0; i < DETECT_SAMPLES; i++) {
      const name = `drop-${i}.mp4`;
      copyFileSync(clip, join(staging, name));
      const completeAt = performance.now();
      renameSync(join(staging, name), join(h.library.root, 'inbox', name)); // complete at once, as a move from the same disk
      const event = await h.waitForEvent(`inbox/${name}`, 'video.registered', 30_000);
      if (event.video.valid !== true) throw new Error(`${name} was registered invalid: ${event.video.validationError}`);
      latencies.push(event.receivedAt - completeAt - STABLE_S * 1000);
    }
    return {
      metric: 'automation.detect_latency_ms',
      value: median(latencies),
      unit: 'ms',
      target: atMost(1000),
      note: `native events, stableSeconds ${STABLE_S}: rename of a complete 2-s clip into inbox/ → video.registered (probed), minus stableSeconds; median of ${DETECT_SAMPLES}, p90 ${percentile(latencies, 90).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
    };
  } finally {
    await h.dispose();
  }
}

/** 10,000 small files in 100 folders, registered in the store as a past scan would have left them. */
async function seedLibrary(h: WatchHarness): Promise<void> {
  const body = Buffer.alloc(1024, 1);
  const files = [];
  for (let i = 0; i < LIBRARY_FILES; i++) {
    const folder = `videos/shelf-${String(i % 100).padStart(2, '0')}`;
    if (i < 100) mkdirSync(join(h.library.root, folder), { recursive: true });
    const path = `${folder}/file-${i}.mp4`;
    writeFileSync(join(h.library.root, path), body);
    const s = statSync(join(h.library.root, path));
    files.push({ id: randomUUID(), path, directoryType: 'videos' as const, sizeBytes: s.size, mtimeMs: Math.round(s.mtimeMs), at: Date.now() });
  }
  const added = await h.stores.videos.addVideos(files);
  for (const v of added) await h.stores.videos.recordProbe(v.id, { ok: false, error: 'bench filler' }, Date.now());
}

function cpuPercentOver(startedAt: number, cpu: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) / 1000 / (performance.now() - startedAt)) * 100;
}

async function idleCpu(h: WatchHarness, mode: 'native' | 'polling', windowS: number): Promise<{ pct: number; readyMs: number }> {
  const started = performance.now();
  await h.restart({ mode, pollIntervalSeconds: POLL_INTERVAL_S, stableSeconds: STABLE_S, folders: ['videos'] });
  const readyMs = performance.now() - started;
  if (h.events.length > 0) throw new Error(`the start-up pass found ${h.events.length} change(s) in an unchanged library`);
  await sleep(2_000); // chokidar's last start-up callbacks
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await sleep(windowS * 1000);
  const pct = cpuPercentOver(t0, cpu0);
  if (h.events.length > 0) throw new Error(`the watcher reported ${h.events.length} event(s) while nothing changed`);
  return { pct, readyMs };
}

async function idleCpuMetrics(): Promise<Metric[]> {
  const h = await startWatchHarness({ stopped: true, settings: { folders: ['videos'] } });
  try {
    progress(`automation: writing and registering ${LIBRARY_FILES} files`);
    await seedLibrary(h);
    await sleep(2_000); // what seeding left (garbage collection) is not the baseline
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await sleep(3_000);
    const baseline = cpuPercentOver(t0, cpu0);
    progress(`automation: polling every ${POLL_INTERVAL_S} s, measuring ${POLL_IDLE_S} s idle`);
    const polling = await idleCpu(h, 'polling', POLL_IDLE_S);
    progress(`automation: native events, measuring ${NATIVE_IDLE_S} s idle`);
    const native = await idleCpu(h, 'native', NATIVE_IDLE_S);
    const common = `${LIBRARY_FILES} files in 100 folders, all registered, nothing changing; this process's CPU (all threads) / wall time; the bench process alone idled at ${baseline.toFixed(2)} %`;
    return [
      {
        metric: 'automation.watch_cpu_idle_pct',
        value: polling.pct,
        unit: '% of a core',
        target: atMost(1),
        note: `polling every ${POLL_INTERVAL_S} s, over ${POLL_IDLE_S} s; ${common}; ready (chokidar walk + start-up pass) in ${(polling.readyMs / 1000).toFixed(1)} s`,
      },
      {
        metric: 'automation.watch_cpu_idle_pct.native',
        value: native.pct,
        unit: '% of a core',
        note: `native events (inotify), over ${NATIVE_IDLE_S} s; ${common}; ready in ${(native.readyMs / 1000).toFixed(1)} s`,
      },
    ];
  } finally {
    await h.dispose();
  }
}

export async function benchAutomation(): Promise<Metric[]> {
  progress('automation: detect latency (native events)');
  const latency = await detectLatency();
  return [latency, ...(await idleCpuMetrics())];
}
