/**
 * `npm run bench`: runs every benchmark in one process and prints a table, or with `--json` one
 * JSON object per line on stdout and nothing else (progress goes to stderr). Targets are
 * reported, not asserted: the exit code is 0 when every benchmark ran, non-zero on an error.
 *
 *   npm run bench [-- --json] [-- --only throughput,peer,latency,enqueue,schedule,cleaner,api,media,transcode,analysis,tagging,fleet,automation]
 */
import { benchAnalysis } from './analysis-bench';
import { benchApi } from './api-latency';
import { benchAutomation } from './automation-watch';
import { benchAutomationDryRun } from './automation-dry-run';
import { benchCleanerPrune } from './cleaner-prune';
import { benchEnqueueBulk } from './enqueue-bulk';
import { benchFleet } from './fleet-bench';
import { benchMedia } from './media-bench';
import { benchMediaTranscode } from './media-transcode';
import { benchSegments } from './media-segments';
import { benchC1AgainstPlainjob } from './peer-c1';
import { benchPlainjob } from './peer-plainjob';
import { benchQueueThroughput, THROUGHPUT_CPU_LIMIT, THROUGHPUT_JOBS } from './queue-throughput';
import { atLeast, toJsonLines, toTable, type Metric } from './report';
import { benchScheduleDecision } from './schedule-decision';
import { benchScheduleDecisionGpus } from './schedule-decision-gpus';
import { benchStartLatency } from './start-latency';
import { progress } from './support';
import { benchTagging } from './tagging-bench';

const SECTIONS = ['throughput', 'peer', 'latency', 'enqueue', 'schedule', 'cleaner', 'api', 'media', 'transcode', 'analysis', 'tagging', 'fleet', 'automation'] as const;
type Section = (typeof SECTIONS)[number];

function parseArgs(argv: readonly string[]): { json: boolean; only: Set<Section> } {
  let json = false;
  let only = new Set<Section>(SECTIONS);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      const names = (value ?? '').split(',').filter(Boolean);
      const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes a comma-separated list of ${SECTIONS.join(', ')}`);
      only = new Set(names as Section[]);
    } else throw new Error(`Unknown argument ${arg}. Usage: npm run bench [-- --json] [-- --only ${SECTIONS.join(',')}]`);
  }
  return { json, only };
}

async function main(): Promise<void> {
  const { json, only } = parseArgs(process.argv.slice(2));
  const startedAt = performance.now();
  progress(`node ${process.version}, ${process.platform}/${process.arch}`);
  const metrics: Metric[] = [];

  let ours: number | undefined;
  let theirs: number | undefined;
  if (only.has('throughput')) {
    const r = await benchQueueThroughput(THROUGHPUT_JOBS, THROUGHPUT_CPU_LIMIT);
    ours = r.jobsPerSecond;
    metrics.push(...r.metrics);
  }
  if (only.has('throughput') && only.has('peer')) {
    // ours at limit 1 against plainjob in alternating slices (bench/peer-c1.ts): the disk load moves too much between two runs
    const paired = await benchC1AgainstPlainjob(THROUGHPUT_JOBS);
    theirs = paired.theirs;
    metrics.push(...paired.metrics);
  } else if (only.has('throughput')) {
    metrics.push(...(await benchQueueThroughput(THROUGHPUT_JOBS, 1)).metrics);
  } else if (only.has('peer')) {
    const r = await benchPlainjob(THROUGHPUT_JOBS);
    theirs = r.jobsPerSecond;
    metrics.push(...r.metrics);
  }
  if (ours !== undefined && theirs !== undefined) {
    metrics.push({
      metric: 'queue.peer.throughput_ratio',
      value: ours / theirs,
      unit: 'ratio',
      target: atLeast(1),
      note:
        `queue.noop.throughput / queue.peer.plainjob.throughput, same run, same jobs and durability; concurrency differs: ` +
        `ours runs up to ${THROUGHPUT_CPU_LIMIT} jobs at a time, plainjob's one worker 1 (it has no concurrency option): see queue.peer.throughput_ratio.c1`,
    });
  }
  if (only.has('latency')) metrics.push(...(await benchStartLatency()));
  if (only.has('enqueue')) metrics.push(...(await benchEnqueueBulk()));
  if (only.has('schedule')) metrics.push(...(await benchScheduleDecision()), ...(await benchScheduleDecisionGpus()));
  if (only.has('cleaner')) metrics.push(...(await benchCleanerPrune()));
  if (only.has('api')) metrics.push(...(await benchApi()));
  if (only.has('media')) metrics.push(...(await benchMedia()));
  if (only.has('transcode')) metrics.push(...(await benchMediaTranscode()), ...(await benchSegments()));
  if (only.has('analysis')) metrics.push(...(await benchAnalysis()));
  if (only.has('tagging')) metrics.push(...(await benchTagging()));
  if (only.has('fleet')) metrics.push(...(await benchFleet()));
  if (only.has('automation')) metrics.push(...(await benchAutomation()));
  if (only.has('automation')) metrics.push(...(await benchAutomationDryRun()));

  progress(`done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  process.stdout.write(`${json ? toJsonLines(metrics) : toTable(metrics)}\n`);
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`[bench] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
