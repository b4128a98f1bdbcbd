/**
 * The live console of a running job, drawn by a terminal emulator (xterm.js) fed the tool's raw
 * output: carriage returns, erase-in-line, cursor moves and colours behave as in a terminal, so
 * ffmpeg's status line is redrawn in place instead of piling up. The store's feed (a replay, then
 * chunks) is written incrementally; a new generation (reloaded or folded) starts the terminal over.
 */
import { Box, Group, Text } from '@mantine/core';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { ErrorState, LoadingState } from '../../components/StateViews';
import type { ConsoleFeed, ConsoleState } from '../../stores/job-detail-store';

const THEME = { background: '#0d1117', foreground: '#d1d7e0', cursor: '#0d1117' };

/** Writes what the terminal has not had yet; starts over on a new generation. */
export function feedTerminal(term: Pick<Terminal, 'reset' | 'write'>, feed: ConsoleFeed, seen: { generation: number; written: number }): void {
  if (seen.generation !== feed.generation) {
    term.reset();
    term.write(feed.base);
    seen.generation = feed.generation;
    seen.written = 0;
  }
  for (let i = seen.written; i < feed.chunks.length; i += 1) term.write(feed.chunks[i]!);
  seen.written = feed.chunks.length;
}

function XtermPane({ feed, height }: { readonly feed: ConsoleFeed | null; readonly height: number | string }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const seen = useRef({ generation: -1, written: 0 });

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    // convertEol: tools writing to a pipe end lines with a bare \n, which a terminal takes as
    // "down one row" only; a bare \r (the status-line redraw) stays a carriage return
    const terminal = new Terminal({ convertEol: true, disableStdin: true, cursorBlink: false, scrollback: 2000, fontSize: 12, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace', theme: THEME });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(el);
    term.current = terminal;
    seen.current = { generation: -1, written: 0 };
    const refit = () => {
      try {
        fit.fit();
      } catch {
        // not laid out yet (a hidden tab)
      }
    };
    refit();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(refit);
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      terminal.dispose();
      term.current = null;
    };
  }, []);

  useEffect(() => {
    if (term.current && feed) feedTerminal(term.current, feed, seen.current);
  }, [feed]);

  return <div ref={host} role="log" aria-label="Live console" aria-live="off" tabIndex={0} data-generation={feed?.generation} style={{ height, padding: 8, borderRadius: 6, background: THEME.background, overflow: 'hidden' }} />;
}

export function ConsoleView({ console: state, height = 360 }: { readonly console: ConsoleState; readonly height?: number | string }) {
  if (state.error) return <ErrorState title="Could not load the console" message={state.error} />;
  if (state.loading && !state.feed) return <LoadingState label="Connecting to the console…" />;
  const empty = !state.feed || (state.feed.base === '' && state.feed.chunks.length === 0);
  return (
    <Box>
      <Group justify="space-between" mb={4}>
        <Text size="xs" c="dimmed">
          {state.running ? 'Live output of the running tool' : 'Output as last seen (the job is not running here)'}
          {empty ? ' · no output yet' : ''}
        </Text>
        {state.feed && state.feed.dropped > 0 && (
          <Text size="xs" c="dimmed">
            {state.feed.dropped} earlier lines not shown
          </Text>
        )}
      </Group>
      <XtermPane feed={state.feed} height={height} />
    </Box>
  );
}
