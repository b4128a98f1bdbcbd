/**
 * A real terminal emulator for tests (xterm.js headless, the same engine as the console view): feed
 * it what the console view would write and read back the rows a user would see.
 */
import xterm from '@xterm/headless';
import type { ConsoleFeed } from '../stores/job-detail-store';

export interface HeadlessTerminal {
  write(text: string): Promise<void>;
  /** The rows holding text, oldest first (trailing blanks trimmed). */
  rows(): string[];
  dispose(): void;
}

export function headlessTerminal(cols = 200): HeadlessTerminal {
  // the view's options that change what is drawn (see ConsoleView)
  const term = new xterm.Terminal({ cols, rows: 40, convertEol: true, scrollback: 2000, allowProposedApi: true });
  return {
    write: (text) => new Promise((resolve) => term.write(text, resolve)),
    rows() {
      const buffer = term.buffer.active;
      const out: string[] = [];
      for (let i = 0; i < buffer.length; i += 1) out.push((buffer.getLine(i)?.translateToString(true) ?? '').replace(/\s+$/, ''));
      while (out.length > 0 && out.at(-1) === '') out.pop();
      return out;
    },
    dispose: () => term.dispose(),
  };
}

/** The rows a terminal shows after being fed this console feed from the start. */
export async function rowsOfFeed(feed: ConsoleFeed, cols = 200): Promise<string[]> {
  const term = headlessTerminal(cols);
  try {
    await term.write(feed.base);
    for (const chunk of feed.chunks) await term.write(chunk);
    return term.rows();
  } finally {
    term.dispose();
  }
}
