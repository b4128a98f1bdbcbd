/**
 * The rule builder's knowledge of condition fields: which operators each field takes and what
 * value shape each operator needs (one value, a list, a [min, max] pair), mirroring the shared
 * schema (shared/domain/pipeline-conditions.ts) so a rule built here is one the server accepts.
 * Changing the field or the operator keeps what it can of the value.
 */
import { BOOLEAN_FIELDS, NUMBER_FIELDS, TEXT_FIELDS, type ConditionGroup, type ConditionLeaf, type ConditionNode } from '../../../../shared/domain/pipeline-conditions';

export type FieldKind = 'text' | 'folder' | 'name' | 'number' | 'boolean' | 'orientation' | 'tag';
export type Field = ConditionLeaf['field'];

export const FIELD_LABELS: Readonly<Record<Field, string>> = {
  videoCodec: 'Video codec',
  audioCodec: 'Audio codec',
  container: 'Container (extension)',
  directoryType: 'Library folder type',
  folder: 'Folder',
  fileName: 'File name',
  width: 'Width (px)',
  height: 'Height (px)',
  fps: 'Frame rate (fps)',
  bitrate: 'Bitrate (bit/s)',
  bitsPerPixel: 'Bits per pixel',
  durationSeconds: 'Duration (s)',
  sizeBytes: 'Size (bytes)',
  probedDaysAgo: 'Probed days ago',
  hasAudio: 'Has audio',
  valid: 'Valid',
  missing: 'Missing',
  orientation: 'Orientation',
  tag: 'Tag',
};

export function kindOf(field: Field): FieldKind {
  if ((TEXT_FIELDS as readonly string[]).includes(field)) return 'text';
  if ((NUMBER_FIELDS as readonly string[]).includes(field)) return 'number';
  if ((BOOLEAN_FIELDS as readonly string[]).includes(field)) return 'boolean';
  if (field === 'folder') return 'folder';
  if (field === 'fileName') return 'name';
  if (field === 'orientation') return 'orientation';
  return 'tag';
}

export const FIELD_GROUPS: Array<{ group: string; items: Array<{ value: Field; label: string }> }> = [
  { group: 'Media', items: (['videoCodec', 'audioCodec', 'container', 'width', 'height', 'fps', 'bitrate', 'bitsPerPixel', 'durationSeconds', 'sizeBytes', 'orientation', 'hasAudio'] as Field[]).map((f) => ({ value: f, label: FIELD_LABELS[f] })) },
  { group: 'File', items: (['folder', 'directoryType', 'fileName', 'valid', 'missing', 'probedDaysAgo'] as Field[]).map((f) => ({ value: f, label: FIELD_LABELS[f] })) },
  { group: 'Analysis', items: [{ value: 'tag', label: FIELD_LABELS.tag }] },
];

export const OP_LABELS: Readonly<Record<string, string>> = {
  eq: 'is',
  ne: 'is not',
  in: 'is one of',
  notIn: 'is none of',
  under: 'is in or below',
  matches: 'matches',
  notMatches: 'does not match',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  between: 'between',
  has: 'has',
  lacks: 'lacks',
};

const OPS: Readonly<Record<FieldKind, readonly string[]>> = {
  text: ['eq', 'ne', 'in', 'notIn'],
  folder: ['eq', 'ne', 'in', 'notIn', 'under'],
  name: ['matches', 'notMatches'],
  number: ['gt', 'gte', 'lt', 'lte', 'eq', 'ne', 'between'],
  boolean: ['eq'],
  orientation: ['eq', 'ne', 'in', 'notIn'],
  tag: ['has', 'lacks'],
};

export function opsOf(field: Field): readonly string[] {
  return OPS[kindOf(field)];
}

export const isListOp = (op: string) => op === 'in' || op === 'notIn';

