/**
 * Which of the log lines a panel received as events belong after the log it loaded: the lines
 * that arrived in the seconds before it opened (`seeded`, recent-log-lines.ts) and those that
 * arrived while it loaded (`held`), minus those the loaded log already contains.
 *
 * The stored log is a prefix of what the server sent, in order (lines are stored by a later flush,
 * never reordered), so a received line is matched against every loaded line, counted, to show
 * each once; and a seeded line that the loaded log lacks although a later line is stored was never
 * going to be: the server's bound dropped it from the middle of a chatty log, or it came after
 * the job's end (a process's last words after a cancel). Those are left out rather than appended
 * after newer lines. Held lines are all newer than the open, so they are only matched.
 */
import type { JobLogLine } from '../../../shared/contracts/job';

export interface ReceivedLine {
  readonly at: string;
  readonly text: string;
}

const keyOf = (line: ReceivedLine) => `${line.at}\u0000${line.text}`;

/** The received lines to append after `stored`, numbered on from `after` (the loaded log's cursor). */
export function linesAfterLoad(stored: readonly JobLogLine[], after: number, seeded: readonly ReceivedLine[], held: readonly ReceivedLine[]): JobLogLine[] {
  const unmatched = new Map<string, number>();
  for (const line of stored) unmatched.set(keyOf(line), (unmatched.get(keyOf(line)) ?? 0) + 1);
  const lastStoredAt = stored.at(-1)?.at;
  const fresh: JobLogLine[] = [];
  let next = after;
  const take = (line: ReceivedLine, seededLine: boolean) => {
    const key = keyOf(line);
    const count = unmatched.get(key) ?? 0;
    if (count > 0) {
      unmatched.set(key, count - 1);
      return;
    }
    // ISO times: the string order is the time order
    if (seededLine && lastStoredAt !== undefined && line.at < lastStoredAt) return;
    next += 1;
    fresh.push({ line: next, at: line.at, text: line.text });
  };
  for (const line of seeded) take(line, true);
  for (const line of held) take(line, false);
  return fresh;
}
