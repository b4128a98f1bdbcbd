/**
 * The handlers of the transcode operations (issue #17): a job's result, the savings computed from
 * the ledger, a video's transcode history and the restore of its quarantined original. A runtime
 * without a transcode store answers the savings with zeros (so /metrics keeps working) and the rest
 * with NOT_FOUND.
 */
import { AppError } from '../../shared/contracts/errors';
import { emptySavings, type TranscodeOperations } from '../processors/transcode/transcode-service';
import type { OperationHandlers } from './operations';

type TranscodeHandlers = Pick<OperationHandlers, 'getJobResult' | 'getSavings' | 'getVideoTranscodes' | 'restoreVideo'>;

export function transcodeHandlers(ops: TranscodeOperations | undefined): TranscodeHandlers {
  const require = (): TranscodeOperations => {
    if (!ops) throw new AppError('NOT_FOUND', 'This runtime keeps no transcode records.');
    return ops;
  };
  return {
    getJobResult: async ({ id }) => require().jobResult(id),
    getSavings: async ({ groupBy }) => (ops ? ops.savings(groupBy) : emptySavings(groupBy)),
    getVideoTranscodes: async ({ id }) => require().videoTranscodes(id),
    restoreVideo: async ({ id }) => require().restore(id),
  };
}
