/**
 * A tiny terminal model for the live console: raw tool output (with `\r` status-line redraws,
 * backspaces and ANSI colour codes) becomes the lines a terminal would show. Pure functions over
 * an immutable value, so a store can keep it and React can compare it.
 */
export interface TerminalBuffer {
  /** Completed lines plus the current one (last). */
  readonly lines: readonly string[];
  /** Cursor column in the last line. */
  readonly column: number;
  /** Lines dropped from the top to stay bounded. */
  readonly dropped: number;
}

export const MAX_TERMINAL_LINES = 2000;

export function terminalFromLines(lines: readonly string[], dropped = 0): TerminalBuffer {
  if (lines.length === 0) return { lines: [''], column: 0, dropped };
  const last = lines[lines.length - 1] ?? '';
  return { lines: [...lines], column: last.length, dropped };
}

// CSI sequences (colours, cursor moves, erase) and OSC titles
// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const ESCAPE = /\u001b(?:\[([0-9;?]*)([A-Za-z])|\][^\u0007]*(?:\u0007|\u001b\\)|[@-Z\\-_])/y;

export function writeTerminal(buffer: TerminalBuffer, text: string, maxLines = MAX_TERMINAL_LINES): TerminalBuffer {
  const lines = [...buffer.lines];
  let row = lines.length - 1;
  let column = buffer.column;
  let current = lines[row] ?? '';

  const put = (chunk: string) => {
    const padded = current.length < column ? current + ' '.repeat(column - current.length) : current;
    current = padded.slice(0, column) + chunk + padded.slice(column + chunk.length);
    column += chunk.length;
  };

  let i = 0;
  let plainStart = 0;
  const flushPlain = (end: number) => {
    if (end > plainStart) put(text.slice(plainStart, end));
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r' || ch === '\b' || ch === '\u001b') {
      flushPlain(i);
      if (ch === '\n') {
        lines[row] = current;
        lines.push('');
        row += 1;
        current = '';
        column = 0;
        i += 1;
      } else if (ch === '\r') {
        // CRLF is a plain newline (the \n is handled next); a lone \r redraws the line
        if (text[i + 1] !== '\n') column = 0;
        i += 1;
      } else if (ch === '\b') {
        column = Math.max(0, column - 1);
        i += 1;
      } else {
        ESCAPE.lastIndex = i;
        const match = ESCAPE.exec(text);
        if (match) {
          // ESC[K / ESC[0K: erase to the end of the line (used with \r redraws)
          if (match[2] === 'K' && (match[1] === '' || match[1] === '0')) current = current.slice(0, column);
          i += match[0].length;
        } else {
          i += 1;
        }
      }
      plainStart = i;
      continue;
    }
    i += 1;
  }
  flushPlain(text.length);
  lines[row] = current;

  const excess = lines.length - maxLines;
  if (excess > 0) return { lines: lines.slice(excess), column, dropped: buffer.dropped + excess };
  return { lines, column, dropped: buffer.dropped };
}
