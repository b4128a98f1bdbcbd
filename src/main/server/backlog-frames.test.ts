import { describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contracts/job';
import type { RuntimeEvent } from '../runtime/events';
import { BacklogFrames } from './backlog-frames';
import { joinBatchedFrames } from './event-batch-frames';
import { EventJournal, joinFrames } from './event-journal';
import { sharedPiece } from './event-stream-gzip';

const created = (n: number): RuntimeEvent => ({ type: 'job.created', job: { id: `job-${n}`, type: 'scan', status: 'pending', progress: 0, priority: 5 } as unknown as Job });
const log = (n: number): RuntimeEvent => ({ type: 'job.log', jobId: 'job-1', at: new Date(n).toISOString(), text: `line ${n}` });

function journalOf(count: number): EventJournal {
  const journal = new EventJournal(1000);
  for (let n = 1; n <= count; n++) journal.append(n % 5 === 0 ? log(n) : created(n));
  return journal;
}

describe('BacklogFrames', () => {
  it('gives clients asking for the same backlog in the same form the very same buffer, so a gzip piece is deflated once', () => {
    const journal = journalOf(40);
    const backlogs = new BacklogFrames();
    const first = backlogs.bytesOf(journal.since(10).entries, 'columns');
    const second = backlogs.bytesOf(journal.since(10).entries, 'columns');
    expect(second).toBe(first);
    expect(sharedPiece(second)).toBe(sharedPiece(first));
    // and it is the backlog's bytes, as built for one client
    expect(first.equals(joinBatchedFrames(journal.since(10).entries, 'columns'))).toBe(true);
  });

  it('builds a backlog of another form, start or end on its own', () => {
    const journal = journalOf(40);
    const backlogs = new BacklogFrames();
    const columns = backlogs.bytesOf(journal.since(10).entries, 'columns');
    const plain = backlogs.bytesOf(journal.since(10).entries, null);
    expect(plain).not.toBe(columns);
    expect(plain.equals(joinFrames(journal.since(10).entries))).toBe(true);
    expect(backlogs.bytesOf(journal.since(11).entries, 'columns').equals(joinBatchedFrames(journal.since(11).entries, 'columns'))).toBe(true);
    journal.append(created(41));
    const longer = backlogs.bytesOf(journal.since(10).entries, 'columns');
    expect(longer).not.toBe(columns);
    expect(longer.equals(joinBatchedFrames(journal.since(10).entries, 'columns'))).toBe(true);
  });

  it('remembers only the last few backlogs', () => {
    const journal = journalOf(40);
    const backlogs = new BacklogFrames(2);
    const a = backlogs.bytesOf(journal.since(1).entries, null);
    backlogs.bytesOf(journal.since(2).entries, null);
    expect(backlogs.bytesOf(journal.since(1).entries, null)).toBe(a); // still one of the last two
    backlogs.bytesOf(journal.since(3).entries, null);
    backlogs.bytesOf(journal.since(4).entries, null);
    const again = backlogs.bytesOf(journal.since(1).entries, null);
    expect(again).not.toBe(a); // forgotten, built anew: the same bytes
    expect(again.equals(a)).toBe(true);
  });
});
