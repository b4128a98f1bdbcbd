/**
 * What the settings-like forms (notifications, schedules, pipelines) do with field errors and a
 * save's outcome, in one place: each form places the errors whose path it draws beside a field
 * (its own pattern) and lists the rest above the form.
 */
export type FieldErrors = Readonly<Record<string, string>>;

/** The errors whose path the form does not place beside a field, as `path: message` lines. */
export function unplacedErrorsOf(errors: FieldErrors, placed: RegExp): string[] {
  return Object.entries(errors)
    .filter(([path]) => !placed.test(path))
    .map(([path, message]) => (path ? `${path}: ${message}` : message));
}

/** A settings save as the stores answer it (forbidden: the session has said so already). */
export type SettingsSaveOutcome =
  | { readonly kind: 'saved' }
  | { readonly kind: 'invalid'; readonly message: string; readonly fields: FieldErrors }
  | { readonly kind: 'failed'; readonly message: string; readonly forbidden: boolean };

export const LOCAL_ERRORS_MESSAGE = 'Some fields need a fix (marked below).';

/**
 * The field errors (absent: leave them as they are) and the message above the form after a save;
 * null where the page keeps what it shows (a refusal the session already reported).
 */
export function saveFeedback(outcome: SettingsSaveOutcome, unplaced: (errors: FieldErrors) => string[]): { errors?: FieldErrors; message: string | null } | null {
  if (outcome.kind === 'saved') return { errors: {}, message: null };
  if (outcome.kind === 'invalid') {
    const lines = unplaced(outcome.fields);
    const message = lines.length > 0 ? lines.join('; ') : Object.keys(outcome.fields).length > 0 ? 'The server refused some fields (marked below).' : outcome.message;
    return { errors: outcome.fields, message };
  }
  return outcome.forbidden ? null : { message: outcome.message };
}
