/** Turns zod failures into VALIDATION_FAILED errors that say which field is wrong and why. */
import type { z } from 'zod';
import { AppError } from '../../shared/contracts/errors';

export interface IssueDetail {
  readonly path: string;
  readonly message: string;
}

export function zodIssuesToDetails(error: z.ZodError, prefix: readonly PropertyKey[] = []): IssueDetail[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.'),
    message: issue.message,
  }));
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = zodIssuesToDetails(result.error);
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  // a malformed id is its own, more telling, error
  const code = details.length > 0 && details.every((d) => d.path === 'id') ? 'INVALID_ID' : 'VALIDATION_FAILED';
  throw new AppError(code, `Invalid ${what}: ${summary}`, { issues: details });
}
