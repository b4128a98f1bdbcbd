/**
 * A test entry: the headless program with the scripted test processor for every job type (sleep / fail / hang
 * by params), for the fleet chaos test: real server, real runtime, real PostgreSQL store, leases
 * and wake-ups; only the job bodies are short. Run: node --import tsx <this file>, configured by
 * the same environment as `npm run headless` (DATABASE_URL, MEDIA_NODE_ID, PORT …).
 */
import { JOB_TYPES } from '../../shared/domain/job-types';
import { runHeadless } from '../headless-server';
import { createRegistry } from '../processors/processor';
import { scriptedProcessor } from '../processors/testing/test-processors';
import { scriptedCatalog } from '../runtime/testing/test-runtime';

await runHeadless({ processors: createRegistry(JOB_TYPES.map((t) => [t, scriptedProcessor] as const)), catalog: scriptedCatalog });
