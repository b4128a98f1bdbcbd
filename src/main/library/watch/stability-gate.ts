/**
 * The stability gate: a new or changed file becomes a library video only once its size and mtime
 * have stayed the same for `stableMs`, as this watcher saw them (never a half-copied file).
 *
 * Pure: times are passed in. Each observation (a file event, or the gate's own check) records the
 * file's size and mtime; one that differs from the last restarts its quiet period. When a file's
 * quiet period is over, the caller looks again (a fresh stat) and confirms: the same size and mtime
 * mean no write happened in between (every write moves the mtime), so the file is stable.
 */
export interface FileSignature {
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

interface Candidate<M> {
  signature: FileSignature;
  /** When it was last seen to change (or first seen). */
  quietSince: number;
  meta: M;
}

export type Confirmation = 'stable' | 'changed' | 'early' | 'unknown';

export class StabilityGate<M = undefined> {
  private readonly candidates = new Map<string, Candidate<M>>();

  constructor(readonly stableMs: number) {}

  /** A file was seen with this size and mtime at `now` (its quiet period restarts when they changed). */
  observe(path: string, signature: FileSignature, now: number, meta: M): void {
    const known = this.candidates.get(path);
    if (known && sameSignature(known.signature, signature)) return;
    this.candidates.set(path, { signature, quietSince: now, meta });
  }

  /** Looks again at a file whose quiet period is over: stable (and let go), changed (waits again), or not yet due. */
  confirm(path: string, signature: FileSignature, now: number): Confirmation {
    const known = this.candidates.get(path);
    if (!known) return 'unknown';
    if (!sameSignature(known.signature, signature)) {
      this.candidates.set(path, { ...known, signature, quietSince: now });
      return 'changed';
    }
    if (now - known.quietSince < this.stableMs) return 'early';
    this.candidates.delete(path);
    return 'stable';
  }

  /** Starts a file's quiet period again (it could not be read yet). */
  postpone(path: string, now: number): void {
    const known = this.candidates.get(path);
    if (known) known.quietSince = now;
  }

  forget(path: string): void {
    this.candidates.delete(path);
  }

  /** Forgets every candidate at `folder` or under it. */
  forgetUnder(folder: string): void {
    for (const path of this.candidates.keys()) if (path === folder || path.startsWith(`${folder}/`)) this.candidates.delete(path);
  }

  /** The files whose quiet period is over at `now`, with what was recorded about them. */
  due(now: number): Array<{ path: string; meta: M }> {
    const out: Array<{ path: string; meta: M }> = [];
    for (const [path, c] of this.candidates) if (now - c.quietSince >= this.stableMs) out.push({ path, meta: c.meta });
    return out;
  }

  /** When the next quiet period ends; null when no file waits. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const c of this.candidates.values()) next = next === null ? c.quietSince + this.stableMs : Math.min(next, c.quietSince + this.stableMs);
    return next;
  }

  get size(): number {
    return this.candidates.size;
  }

  has(path: string): boolean {
    return this.candidates.has(path);
  }
}

function sameSignature(a: FileSignature, b: FileSignature): boolean {
  return a.sizeBytes === b.sizeBytes && a.mtimeMs === b.mtimeMs;
}
