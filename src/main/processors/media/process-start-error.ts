/** The tool could not be started at all (missing binary, no permission). */
export class ProcessStartError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'ProcessStartError';
  }
}
