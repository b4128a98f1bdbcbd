/**
 * The Library page's search, filters and page in the URL (`#/library?q=beach&dir=inbox&page=2`),
 * read when the page opens (so a job's detail can link to its files: `#/library?q=<file name>`)
 * and written back, in place, as they change.
 */
import { useEffect, useRef } from 'react';
import { ORIENTATIONS, VIDEO_DIRECTORIES, type Orientation, type VideoDirectory } from '../../../../shared/domain/library';
import { NO_LIBRARY_FILTERS, type LibraryFilters, type LibraryState, type LibraryStore } from '../../stores/library-store';
import { sameQuery, type RouteQuery } from '../../stores/navigation-store';

const tri = (v: string | undefined): boolean | null => (v === 'true' ? true : v === 'false' ? false : null);

export function libraryQueryOf({ filters: f, page }: Pick<LibraryState, 'filters' | 'page'>): RouteQuery {
  const query: Record<string, string> = {};
  if (f.search.trim()) query.q = f.search.trim();
  if (f.tag.trim()) query.tag = f.tag.trim();
  if (f.directoryType) query.dir = f.directoryType;
  if (f.orientation) query.orientation = f.orientation;
  if (f.valid !== null) query.valid = String(f.valid);
  if (f.missing !== null) query.missing = String(f.missing);
  if (page > 1) query.page = String(page);
  return query;
}

export function libraryViewOf(query: RouteQuery): { filters: LibraryFilters; page: number } {
  const page = Number(query.page);
  return {
    filters: {
      ...NO_LIBRARY_FILTERS,
      search: (query.q ?? '').slice(0, 200),
      tag: (query.tag ?? '').slice(0, 100),
      directoryType: (VIDEO_DIRECTORIES as readonly string[]).includes(query.dir ?? '') ? (query.dir as VideoDirectory) : null,
      orientation: (ORIENTATIONS as readonly string[]).includes(query.orientation ?? '') ? (query.orientation as Orientation) : null,
      valid: tri(query.valid),
      missing: tri(query.missing),
    },
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** Loads the page as the URL says (always once on open) and keeps the URL in step with the view. */
export function useLibraryUrl(store: LibraryStore, query: RouteQuery | undefined, setQuery: ((query: RouteQuery) => void) | undefined): void {
  const opened = useRef(false);
  useEffect(() => {
    const differs = query !== undefined && !sameQuery(libraryQueryOf(store.getState()), query);
    if (differs) store.setState(libraryViewOf(query!));
    // the page reads the library when it opens, and again only when the URL asks for another view
    if (differs || !opened.current) void store.getState().load();
    opened.current = true;
  }, [store, query]);
  useEffect(() => {
    if (!setQuery) return;
    return store.subscribe((state, previous) => {
      if (state.filters !== previous.filters || state.page !== previous.page) setQuery(libraryQueryOf(state));
    });
  }, [store, setQuery]);
}