/** Suggestions for text values (typing anything else is allowed). */
export const TEXT_SUGGESTIONS: Readonly<Partial<Record<Field, readonly string[]>>> = {
  videoCodec: ['h264', 'hevc', 'av1', 'vp9', 'mpeg4', 'prores'],
  audioCodec: ['aac', 'opus', 'mp3', 'ac3', 'flac', 'pcm_s16le'],
  container: ['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi'],
  directoryType: ['inbox', 'videos', 'public', 'playback', 'compilations'],
};

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** The value reshaped for `op` (one ↔ list ↔ pair), keeping what fits. */
function valueFor(kind: FieldKind, op: string, previous: unknown): unknown {
  if (kind === 'number') {
    const n = typeof firstOf(previous) === 'number' ? (firstOf(previous) as number) : 0;
    return op === 'between' ? (Array.isArray(previous) && previous.length === 2 ? previous : [n, n]) : n;
  }
  if (kind === 'boolean') return typeof previous === 'boolean' ? previous : true;
  if (kind === 'orientation') {
    const one = typeof firstOf(previous) === 'string' && ['landscape', 'portrait', 'square'].includes(firstOf(previous) as string) ? (firstOf(previous) as string) : 'landscape';
    return isListOp(op) ? (Array.isArray(previous) && previous.length > 0 ? previous : [one]) : one;
  }
  const text = typeof firstOf(previous) === 'string' ? (firstOf(previous) as string) : '';
  if (isListOp(op)) return Array.isArray(previous) ? previous : text ? [text] : [];
  return text;
}

const DEFAULTS: Readonly<Partial<Record<Field, { op: string; value: unknown }>>> = {
  videoCodec: { op: 'ne', value: 'h264' },
  audioCodec: { op: 'ne', value: 'aac' },
  container: { op: 'notIn', value: ['mp4', 'm4v'] },
  directoryType: { op: 'eq', value: 'inbox' },
  folder: { op: 'under', value: 'inbox' },
  fileName: { op: 'matches', value: '*.mkv' },
  durationSeconds: { op: 'gt', value: 600 },
  height: { op: 'gte', value: 1080 },
  valid: { op: 'eq', value: true },
  missing: { op: 'eq', value: false },
  hasAudio: { op: 'eq', value: true },
  tag: { op: 'has', value: 'person' },
};

export function defaultLeaf(field: Field): ConditionLeaf {
  const preset = DEFAULTS[field];
  if (preset) return { field, ...preset } as ConditionLeaf;
  const op = opsOf(field)[0]!;
  return { field, op, value: valueFor(kindOf(field), op, undefined) } as ConditionLeaf;
}

/** Another field: its operator and value kept when they still fit, its defaults otherwise. */
export function withField(leaf: ConditionLeaf, field: Field): ConditionLeaf {
  if (field === leaf.field) return leaf;
  if (kindOf(field) === kindOf(leaf.field) && kindOf(field) !== 'number') return { ...leaf, field } as ConditionLeaf;
  return defaultLeaf(field);
}

export function withOp(leaf: ConditionLeaf, op: string): ConditionLeaf {
  const kind = kindOf(leaf.field);
  return { ...leaf, op, value: kind === 'tag' || kind === 'name' ? leaf.value : valueFor(kind, op, leaf.value) } as ConditionLeaf;
}

// ---- groups ----

export function isGroupNode(node: ConditionNode): node is ConditionGroup {
  return 'all' in node || 'any' in node;
}

export function modeOf(group: ConditionGroup): 'all' | 'any' {
  return 'any' in group ? 'any' : 'all';
}

export function childrenOfGroup(group: ConditionGroup): readonly ConditionNode[] {
  return 'any' in group ? group.any : group.all;
}

export function groupOf(mode: 'all' | 'any', children: readonly ConditionNode[]): ConditionGroup {
  return mode === 'any' ? { any: children } : { all: children };
}

/** How deep groups nest (the server allows 5). */
export const MAX_GROUP_DEPTH = 5;
