/** The handlers of GET/PUT /api/media/watch: the library watcher's settings and state. */
import { AppError } from '../../shared/contracts/errors';
import type { LibraryWatcher } from './library-watcher';
import type { OperationHandlers } from './operations';

export function watchHandlers(watcher: LibraryWatcher | null): Pick<OperationHandlers, 'getWatchSettings' | 'setWatchSettings'> {
  const require = (): LibraryWatcher => {
    if (!watcher) throw new AppError('NOT_FOUND', 'This runtime has no library to watch.');
    return watcher;
  };
  return {
    getWatchSettings: async () => require().state(),
    setWatchSettings: async (input) => require().update(input),
  };
}
