/**
 * The processors of this build, by job type. Job families arrive issue by issue; a job whose type
 * has no processor here fails at once with "No processor for job type …" (not retried).
 */
import type { ProcessorDeps } from '../runtime/open-embedded-runtime';
import { createRegistry, type ProcessorRegistry } from './processor';

export function createProcessors(_deps: ProcessorDeps): ProcessorRegistry {
  return createRegistry([]);
}
