/**
 * `npm run bench`: runs every benchmark in one process and prints a table, or with `--json` one
 * JSON object per line on stdout and nothing else (progress goes to stderr). Targets are
 * reported, not asserted: the exit code is 0 when every benchmark ran, non-zero on an error.
 *
 *   npm run bench [-- --json] [-- --only throughput,peer,latency,enqueue,schedule,api,media,analysis,tagging,fleet]
 */
import { benchAnalysis } from './analysis-bench';
import { benchApi } from './api-latency';
import { benchEnqueueBulk } from './enqueue-bulk';
import { benchFleet } from './fleet-bench';
import { benchMedia } from './media-bench';
import { benchPlainjob } from './peer-plainjob';
import { benchQueueThroughput, THROUGHPUT_JOBS } from './queue-throughput';
import { atLeast, toJsonLines, toTable, type Metric } from './report';
import { benchScheduleDecision } from './schedule-decision';
import { benchStartLatency } from './start-latency';
import { progress } from './support';
import { benchTagging } from './tagging-bench';

const SECTIONS = ['throughput', 'peer', 'latency', 'enqueue', 'schedule', 'api', 'media', 'analysis', 'tagging', 'fleet'] as const;
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
    const r = await benchQueueThroughput();
    ours = r.jobsPerSecond;
    metrics.push(...r.metrics);
  }
  if (only.has('peer')) {
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
      note: 'queue.noop.throughput / queue.peer.plainjob.throughput, same run, same workload and durability',
    });
  }
  if (only.has('latency')) metrics.push(...(await benchStartLatency()));
  if (only.has('enqueue')) metrics.push(...(await benchEnqueueBulk()));
  if (only.has('schedule')) metrics.push(...(await benchScheduleDecision()));
  if (only.has('api')) metrics.push(...(await benchApi()));
  if (only.has('media')) metrics.push(...(await benchMedia()));
  if (only.has('analysis')) metrics.push(...(await benchAnalysis()));
  if (only.has('tagging')) metrics.push(...(await benchTagging()));
  if (only.has('fleet')) metrics.push(...(await benchFleet()));

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
