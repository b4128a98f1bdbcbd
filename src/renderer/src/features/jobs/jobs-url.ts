/**
 * The Jobs page's state in the URL (`#/jobs?status=failed&q=beach&from=2026-02-01&page=2`): read
 * once when the page opens (a reload or a shared link shows the same jobs) and written back, in
 * place, whenever the filters, the page or its size change.
 */
import { useEffect } from 'react';
import { isJobType } from '../../../../shared/domain/job-types';
import { JOB_STATUSES, RESOURCE_CATEGORIES, type JobStatus, type ResourceCategory } from '../../../../shared/domain/statuses';
import type { JobsStore, JobsState, JobFilters } from '../../stores/jobs-store';
import { NO_JOB_FILTERS } from '../../stores/jobs-store';
import type { RouteQuery } from '../../stores/navigation-store';
import { sameQuery } from '../../stores/navigation-store';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LIMITS = [10, 25, 50, 100];

export function jobsQueryOf(state: Pick<JobsState, 'filters' | 'page' | 'limit'>): RouteQuery {
  const { filters: f, page, limit } = state;
  const query: Record<string, string> = {};
  if (f.status) query.status = f.status;
  if (f.type) query.type = f.type;
  if (f.resourceCategory) query.category = f.resourceCategory;
  if (f.search.trim()) query.q = f.search.trim();
  if (f.createdFrom) query.from = f.createdFrom;
  if (f.createdTo) query.to = f.createdTo;
  if (page > 1) query.page = String(page);
  if (limit !== 25) query.limit = String(limit);
  return query;
}

/** What a URL asks for; anything unknown or malformed is left out (the defaults apply). */
export function jobsViewOf(query: RouteQuery): { filters: JobFilters; page: number; limit: number } {
  const status = (JOB_STATUSES as readonly string[]).includes(query.status ?? '') ? (query.status as JobStatus) : null;
  const category = (RESOURCE_CATEGORIES as readonly string[]).includes(query.category ?? '') ? (query.category as ResourceCategory) : null;
  const page = Number(query.page);
  const limit = Number(query.limit);
  return {
    filters: {
      ...NO_JOB_FILTERS,
      status,
      type: query.type && isJobType(query.type) ? query.type : null,
      resourceCategory: category,
      search: (query.q ?? '').slice(0, 200),
      createdFrom: DAY.test(query.from ?? '') ? query.from! : null,
      createdTo: DAY.test(query.to ?? '') ? query.to! : null,
    },
    page: Number.isInteger(page) && page > 0 ? page : 1,
    limit: LIMITS.includes(limit) ? limit : 25,
  };
}

/** Keeps the jobs store and the URL's query in step (both ways; equal states stop the echo); without a query, nothing. */
export function useJobsUrl(store: JobsStore, query: RouteQuery | undefined, setQuery: ((query: RouteQuery) => void) | undefined): void {
  // the URL changed (opened, reloaded, back button): show what it says
  useEffect(() => {
    if (query && !sameQuery(jobsQueryOf(store.getState()), query)) store.getState().restore(jobsViewOf(query));
  }, [store, query]);
  // the user changed the view: say it in the URL
  useEffect(() => {
    if (!setQuery) return;
    return store.subscribe((state, previous) => {
      if (state.filters !== previous.filters || state.page !== previous.page || state.limit !== previous.limit) setQuery(jobsQueryOf(state));
    });
  }, [store, setQuery]);
}
