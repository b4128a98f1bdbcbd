/**
 * SQL status predicates rendered from the lifecycle table (core/lifecycle.ts) and the status
 * classes (shared/domain/statuses.ts), for both stores: no store spells a list of statuses by hand.
 * Statuses and categories are fixed enum literals, checked against the domain here, so inlining
 * them is safe; inlined, they also let the planners match partial indexes (whose predicates are
 * written the same way: `status IN ('pending', 'queued')`, in JOB_STATUSES order).
 */
import { JOB_STATUSES, LIVE_STATUSES, RESOURCE_CATEGORIES, WAITING_STATUSES, type JobStatus, type ResourceCategory } from '../../shared/domain/statuses';
import { statusesFor, targetOf, type LifecycleAction } from '../core/lifecycle';

const COLUMN = /^(?:[a-z_]+\.)?[a-z_]+$/;

function literal<T extends string>(value: T, allowed: readonly string[], what: string): string {
  if (!allowed.includes(value)) throw new Error(`Not a ${what}: ${JSON.stringify(value)}`);
  return `'${value}'`;
}

/** `'running'`: one status as an SQL literal. */
export function sqlStatus(status: JobStatus): string {
  return literal(status, JOB_STATUSES, 'job status');
}

/** `status IN ('running', 'suspended')` (a single status: `status = 'running'`), in JOB_STATUSES order. */
export function statusIn(statuses: readonly JobStatus[], column = 'status'): string {
  if (!COLUMN.test(column)) throw new Error(`Not a column: ${column}`);
  if (statuses.length === 0) throw new Error('statusIn: no statuses');
  const ordered = JOB_STATUSES.filter((s) => statuses.includes(s));
  if (ordered.length !== new Set(statuses).size) throw new Error(`Unknown status in ${JSON.stringify(statuses)}`);
  return ordered.length === 1 ? `${column} = ${sqlStatus(ordered[0]!)}` : `${column} IN (${ordered.map(sqlStatus).join(', ')})`;
}

/** `resource_category IN ('gpu_encode', 'gpu_ai')`, in RESOURCE_CATEGORIES order. */
export function categoryIn(categories: readonly ResourceCategory[], column = 'resource_category'): string {
  if (!COLUMN.test(column)) throw new Error(`Not a column: ${column}`);
  const ordered = RESOURCE_CATEGORIES.filter((c) => categories.includes(c));
  return `${column} IN (${ordered.map((c) => literal(c, RESOURCE_CATEGORIES, 'resource category')).join(', ')})`;
}

/** `'gpu_ai'`: one category as an SQL literal. */
export function sqlCategory(category: ResourceCategory): string {
  return literal(category, RESOURCE_CATEGORIES, 'resource category');
}

/** The predicate of the statuses `action` applies to: `status IN ('running', 'suspended')` for complete. */
export function appliesTo(action: LifecycleAction, column = 'status'): string {
  return statusIn(statusesFor(action), column);
}

/** The SET clause of the status `action` leads to: `status = 'completed'`. Throws for an action that keeps the status. */
export function setStatusOf(action: LifecycleAction): string {
  const to = targetOf(action);
  if (to === null) throw new Error(`${action} does not change the status`);
  return `status = ${sqlStatus(to)}`;
}

/** Jobs whose attempt holds a slot (and its VRAM) on a node: usage, VRAM totals, rescue, fences. */
export const LIVE = statusIn(LIVE_STATUSES);

/** Jobs the dispatcher may start: the claim's candidates, queue positions. */
export const WAITING = statusIn(WAITING_STATUSES);
