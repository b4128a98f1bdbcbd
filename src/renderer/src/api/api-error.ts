/**
 * The one error type the UI sees from any transport: the runtime's stable `{code, message, details}`
 * (see shared/contracts/errors.ts), plus NETWORK for a server that could not be reached at all.
 */
import type { ErrorBody, ErrorCode } from '../../../shared/contracts/errors';

export type ApiErrorCode = ErrorCode | 'NETWORK';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromBody(body: ErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.details);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** A message fit for an alert, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Field errors of a VALIDATION_FAILED answer, by dotted path (`params.videoId`): the runtime sends
 * `details: {issues: [{path, message}]}`.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return {};
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  const out: Record<string, string> = {};
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as ReadonlyArray<{ path?: unknown; message?: unknown }>) {
    const path = Array.isArray(issue.path) ? issue.path.join('.') : String(issue.path ?? '');
    if (typeof issue.message === 'string' && !(path in out)) out[path] = issue.message;
  }
  return out;
}
