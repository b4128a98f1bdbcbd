/**
 * queue.noop.throughput.c1 and queue.peer.plainjob.throughput measured in alternating slices, for
 * their ratio queue.peer.throughput_ratio.c1 (when the throughput and peer sections run together).
 *
 * Why slices: both are bound by the commit's fsync, whose latency here moves several-fold within a
 * minute with the disk load of other processes (one 20,000-job run of each, one after the other,
 * gave ratios from 0.13 to 1.13 at the same code). So each side runs the same number of jobs in
 * SLICES slices of jobs / SLICES, in ABBA order (ours, plainjob, plainjob, ours, ours, …), each
 * slice exactly as the single run would be (a fresh store, the jobs inserted first, not timed;
 * ours with its live event subscriber). Each side's figure is its jobs over the sum of its slices'
 * times; the note lists the ratio of each adjacent pair, to show how much the load moved.
 */
import { benchPlainjob } from './peer-plainjob';
import { benchQueueThroughput } from './queue-throughput';
import { atLeast, type Metric } from './report';
import { progress } from './support';

export const SLICES = 8;

export async function benchC1AgainstPlainjob(jobs: number, slices = SLICES): Promise<{ ours: number; theirs: number; metrics: Metric[] }> {
  const per = Math.floor(jobs / slices);
  const ms = { ours: 0, theirs: 0 };
  const pairs: string[] = [];
  for (let i = 0; i < slices; i++) {
    progress(`c1 vs plainjob: slice ${i + 1} of ${slices} (${per} jobs each, ${i % 2 === 0 ? 'ours first' : 'plainjob first'})`);
    const runOurs = async () => per / (await benchQueueThroughput(per, 1)).jobsPerSecond;
    const runTheirs = async () => per / (await benchPlainjob(per)).jobsPerSecond;
    let oursS: number;
    let theirsS: number;
    if (i % 2 === 0) {
      oursS = await runOurs();
      theirsS = await runTheirs();
    } else {
      theirsS = await runTheirs();
      oursS = await runOurs();
    }
    ms.ours += oursS * 1000;
    ms.theirs += theirsS * 1000;
    pairs.push((theirsS / oursS).toFixed(2));
  }
  const total = per * slices;
  const ours = total / (ms.ours / 1000);
  const theirs = total / (ms.theirs / 1000);
  const how = `${total} jobs each in ${slices} alternating slices of ${per} (ABBA order, a fresh store per slice)`;
  return {
    ours,
    theirs,
    metrics: [
      {
        metric: 'queue.noop.throughput.c1',
        value: ours,
        unit: 'jobs/s',
        note: `no-op scan jobs at cpu concurrency limit 1 (one job at a time, like plainjob's single worker), with a live event subscriber, SQLite WAL + synchronous=FULL; ${how}`,
      },
      {
        metric: 'queue.peer.plainjob.throughput',
        value: theirs,
        unit: 'jobs/s',
        note: `plainjob 0.0.14, the same no-op jobs, 1 worker (no concurrency option), WAL + synchronous=FULL; ${how}; bulk add not timed`,
      },
      {
        metric: 'queue.peer.throughput_ratio.c1',
        value: ours / theirs,
        unit: 'ratio',
        target: atLeast(1),
        note: `queue.noop.throughput.c1 / queue.peer.plainjob.throughput: both one job at a time, same jobs and durability (ours with a live event subscriber), ${how}; the ratio of each slice pair: ${pairs.join(', ')}`,
      },
    ],
  };
}
