/**
 * Which page is shown, kept in the URL hash (`#/jobs`, `#/jobs/<id>` with that job's detail open,
 * `#/library`, `#/system`): works the same from file:// in Electron and from the headless server,
 * and the browser's back button moves between pages.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';

export type Page = 'jobs' | 'library' | 'system';
export const PAGES: readonly Page[] = ['jobs', 'library', 'system'];

export interface Route {
  readonly page: Page;
  /** The job whose detail is open (Jobs page only). */
  readonly jobId: string | null;
}

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const page = (PAGES as readonly string[]).includes(parts[0] ?? '') ? (parts[0] as Page) : 'jobs';
  const jobId = page === 'jobs' && parts[1] ? decodeURIComponent(parts[1]) : null;
  return { page, jobId };
}

export function formatHash(route: Route): string {
  return route.page === 'jobs' && route.jobId ? `#/jobs/${encodeURIComponent(route.jobId)}` : `#/${route.page}`;
}

export interface NavigationState {
  readonly route: Route;
  navigate(route: Partial<Route> & { page: Page }): void;
  openJob(jobId: string | null): void;
}

export type NavigationStore = StoreApi<NavigationState>;

/** A store synced with `window.location.hash` (pass no window in tests). */
export function createNavigationStore(win: Pick<Window, 'location' | 'addEventListener' | 'history'> | null = typeof window === 'undefined' ? null : window): NavigationStore {
  const store = createStore<NavigationState>()((set) => {
    const go = (route: Route) => {
      set({ route });
      if (win && win.location.hash !== formatHash(route)) win.location.hash = formatHash(route);
    };
    return {
      route: win ? parseHash(win.location.hash) : { page: 'jobs', jobId: null },
      navigate: (route) => go({ page: route.page, jobId: route.jobId ?? null }),
      openJob: (jobId) => go({ page: 'jobs', jobId }),
    };
  });
  win?.addEventListener('hashchange', () => {
    const route = parseHash(win.location.hash);
    const current = store.getState().route;
    if (route.page !== current.page || route.jobId !== current.jobId) store.setState({ route });
  });
  return store;
}
