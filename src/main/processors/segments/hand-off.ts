/**
 * How a processor says "my work now runs in child jobs": the attempt ends as a hand-off, recorded
 * like an interruption (back to waiting, no retry spent, slot freed), not as a failure. The store
 * already made the job wait for its children (SegmentStore.handOff), so claims skip it until they end.
 */
export class HandedToChildren extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandedToChildren';
  }
}
