/**
 * In-process notifications of the library watcher: a video newly registered, a known file that
 * changed on disk (re-probed), or one that vanished (marked missing). The pipelines' `file_added`
 * trigger listens here. Listeners are called synchronously after the store was written; one that
 * throws is isolated from the others and from the watcher.
 */
import type { VideoRecord } from '../core/library-ports';

export interface LibraryVideoEvent {
  /** registered: a new file, probed; changed: a known file whose size or mtime changed, probed again; missing: its file vanished. */
  readonly type: 'video.registered' | 'video.changed' | 'video.missing';
  /** The video as stored after the write (registered and changed: with the probe's result, valid or not). */
  readonly video: VideoRecord;
  /** The watched folder (library-relative, as configured) the file is in. */
  readonly folder: string;
  /** When the watcher wrote it (ms since the epoch, the runtime's clock). */
  readonly at: number;
}

export type LibraryVideoListener = (event: LibraryVideoEvent) => void;

export class LibraryVideoEvents {
  private readonly listeners = new Set<LibraryVideoListener>();

  observe(listener: LibraryVideoListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: LibraryVideoEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('A library video listener failed:', error);
      }
    }
  }
}
