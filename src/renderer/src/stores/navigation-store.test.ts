import { describe, expect, it } from 'vitest';
import { createNavigationStore, formatHash, parseHash } from './navigation-store';

function fakeWindow(hash = '') {
  const listeners: Array<() => void> = [];
  const win = {
    location: { hash },
    history: { state: null, replaceState: (_s: unknown, _t: string, url: string) => (win.location.hash = url) },
    addEventListener: (_: string, fn: () => void) => listeners.push(fn),
    /** The user moved (back button, a link): the hash changed and the browser says so. */
    go(next: string) {
      win.location.hash = next;
      for (const fn of listeners) fn();
    },
  };
  return win;
}

describe('navigation in the URL hash', () => {
  it('lands on the dashboard and reads pages, open jobs and queries', () => {
    expect(parseHash('')).toEqual({ page: 'dashboard', jobId: null, query: {} });
    expect(parseHash('#/nowhere')).toMatchObject({ page: 'dashboard' });
    expect(parseHash('#/jobs/abc?status=failed&q=beach%20day')).toEqual({ page: 'jobs', jobId: 'abc', query: { status: 'failed', q: 'beach day' } });
    // a job id typed in upper case names the same job as the rows and live events (lower case)
    expect(parseHash('#/jobs/01A2512A-AFC5-72A4-ACD7-F2622A477D25')).toMatchObject({ jobId: '01a2512a-afc5-72a4-acd7-f2622a477d25' });
    expect(formatHash({ page: 'jobs', jobId: 'abc', query: { status: 'failed', q: 'beach day' } })).toBe('#/jobs/abc?status=failed&q=beach+day');
    expect(formatHash({ page: 'library', jobId: null, query: { q: '' } })).toBe('#/library');
  });

  it('keeps the query when a job opens and closes, replaces it in place, and follows the back button', () => {
    const win = fakeWindow('#/jobs?status=failed');
    const store = createNavigationStore(win as never);
    store.getState().openJob('j1');
    expect(win.location.hash).toBe('#/jobs/j1?status=failed');
    store.getState().setQuery({ status: 'failed', page: '2' });
    expect(win.location.hash).toBe('#/jobs/j1?status=failed&page=2');
    store.getState().openJob(null);
    expect(win.location.hash).toBe('#/jobs?status=failed&page=2');
    win.go('#/system');
    expect(store.getState().route.page).toBe('system');
  });

  it('shows a page as it was left when its link is followed', () => {
    const win = fakeWindow('#/jobs?type=scan');
    const store = createNavigationStore(win as never);
    store.getState().navigate({ page: 'library', query: { q: 'x' } });
    store.getState().navigate({ page: 'jobs' });
    expect(win.location.hash).toBe('#/jobs?type=scan');
    store.getState().navigate({ page: 'library' });
    expect(win.location.hash).toBe('#/library?q=x');
  });
});
