/**
 * Who may do what. Every route and every operation declares the least role it needs (or that it
 * is public); a caller's role allows its own rank and everything below it:
 *   read    — every GET, live events, metrics
 *   operate — plus creating jobs and acting on them (cancel, retry, pause, resume, priority) and
 *             pausing the queue
 *   admin   — plus managing tokens and settings
 * The spec's SUPER_ADMIN role is `admin`.
 */
import { z } from 'zod';
import { AppError } from './errors';

export const ROLES = ['read', 'operate', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** What a route or operation needs: nothing (public) or at least this role. */
export type Access = 'public' | Role;

const RANK: Record<Role, number> = { read: 0, operate: 1, admin: 2 };

export function roleAllows(role: Role, needed: Access): boolean {
  return needed === 'public' || RANK[role] >= RANK[needed];
}

/** The role one rank below `role`, or null for the lowest (the auth matrix tests "one role too small"). */
export function roleBelow(role: Role): Role | null {
  return ROLES[RANK[role] - 1] ?? null;
}

/** Who is calling: a named API token over HTTP, the desktop user over IPC. Recorded on what it does. */
export const callerSchema = z.object({ name: z.string(), role: roleSchema });
export type Caller = z.infer<typeof callerSchema>;

/** The desktop window's user owns the machine the runtime runs on. */
export const DESKTOP_CALLER: Caller = { name: 'desktop', role: 'admin' };

/** The one FORBIDDEN error: which role the action needs and which the caller has. */
export function forbidden(caller: Caller, required: Access): AppError {
  return new AppError('FORBIDDEN', `The token "${caller.name}" has the ${caller.role} role; this needs ${required}.`, { requiredRole: required, role: caller.role });
}
