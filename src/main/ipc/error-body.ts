/**
 * Turns anything thrown by an operation into the error value sent over IPC. AppErrors keep their
 * stable code, message and details; anything else becomes INTERNAL with a generic message (the
 * real error is logged in the main process, never shown to the page).
 */
import { isAppError, type ErrorBody } from '../../shared/contracts/errors';

export const INTERNAL_ERROR_MESSAGE = 'An internal error occurred; see the application log.';

export function toErrorBody(error: unknown): ErrorBody {
  if (isAppError(error)) return error.toBody();
  return { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE };
}
