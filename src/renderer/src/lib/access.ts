/**
 * What the signed-in caller may do, as the UI tells it: an operation's least role comes from the
 * operations table (OPERATIONS[name].access), the caller's role from getSession. The server
 * decides in the end (403 FORBIDDEN); this only keeps the UI from offering what it would refuse.
 *
 *   checking — getSession has not answered yet: actions wait (disabled, "checking …")
 *   known    — the caller's role decides
 *   unknown  — getSession failed (an older server, a network error): actions are offered and the
 *              server's answer tells
 */
import { roleAllows, type Access, type Caller, type Role } from '../../../shared/contracts/access';
import { OPERATIONS, type OperationName } from '../../../shared/contracts/operations';
import { isApiError } from '../api/api-error';

export type SessionStatus = { readonly status: 'checking' } | { readonly status: 'known'; readonly caller: Caller } | { readonly status: 'unknown'; readonly error: string };

export interface OperationAccess {
  readonly allowed: boolean;
  /** Why not, in words for a tooltip (null when allowed). */
  readonly reason: string | null;
}

export const CHECKING_REASON = 'Checking what your token may do…';

/** "Your token (read) cannot do this: it needs operate." */
export function denialMessage(role: Role | string, needed: Access | string): string {
  return `Your token (${role}) cannot do this: it needs ${needed}.`;
}

export function operationAccess(session: SessionStatus, operation: OperationName): OperationAccess {
  if (session.status === 'checking') return { allowed: false, reason: CHECKING_REASON };
  if (session.status === 'unknown') return { allowed: true, reason: null };
  const needed = OPERATIONS[operation].access;
  if (roleAllows(session.caller.role, needed)) return { allowed: true, reason: null };
  return { allowed: false, reason: denialMessage(session.caller.role, needed) };
}

export function isForbidden(error: unknown): boolean {
  return isApiError(error) && error.code === 'FORBIDDEN';
}

/** A FORBIDDEN answer in the same words as the tooltips, from its details ({role, requiredRole}). */
export function forbiddenMessage(error: unknown): string {
  const details = (isApiError(error) ? error.details : undefined) as { role?: unknown; requiredRole?: unknown } | undefined;
  if (typeof details?.role === 'string' && typeof details.requiredRole === 'string') return denialMessage(details.role, details.requiredRole);
  return error instanceof Error ? error.message : String(error);
}
