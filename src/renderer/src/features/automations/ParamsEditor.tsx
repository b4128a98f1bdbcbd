/**
 * A step's job params, as key / value rows or as JSON. Keys are suggested from the job type's
 * parameter schema; a value is JSON when it reads as one (2000, true, ["a"]) and text otherwise,
 * so placeholders like {{video.id}} stay strings. The rows are kept here while being typed (an
 * empty key, a key typed twice) and the params object above is taken in again only when it changed
 * elsewhere (the pipeline's JSON tab, a reload).
 */
import { ActionIcon, Autocomplete, Button, Group, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { JobType } from '../../../../shared/domain/job-types';
import { Icon } from '../../components/icons';
import { jsonSyntaxError } from '../../lib/json-error';
import { paramFieldsOf } from '../../lib/schema-fields';
import { formatParamValue, parseParamValue } from './pipeline-draft';

type Params = Readonly<Record<string, unknown>>;
type Row = { readonly key: string; readonly value: string };

const rowsOf = (params: Params): Row[] => Object.entries(params).map(([key, value]) => ({ key, value: formatParamValue(value) }));

function paramsOf(rows: readonly Row[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of rows) if (row.key.trim() !== '') out[row.key.trim()] = parseParamValue(row.value);
  return out;
}

export interface ParamsEditorProps {
  readonly type: JobType;
  readonly params: Params;
  readonly onChange: (params: Record<string, unknown>) => void;
  /** The server's errors about these params, by param name ('' for the params as a whole). */
  readonly errors: Readonly<Record<string, string>>;
  readonly stepLabel: string;
}

export function ParamsEditor({ type, params, onChange, errors, stepLabel }: ParamsEditorProps) {
  const [mode, setMode] = useState<'rows' | 'json'>('rows');
  const [rows, setRows] = useState<Row[]>(() => rowsOf(params));
  const [json, setJson] = useState(() => JSON.stringify(params, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  // the params these rows last said (or last took in): anything else came from outside
  const [known, setKnown] = useState(() => JSON.stringify(params));
  const keys = useMemo(() => paramFieldsOf(type).map((f) => f.name), [type]);

  // params changed from outside (not by these rows or this text): start again from them
  const incoming = JSON.stringify(params);
  if (incoming !== known) {
    setKnown(incoming);
    setRows(rowsOf(params));
    setJson(JSON.stringify(params, null, 2));
    setJsonError(null);
  }

  const emit = (next: Record<string, unknown>) => {
    setKnown(JSON.stringify(next));
    onChange(next);
  };
  const setRowsAndEmit = (next: Row[]) => {
    setRows(next);
    emit(paramsOf(next));
  };

  const onJson = (text: string) => {
    setJson(text);
    const syntax = jsonSyntaxError(text);
    if (syntax) return setJsonError(`Line ${syntax.line}, column ${syntax.column}: ${syntax.message}`);
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return setJsonError('Params are a JSON object: {"name": value, …}');
    setJsonError(null);
    setRows(rowsOf(value as Params));
    emit(value as Record<string, unknown>);
  };

  return (
    <Stack gap={6}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          Params
        </Text>
        <SegmentedControl
          size="xs"
          aria-label={`${stepLabel}: params as`}
          value={mode}
          onChange={(v) => {
            if (v === 'json') setJson(JSON.stringify(paramsOf(rows), null, 2));
            setMode(v as 'rows' | 'json');
          }}
          data={[
            { value: 'rows', label: 'Fields' },
            { value: 'json', label: 'JSON' },
          ]}
        />
      </Group>
      {mode === 'rows' ? (
        <Stack gap={4}>
          {rows.map((row, i) => {
            const error = row.key ? errors[row.key.trim()] : undefined;
            return (
              <Group key={i} gap={6} wrap="nowrap" align="flex-start">
                <Autocomplete
                  size="xs"
                  aria-label={`Param ${i + 1} name`}
                  placeholder="name"
                  data={keys.filter((k) => k === row.key || !rows.some((r) => r.key === k))}
                  value={row.key}
                  onChange={(key) => setRowsAndEmit(rows.map((r, j) => (j === i ? { ...r, key } : r)))}
                  style={{ flex: '0 1 170px', minWidth: 100 }}
                />
                <TextInput
                  size="xs"
                  aria-label={`Param ${i + 1} value`}
                  placeholder="{{video.id}}"
                  value={row.value}
                  error={error}
                  onChange={(e) => setRowsAndEmit(rows.map((r, j) => (j === i ? { ...r, value: e.currentTarget.value } : r)))}
                  style={{ flex: 1, minWidth: 0 }}
                  ff="monospace"
                />
                <ActionIcon variant="subtle" color="gray" mt={2} aria-label={`Remove param ${row.key || i + 1}`} onClick={() => setRowsAndEmit(rows.filter((_, j) => j !== i))}>
                  <Icon name="cancel" size={14} />
                </ActionIcon>
              </Group>
            );
          })}
          <Group>
            <Button size="compact-xs" variant="subtle" leftSection={<Icon name="plus" size={12} />} onClick={() => setRows([...rows, { key: '', value: '' }])}>
              Add param
            </Button>
          </Group>
        </Stack>
      ) : (
        <Textarea
          aria-label={`${stepLabel}: params JSON`}
          value={json}
          onChange={(e) => onJson(e.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={14}
          ff="monospace"
          spellCheck={false}
          error={jsonError}
        />
      )}
      {/* errors about a param no row shows (a required one left out, or the params as a whole) */}
      {Object.entries(errors)
        .filter(([key]) => key === '' || !rows.some((r) => r.key.trim() === key))
        .map(([key, message]) => (
          <Text key={key} size="xs" c="red">
            {key ? `${key}: ` : ''}
            {message}
          </Text>
        ))}
    </Stack>
  );
}
