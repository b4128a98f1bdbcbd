/**
 * Recovery of the files of attempts that will not go on: after a crash (at start-up), and after a
 * lease sweep rescued jobs from a dead or frozen node (in a fleet the rescuing node removes them:
 * the library is shared). Whatever the job became (re-queued or failed for good), its dead
 * attempts' partials and unrecorded finals are taken from the store and removed from the library.
 */
import type { JobStore, PartialScope } from '../core/ports';
import { LibraryPaths } from '../library/library-paths';
import { removeAttemptFiles } from '../library/remove-partials';

export async function removeAbandonedPartials(store: JobStore, libraryPath: string, scope: PartialScope, logger: Pick<Console, 'warn'>): Promise<string[]> {
  const partials = await store.takeAbandonedPartials(scope);
  if (partials.length === 0) return [];
  const removed = await removeAttemptFiles(new LibraryPaths(libraryPath), partials);
  if (removed.length > 0) logger.warn(`Removed ${removed.length} file(s) left by attempts that will not go on: ${removed.slice(0, 20).join(', ')}${removed.length > 20 ? ', …' : ''}`);
  return removed;
}
