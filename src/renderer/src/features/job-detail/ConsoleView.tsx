/** The live console of a running job: a terminal-like <pre> (status-line redraws applied in the store). */
import { Box, Group, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { ErrorState, LoadingState } from '../../components/StateViews';
import type { ConsoleState } from '../../stores/job-detail-store';

export function ConsoleView({ console: state, height = 360 }: { readonly console: ConsoleState; readonly height?: number | string }) {
  const ref = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [state.terminal]);

  if (state.error) return <ErrorState title="Could not load the console" message={state.error} />;
  if (state.loading && !state.terminal) return <LoadingState label="Connecting to the console…" />;
  const lines = state.terminal?.lines ?? [];
  return (
    <Box>
      <Group justify="space-between" mb={4}>
        <Text size="xs" c="dimmed">
          {state.running ? 'Live output of the running tool' : 'Output as last seen (the job is not running here)'}
        </Text>
        {state.terminal && state.terminal.dropped > 0 && (
          <Text size="xs" c="dimmed">
            {state.terminal.dropped} earlier lines not shown
          </Text>
        )}
      </Group>
      <pre
        ref={ref}
        tabIndex={0}
        aria-label="Live console"
        aria-live="off"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        style={{
          height,
          margin: 0,
          overflow: 'auto',
          padding: 10,
          borderRadius: 6,
          background: '#0d1117',
          color: '#d1d7e0',
          fontFamily: 'var(--mantine-font-family-monospace)',
          fontSize: 12,
          lineHeight: 1.45,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      >
        {lines.length === 0 || (lines.length === 1 && lines[0] === '') ? 'No output yet.' : lines.join('\n')}
      </pre>
    </Box>
  );
}
