/**
 * Which of the log lines a panel received as events belong after the log it loaded: the lines
 * that arrived in the seconds before it opened (`seeded`, recent-log-lines.ts) and those that
 * arrived while it loaded (`held`), minus those the loaded log already contains.
 *
 * A received line is matched against every loaded line, counted, so it is shown once. The server
 * stores a job's lines in the order it sent them (a later flush, never reordered), so once a
 * received line is found stored, every line received before it was stored too, or never will be:
 * the server's bound dropped it from the middle of a chatty log, or its attempt was replaced. Those
 * are left out rather than appended after newer lines; only the unmatched lines after the last
 * matched one, not stored yet, are appended. Order decides, not the lines' times: a line the store
 * writes itself (a cancel request) may carry a later time than a line still waiting for its flush.
 */
import type { JobLogLine } from '../../../shared/contracts/job';

export interface ReceivedLine {
  readonly at: string;
  readonly text: string;
}

// without NUL characters: PostgreSQL cannot store them, so its log has the line without them
const keyOf = (line: ReceivedLine) => `${line.at}\u0000${line.text.replaceAll('\u0000', '')}`;

/** The received lines (`seeded`, then `held`, each in the order received) to append after `stored`, numbered on from `after` (the loaded log's cursor). */
export function linesAfterLoad(stored: readonly JobLogLine[], after: number, seeded: readonly ReceivedLine[], held: readonly ReceivedLine[]): JobLogLine[] {
  const unmatched = new Map<string, number>();
  for (const line of stored) unmatched.set(keyOf(line), (unmatched.get(keyOf(line)) ?? 0) + 1);
  const received = [...seeded, ...held];
  let lastStored = -1;
  received.forEach((line, i) => {
    const count = unmatched.get(keyOf(line)) ?? 0;
    if (count === 0) return;
    unmatched.set(keyOf(line), count - 1);
    lastStored = i;
  });
  // everything after the last line found stored is not stored yet
  return received.slice(lastStored + 1).map((line, i) => ({ line: after + i + 1, at: line.at, text: line.text }));
}
