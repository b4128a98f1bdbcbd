/**
 * The live console of a running tool: a bounded, terminal-like line buffer plus subscribers.
 *
 * Why terminal-like: ffmpeg redraws its status line with a bare `\r` many times a second. Kept as
 * separate lines, those redraws would push every useful line (the error!) out of any bounded
 * buffer, so a `\r` not followed by `\n` rewinds the current line, as a terminal does. `\r\n`
 * (what a pty sends) is one line break, even when split across chunks.
 *
 * Bounds: the last `maxLines` complete lines and at most `maxBytes` (UTF-8) of them; the oldest
 * go first. Subscribers get the raw chunks (an xterm-style viewer renders `\r` itself).
 */

export interface ConsoleBufferOptions {
  readonly maxBytes?: number;
  readonly maxLines?: number;
  /** One line longer than this is cut (a tool printing megabytes without a newline). */
  readonly maxLineLength?: number;
}

export type ConsoleListener = (chunk: string) => void;

export class ConsoleBuffer {
  private readonly maxBytes: number;
  private readonly maxLines: number;
  private readonly maxLineLength: number;
  private readonly lines: string[] = [];
  private bytes = 0;
  private current = '';
  private pendingCr = false;
  private readonly listeners = new Set<ConsoleListener>();
  /** Lines dropped from the front so far (for "… N lines omitted" displays). */
  droppedLines = 0;

  constructor(options: ConsoleBufferOptions = {}) {
    this.maxBytes = options.maxBytes ?? 256 * 1024;
    this.maxLines = options.maxLines ?? 2000;
    this.maxLineLength = options.maxLineLength ?? 8192;
  }

  write(chunk: string): void {
    if (chunk.length === 0) return;
    for (const ch of chunk) {
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === '\n') {
          this.endLine();
          continue;
        }
        this.current = ''; // a bare \r: the tool redraws the line
      }
      if (ch === '\r') this.pendingCr = true;
      else if (ch === '\n') this.endLine();
      else if (this.current.length < this.maxLineLength) this.current += ch;
    }
    for (const listener of this.listeners) {
      try {
        listener(chunk);
      } catch {
        // A broken viewer must not break the run.
      }
    }
  }

  /** Complete lines plus the line being written (if any), oldest first. */
  getLines(): string[] {
    return this.current.length > 0 ? [...this.lines, this.current] : [...this.lines];
  }

  /** The last `count` lines, skipping blank ones (for failure messages). */
  tail(count: number): string[] {
    return this.getLines()
      .filter((line) => line.trim().length > 0)
      .slice(-count);
  }

  text(): string {
    return this.getLines().join('\n');
  }

  /**
   * The buffer as text for a terminal emulator that then gets the live chunks: complete lines end
   * with CRLF, the line being written follows, and a CR after it when the tool has just returned to
   * its start (a status line about to be redrawn), so the next chunk lands where the tool's cursor is.
   */
  replay(): string {
    return this.lines.map((line) => `${line}\r\n`).join('') + this.current + (this.pendingCr ? '\r' : '');
  }

  /** Calls `listener` with every chunk written from now on; returns the unsubscribe function. */
  subscribe(listener: ConsoleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private endLine(): void {
    const line = this.current;
    this.current = '';
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line) + 1;
    while (this.lines.length > this.maxLines || (this.bytes > this.maxBytes && this.lines.length > 1)) {
      const dropped = this.lines.shift()!;
      this.bytes -= Buffer.byteLength(dropped) + 1;
      this.droppedLines += 1;
    }
  }
}
