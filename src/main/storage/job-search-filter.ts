/** Which job listings the bucketed counts cannot serve (both adapters read them another way: *-job-search.ts). */
import type { JobFilter } from '../core/ports';

/** A search or a creation-date range: the buckets count by type, status and category only. */
export function isSearchFilter(filter: JobFilter): boolean {
  return filter.search !== undefined || filter.createdFrom !== undefined || filter.createdTo !== undefined;
}
