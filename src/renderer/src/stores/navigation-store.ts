/**
 * Which page is shown, kept in the URL hash: `#/dashboard` (the landing page), `#/jobs`,
 * `#/jobs/<id>` with that job's detail open, `#/library`, `#/system`, each with the page's state
 * as a query after it (`#/jobs?status=failed&page=2`), so a reload or a shared link shows the same.
 * Hash routing works the same from the desktop app's scheme and from the headless server; moving
 * between pages is a history entry (the back button works), a filter change replaces the entry.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';

export type Page = 'dashboard' | 'jobs' | 'library' | 'automations' | 'savings' | 'schedules' | 'notifications' | 'settings' | 'system';
export const PAGES: readonly Page[] = ['dashboard', 'jobs', 'library', 'automations', 'savings', 'schedules', 'notifications', 'settings', 'system'];

/** A page's own state in the URL (filters, page number …), as text. */
export type RouteQuery = Readonly<Record<string, string>>;

export interface Route {
  readonly page: Page;
  /** The job whose detail is open (Jobs page only). */
  readonly jobId: string | null;
  readonly query: RouteQuery;
}

const NO_QUERY: RouteQuery = Object.freeze({});

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const mark = body.indexOf('?');
  const path = mark >= 0 ? body.slice(0, mark) : body;
  const parts = path.split('/').filter(Boolean);
  const page = (PAGES as readonly string[]).includes(parts[0] ?? '') ? (parts[0] as Page) : 'dashboard';
  // job ids are UUIDs, which the server answers in lower case: a link typed in upper case must
  // match the ids of the rows and of live events
  const jobId = page === 'jobs' && parts[1] ? decodeURIComponent(parts[1]).toLowerCase() : null;
  const query = mark >= 0 ? Object.fromEntries(new URLSearchParams(body.slice(mark + 1))) : NO_QUERY;
  return { page, jobId, query };
}

export function formatQuery(query: RouteQuery): string {
  const entries = Object.entries(query).filter(([, v]) => v !== '');
  return entries.length > 0 ? `?${new URLSearchParams(entries).toString()}` : '';
}

export function formatHash(route: Route): string {
  const path = route.page === 'jobs' && route.jobId ? `#/jobs/${encodeURIComponent(route.jobId)}` : `#/${route.page}`;
  return path + formatQuery(route.query);
}

export function sameQuery(a: RouteQuery, b: RouteQuery): boolean {
  return formatQuery(a) === formatQuery(b);
}

export interface NavigationState {
  readonly route: Route;
  /** Shows a page: with `query`, or as it was last left. */
  navigate(route: { page: Page; jobId?: string | null; query?: RouteQuery }): void;
  /** Opens (or closes, with null) a job's detail on the Jobs page, keeping the page's query. */
  openJob(jobId: string | null): void;
  /** Replaces the current page's query (a filter changed): no new history entry. */
  setQuery(query: RouteQuery): void;
}

export type NavigationStore = StoreApi<NavigationState>;

type Win = Pick<Window, 'location' | 'addEventListener' | 'history'>;

/** A store synced with `window.location.hash` (pass no window in tests). */
export function createNavigationStore(win: Win | null = typeof window === 'undefined' ? null : window): NavigationStore {
  /** Each page's query when it was last shown: going back to a page (its nav link) shows it as left. */
  const lastQuery = new Map<Page, RouteQuery>();
  const store = createStore<NavigationState>()((set, get) => {
    const go = (route: Route) => {
      lastQuery.set(get().route.page, get().route.query);
      set({ route });
      if (win && win.location.hash !== formatHash(route)) win.location.hash = formatHash(route);
    };
    return {
      route: win ? parseHash(win.location.hash) : { page: 'dashboard', jobId: null, query: NO_QUERY },
      navigate: (route) => go({ page: route.page, jobId: route.jobId ?? null, query: route.query ?? lastQuery.get(route.page) ?? NO_QUERY }),
      openJob: (jobId) => {
        const current = get().route;
        go({ page: 'jobs', jobId, query: current.page === 'jobs' ? current.query : NO_QUERY });
      },
      setQuery: (query) => {
        const current = get().route;
        if (sameQuery(current.query, query)) return;
        const route = { ...current, query };
        set({ route });
        // replaceState fires no hashchange: the store is already up to date
        if (win) win.history.replaceState(win.history.state, '', formatHash(route));
      },
    };
  });
  win?.addEventListener('hashchange', () => {
    const route = parseHash(win.location.hash);
    const current = store.getState().route;
    if (route.page !== current.page || route.jobId !== current.jobId || !sameQuery(route.query, current.query)) store.setState({ route });
  });
  return store;
}
