/**
 * Errors cross process and network boundaries as values with stable codes. The HTTP status for
 * each code lives here too so the REST server, the IPC bridge and the UI agree on it.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  UNKNOWN_JOB_TYPE: 400,
  INVALID_ID: 400,
  CATEGORY_MISMATCH: 400,
  VRAM_OUT_OF_RANGE: 400,
  UNKNOWN_VIDEO: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  NODE_ID_IN_USE: 409,
  NAME_TAKEN: 409,
  /** An update carried a version that is no longer current (a pipeline edited by someone else meanwhile): read it again. */
  VERSION_CONFLICT: 409,
  /** A transcode with these settings was already applied to (or tried on) this content; `force: true` overrides. */
  ALREADY_PROCESSED: 409,
  /** A setting an environment variable sets on this node: unset the variable to change it through the API. */
  SETTING_LOCKED: 409,
  /** A manual action on a part of a segmented encode (encode_chunk, encode_audio): act on its parent job. */
  PART_OF_SEGMENTED_JOB: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HOST_NOT_ALLOWED: 421,
  INTERNAL: 500,
  /** The database could not be reached (restarting, failing over, the network to it down): try again shortly. */
  DATABASE_UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
