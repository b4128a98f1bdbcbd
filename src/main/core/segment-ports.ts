/**
 * What segmented encodes (#20) need from the job store: a parent's children, and the hand-off that
 * inserts chunk jobs and makes the parent wait for them without holding a slot. Implemented by
 * storage/sqlite/sqlite-segment-store.ts and storage/postgres/pg-segment-store.ts; used by processors/segments and runtime/segments.
 */
import type { AttemptFence, JobRecord, NewJob } from './ports';

export interface HandOff {
  /** False when the parent's attempt is no longer current (cancelled, rescued): nothing was written. */
  readonly applied: boolean;
  /** The parent's children not finished yet, after the insert. */
  readonly pending: number;
}

export interface SegmentStore {
  /** The chunk and audio jobs of `parentJobId`, oldest first. */
  children(parentJobId: string): Promise<JobRecord[]>;
  /** The chunk and audio jobs of each of `parentJobIds` in ONE query (a page of the job list), oldest first; a parent without parts is absent. */
  childrenOf(parentJobIds: readonly string[]): Promise<Map<string, JobRecord[]>>;
  /**
   * In one transaction, fenced by the parent's running attempt (and refused once a cancel of it was
   * asked for: no part may outlive a cancelled parent): inserts `children`, then sets the
   * parent's children_pending to the number of its children that have not ended (counted after
   * taking the parent's row, so a child ending meanwhile is counted exactly once) and its waiting
   * reason. The parent's attempt then ends as a hand-off (interrupted, no retry spent), and claims
   * skip it until the count is back to 0.
   */
  handOff(parent: AttemptFence, children: readonly NewJob[], waitingReason: string): Promise<HandOff>;
  /**
   * Sets `priority` on every part of `parentJobId` that has not ended, running ones included (a
   * running part keeps running; its retry, if any, waits at the new priority). Returns the parts changed.
   */
  setPartsPriority(parentJobId: string, priority: number, at: number): Promise<JobRecord[]>;
  /**
   * The start times (s from the video's first frame) of the scene cuts the analysis store holds for
   * `videoId` (every scene but the first), ascending; empty when it was never analysed.
   */
  sceneCuts(videoId: string): Promise<number[]>;
  /** Whether the store is a fleet's shared database (any node may encode a part). `auto` does not depend on it: it splits software encodes only, in a fleet too (segmented-transcode.ts chunkSecondsFor). */
  readonly shared: boolean;
}
