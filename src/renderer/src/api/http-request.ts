/**
 * How an operation travels over HTTP, taken from the shared operations table (method and path):
 * `:id`-style path parameters are substituted, the rest of the input goes in the query string for
 * GET and in a JSON body for POST and PUT.
 *
 * Importing OPERATIONS pulls the contract's zod schemas into the renderer bundle. That costs
 * little here: the create-job form already needs zod to validate parameters against the job-type
 * catalog, and one table means a path can never drift between server and client.
 */
import { OPERATIONS } from '../../../shared/contracts/operations';
import type { OperationName } from './media-client';

export interface HttpRequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with query string. */
  readonly url: string;
  /** JSON text for POST and PUT (always an object, possibly empty). */
  readonly body: string | undefined;
}

function toQueryValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function buildHttpRequest(name: OperationName, input: unknown): HttpRequestSpec {
  const { method, path } = OPERATIONS[name];
  const rest: Record<string, unknown> = { ...((input ?? {}) as Record<string, unknown>) };
  const filled = path.replace(/:([A-Za-z_]\w*)/g, (_match, key: string) => {
    const value = rest[key];
    delete rest[key];
    if (value === undefined || value === null || value === '') throw new TypeError(`${name} needs "${key}".`);
    return encodeURIComponent(String(value));
  });
  // a DELETE names what it deletes in its path (and any options in the query): no body
  if (method === 'GET' || method === 'DELETE') {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(rest)) {
      if (value === undefined || value === null || value === '') continue;
      query.set(key, toQueryValue(value));
    }
    const qs = query.toString();
    return { method, url: qs ? `${filled}?${qs}` : filled, body: undefined };
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) body[key] = value;
  return { method, url: filled, body: JSON.stringify(body) };
}
