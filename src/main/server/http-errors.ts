/**
 * Every error leaves the server as `{"error": {"code", "message", "details"}}` with the status of
 * its stable code. Fastify's own errors (malformed JSON, oversized body, wrong content type) are
 * mapped to the same codes; a database that cannot be reached is DATABASE_UNAVAILABLE (503, with
 * Retry-After: a passing outage, not a bug); anything unexpected is logged and reported as INTERNAL
 * without details.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../shared/contracts/errors';
import { isConnectionLoss } from '../core/database-reachability';

/** Seconds a client is asked to wait before sending a request again that met an unreachable database. */
const RETRY_AFTER_S = 5;

export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const e = error as Partial<FastifyError>;
  const status = e.statusCode ?? 500;
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON (Content-Type: application/json).');
  if (status === 400) {
    const malformedJson = e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.name === 'SyntaxError' || /JSON/i.test(e.message ?? '');
    return new AppError('VALIDATION_FAILED', malformedJson ? 'The body is not valid JSON.' : `Malformed request: ${e.message ?? 'bad request'}`);
  }
  if (isConnectionLoss(error)) return new AppError('DATABASE_UNAVAILABLE', 'The database cannot be reached right now (restarting, or the network to it is down). Try again in a few seconds.');
  return new AppError('INTERNAL', 'Something went wrong on the server; it has been logged.');
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.code === 'DATABASE_UNAVAILABLE') reply.header('retry-after', String(RETRY_AFTER_S));
  return reply.code(error.httpStatus).type('application/json').send({ error: error.toBody() });
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error);
  if (appError.code === 'INTERNAL') request.log.error({ err: error }, 'unexpected error');
  if (appError.code === 'DATABASE_UNAVAILABLE') request.log.warn({ err: error }, 'database unreachable');
  return sendError(reply, appError);
}
