/**
 * A job's log in a monospace viewer: loaded with getJobLog, then followed live (job.log events
 * appended by the detail store). Search highlights matches or shows only matching lines; the copy
 * button copies what is shown. The view sticks to the bottom unless the user scrolled up.
 */
import { ActionIcon, Box, CopyButton, Group, Highlight, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JobLogLine } from '../../../../shared/contracts/job';
import { Icon } from '../../components/icons';
import { ErrorState, LoadingState } from '../../components/StateViews';
import type { LogState } from '../../stores/job-detail-store';

function stamp(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatLogLine(line: Pick<JobLogLine, 'at' | 'text'>): string {
  return `[${stamp(line.at)}] ${line.text}`;
}

export function LogViewer({ log, height = 420 }: { readonly log: LogState; readonly height?: number | string }) {
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 150);
  const [onlyMatching, setOnlyMatching] = useState(false);
  const viewport = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  const rendered = useMemo(() => log.lines.map((l) => ({ line: l.line, text: formatLogLine(l) })), [log.lines]);
  const needle = debounced.toLowerCase();
  const matching = useMemo(() => (needle ? rendered.filter((l) => l.text.toLowerCase().includes(needle)) : rendered), [rendered, needle]);
  const shown = onlyMatching && needle ? matching : rendered;

  useEffect(() => {
    const el = viewport.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown]);

  if (log.error) return <ErrorState title="Could not load the log" message={log.error} />;
  if (log.loading) return <LoadingState label="Loading the log…" />;

  const text = shown.map((l) => l.text).join('\n');
  return (
    <Box>
      <Group gap="sm" mb="xs" align="center">
        <TextInput
          placeholder="Search the log"
          aria-label="Search the log"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          leftSection={<Icon name="search" size={14} />}
          size="xs"
          style={{ flex: 1 }}
        />
        <Switch size="xs" label="Only matching lines" checked={onlyMatching} onChange={(e) => setOnlyMatching(e.currentTarget.checked)} />
        {needle && (
          <Text size="xs" c="dimmed" aria-live="polite">
            {matching.length} matching
          </Text>
        )}
        <CopyButton value={text} timeout={1500}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy the log'}>
              <ActionIcon variant="subtle" color={copied ? 'green' : 'gray'} onClick={copy} aria-label="Copy the log">
                <Icon name={copied ? 'check' : 'copy'} size={16} />
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      <Box
        ref={viewport}
        tabIndex={0}
        role="log"
        aria-label="Job log"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        style={{
          height,
          overflow: 'auto',
          fontFamily: 'var(--mantine-font-family-monospace)',
          fontSize: 12,
          lineHeight: 1.5,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
          padding: 8,
          borderRadius: 'var(--mantine-radius-sm)',
          background: 'var(--mantine-color-default-hover)',
          border: '1px solid var(--mantine-color-default-border)',
        }}
      >
        {log.dropped > 0 && (
          <Text size="xs" c="dimmed" fs="italic">
            [… {log.dropped} lines dropped to keep the log bounded …]
          </Text>
        )}
        {shown.length === 0 ? (
          <Text size="xs" c="dimmed">
            {rendered.length === 0 ? 'The log is empty so far.' : 'No line matches.'}
          </Text>
        ) : (
          shown.map((l) =>
            needle ? (
              <Highlight key={l.line} highlight={debounced} component="div" size="xs" ff="monospace" style={{ fontSize: 12 }}>
                {l.text}
              </Highlight>
            ) : (
              <div key={l.line}>{l.text}</div>
            ),
          )
        )}
      </Box>
    </Box>
  );
}
