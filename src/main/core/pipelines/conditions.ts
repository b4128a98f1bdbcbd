/**
 * Evaluates a pipeline's conditions on a library video, saying in words which condition failed
 * and what the video has instead. A condition group is compiled once into plain closures, so a
 * dry run over a large library is a loop of cheap calls (no parsing, no allocation per video but
 * the reason of a failure).
 */
import { childrenOf, isGroup, type ConditionGroup, type ConditionLeaf, type ConditionNode, type NumberField } from '../../../shared/domain/pipeline-conditions';
import type { VideoRecord } from '../library-ports';

/** What conditions read: the video's record, its tags (tag → highest confidence) when any condition needs them. */
export interface VideoSubject {
  readonly video: VideoRecord;
  readonly tags: ReadonlyMap<string, number> | null;
}

/** Null when the subject passes; otherwise why it does not. */
export type CompiledCondition = (subject: VideoSubject, now: number) => string | null;

const DAY_MS = 86_400_000;

const LABELS: Record<string, string> = {
  videoCodec: 'video codec',
  audioCodec: 'audio codec',
  container: 'container',
  directoryType: 'library folder',
  folder: 'folder',
  fileName: 'file name',
  width: 'width',
  height: 'height',
  fps: 'frame rate',
  bitrate: 'bitrate',
  bitsPerPixel: 'bits per pixel',
  durationSeconds: 'duration (s)',
  sizeBytes: 'size (bytes)',
  probedDaysAgo: 'days since validated',
  hasAudio: 'has audio',
  valid: 'valid',
  missing: 'missing',
  orientation: 'orientation',
};

export function containerOf(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : null;
}

export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function numberOf(field: NumberField, video: VideoRecord, now: number): number | null {
  switch (field) {
    case 'bitsPerPixel': {
      const { bitrate, width, height, fps } = video;
      return bitrate && width && height && fps ? bitrate / (width * height * fps) : null;
    }
    case 'probedDaysAgo':
      return video.probedAt === null ? Number.POSITIVE_INFINITY : (now - video.probedAt) / DAY_MS;
    default:
      return video[field];
  }
}

function textOf(field: string, video: VideoRecord): string | null {
  if (field === 'container') return containerOf(video.path);
  if (field === 'folder') return folderOf(video.path);
  const value = (video as unknown as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'number' && !Number.isFinite(v) ? 'never' : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v));

/** "video codec ne h264" in words a person reads. */
export function describeCondition(c: ConditionLeaf): string {
  if (c.field === 'tag') return `${c.op === 'has' ? 'has' : 'lacks'} tag "${c.value}"${c.minConfidence !== undefined ? ` (confidence ≥ ${c.minConfidence})` : ''}`;
  const ops: Record<string, string> = { eq: 'is', ne: 'is not', in: 'is one of', notIn: 'is none of', under: 'is in or under', matches: 'matches', notMatches: 'does not match', lt: '<', lte: '≤', gt: '>', gte: '≥', between: 'is between' };
  return `${LABELS[c.field] ?? c.field} ${ops[c.op] ?? c.op} ${show(c.value)}`;
}

/** A glob (`*`, `?`) as a case-insensitive regular expression over the whole name. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function compileLeaf(c: ConditionLeaf): CompiledCondition {
  const what = describeCondition(c);
  const fail = (actual: unknown) => `${what}: ${actual === null || actual === undefined ? 'unknown (not probed)' : `is ${show(actual)}`}`;
  switch (c.field) {
    case 'tag': {
      const min = c.minConfidence ?? 0;
      return ({ tags }) => {
        const confidence = tags?.get(c.value);
        const has = confidence !== undefined && confidence >= min;
        if (has === (c.op === 'has')) return null;
        return `${what}: ${confidence === undefined ? 'no such tag' : `confidence ${show(confidence)}`}`;
      };
    }
    case 'fileName': {
      const re = globToRegExp(c.value);
      const wanted = c.op === 'matches';
      return ({ video }) => (re.test(video.filename) === wanted ? null : `${what}: is "${video.filename}"`);
    }
    case 'hasAudio':
    case 'valid':
    case 'missing':
      return ({ video }) => {
        const actual = video[c.field];
        return actual !== null && actual === c.value ? null : fail(actual);
      };
    case 'width':
    case 'height':
    case 'fps':
    case 'bitrate':
    case 'bitsPerPixel':
    case 'durationSeconds':
    case 'sizeBytes':
    case 'probedDaysAgo': {
      const test = numberTest(c.op, c.value);
      const field = c.field;
      return ({ video }, now) => {
        const actual = numberOf(field, video, now);
        return actual !== null && test(actual) ? null : fail(actual);
      };
    }
    default: {
      // text, folder, orientation: compared case-insensitively
      const values = (Array.isArray(c.value) ? c.value : [c.value]).map((v) => String(v).toLowerCase());
      const set = new Set(values);
      const field = c.field;
      const under = (actual: string) => values.some((v) => actual === v || actual.startsWith(`${v}/`));
      const test = c.op === 'eq' || c.op === 'in' ? (a: string) => set.has(a) : c.op === 'under' ? under : (a: string) => !set.has(a);
      return ({ video }) => {
        const raw = field === 'orientation' ? video.orientation : textOf(field, video);
        return raw !== null && test(raw.toLowerCase()) ? null : fail(raw);
      };
    }
  }
}

function numberTest(op: string, value: number | readonly [number, number]): (n: number) => boolean {
  if (Array.isArray(value)) {
    const [min, max] = value as readonly [number, number];
    return (n) => n >= min && n <= max;
  }
  const v = value as number;
  switch (op) {
    case 'lt':
      return (n) => n < v;
    case 'lte':
      return (n) => n <= v;
    case 'gt':
      return (n) => n > v;
    case 'gte':
      return (n) => n >= v;
    case 'ne':
      return (n) => n !== v;
    default:
      return (n) => n === v;
  }
}

function compileNode(node: ConditionNode): CompiledCondition {
  if (!isGroup(node)) return compileLeaf(node);
  const children = childrenOf(node).map(compileNode);
  if ('all' in node) {
    return (subject, now) => {
      for (const child of children) {
        const failed = child(subject, now);
        if (failed !== null) return failed;
      }
      return null;
    };
  }
  return (subject, now) => {
    const reasons: string[] = [];
    for (const child of children) {
      const failed = child(subject, now);
      if (failed === null) return null;
      reasons.push(failed);
    }
    return `none of: ${reasons.join('; ')}`;
  };
}

export function compileConditions(group: ConditionGroup): CompiledCondition {
  return compileNode(group);
}

/** Whether any condition of the group reads tags (only then does an evaluation load them). */
export function needsTags(group: ConditionGroup | undefined): boolean {
  if (!group) return false;
  const visit = (node: ConditionNode): boolean => (isGroup(node) ? childrenOf(node).some(visit) : node.field === 'tag');
  return visit(group);
}
