/**
 * A small terminal model of the live console: raw tool output (with `\r` status-line redraws,
 * backspaces, erase-in-line, cursor moves along the line and ANSI colour codes, which are dropped)
 * becomes the lines a terminal would show. The console itself is drawn by a real emulator (xterm.js,
 * ConsoleView) fed the raw stream; this model only folds a long stream into a bounded replay
 * (serializeTerminal) so the store never holds more than a few hundred KB of it. Pure functions.
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
          const n = Math.max(1, Number.parseInt(match[1] || '1', 10) || 1);
          if (match[2] === 'K') {
            // erase in line: 0 (or none) to its end, 1 to the cursor, 2 all of it; the cursor stays
            if (match[1] === '' || match[1] === '0') current = current.slice(0, column);
            else if (match[1] === '1') current = ' '.repeat(Math.min(column + 1, current.length)) + current.slice(column + 1);
            else if (match[1] === '2') current = '';
          } else if (match[2] === 'G') column = n - 1; // to a column (1-based)
          else if (match[2] === 'C') column += n; // forward
          else if (match[2] === 'D') column = Math.max(0, column - n); // back
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

/** Text that brings a fresh terminal to this buffer's state: its lines, and the cursor where it was. */
export function serializeTerminal(buffer: TerminalBuffer): string {
  const last = buffer.lines[buffer.lines.length - 1] ?? '';
  const body = buffer.lines.join('\r\n');
  if (buffer.column === last.length) return body;
  return `${body}\r${buffer.column > 0 ? `\u001b[${buffer.column}C` : ''}`;
}
