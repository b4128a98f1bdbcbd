/**
 * Conditions of a pipeline: which library videos it runs on (and whether a step runs). A group is
 * all-of or any-of and nests; a leaf tests one field of the video:
 *   text    videoCodec, audioCodec, container (the file extension), directoryType: eq, ne, in, notIn
 *           (case-insensitive)
 *   folder  the file's folder ("inbox", "videos/holidays"): eq, ne, in, notIn, under (that folder
 *           or below it)
 *   name    fileName: matches / notMatches a glob (`*` any run of characters, `?` one; case-insensitive)
 *   number  width, height, fps, bitrate (bit/s), bitsPerPixel, durationSeconds, sizeBytes,
 *           probedDaysAgo (never probed: infinitely long ago): lt, lte, gt, gte, eq, ne, between [min, max]
 *   boolean hasAudio, valid, missing: eq
 *   orientation landscape | portrait | square: eq, ne, in, notIn
 *   tag     has / lacks a tag (tag_generation), optionally with at least `minConfidence`
 * A field the library does not know yet (not probed) fails its condition, and the dry run says so.
 */
import { z } from 'zod';
import { ORIENTATIONS } from './library';

export const TEXT_FIELDS = ['videoCodec', 'audioCodec', 'container', 'directoryType'] as const;
export const NUMBER_FIELDS = ['width', 'height', 'fps', 'bitrate', 'bitsPerPixel', 'durationSeconds', 'sizeBytes', 'probedDaysAgo'] as const;
export const BOOLEAN_FIELDS = ['hasAudio', 'valid', 'missing'] as const;

export type TextField = (typeof TEXT_FIELDS)[number];
export type NumberField = (typeof NUMBER_FIELDS)[number];
export type BooleanField = (typeof BOOLEAN_FIELDS)[number];

const text = z.string().trim().min(1).max(200);
const textOrList = z.union([text, z.array(text).min(1).max(100)]);

const textCondition = z
  .strictObject({ field: z.enum(TEXT_FIELDS), op: z.enum(['eq', 'ne', 'in', 'notIn']), value: textOrList })
  .superRefine((c, ctx) => listMatchesOp(c.op, c.value, ctx));

const folderCondition = z
  .strictObject({
    field: z.literal('folder'),
    op: z.enum(['eq', 'ne', 'in', 'notIn', 'under']),
    value: z.union([text, z.array(text).min(1).max(100)]),
  })
  .superRefine((c, ctx) => listMatchesOp(c.op, c.value, ctx));

const fileNameCondition = z.strictObject({
  field: z.literal('fileName'),
  op: z.enum(['matches', 'notMatches']),
  value: text.describe('A glob: * any run of characters, ? one character (case-insensitive), e.g. "*.mkv" or "GOPR*"'),
});

const numberCondition = z
  .strictObject({
    field: z.enum(NUMBER_FIELDS),
    op: z.enum(['lt', 'lte', 'gt', 'gte', 'eq', 'ne', 'between']),
    value: z.union([z.number().finite(), z.tuple([z.number().finite(), z.number().finite()])]),
  })
  .superRefine((c, ctx) => {
    const pair = Array.isArray(c.value);
    if (c.op === 'between' && !pair) ctx.addIssue({ code: 'custom', path: ['value'], message: 'between needs [min, max]' });
    if (c.op !== 'between' && pair) ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} needs one number` });
    if (pair && (c.value as [number, number])[0] > (c.value as [number, number])[1]) ctx.addIssue({ code: 'custom', path: ['value'], message: 'between needs min ≤ max' });
  });

const booleanCondition = z.strictObject({ field: z.enum(BOOLEAN_FIELDS), op: z.literal('eq'), value: z.boolean() });

const orientationCondition = z
  .strictObject({
    field: z.literal('orientation'),
    op: z.enum(['eq', 'ne', 'in', 'notIn']),
    value: z.union([z.enum(ORIENTATIONS), z.array(z.enum(ORIENTATIONS)).min(1)]),
  })
  .superRefine((c, ctx) => listMatchesOp(c.op, c.value, ctx));

const tagCondition = z.strictObject({
  field: z.literal('tag'),
  op: z.enum(['has', 'lacks']),
  value: z.string().trim().min(1).max(100).toLowerCase(),
  minConfidence: z.number().min(0).max(1).optional(),
});

function listMatchesOp(op: string, value: unknown, ctx: z.RefinementCtx): void {
  const list = Array.isArray(value);
  if ((op === 'in' || op === 'notIn') && !list) ctx.addIssue({ code: 'custom', path: ['value'], message: `${op} needs a list of values` });
  if (op !== 'in' && op !== 'notIn' && list) ctx.addIssue({ code: 'custom', path: ['value'], message: `${op} needs one value (use in / notIn for a list)` });
}

/** One test of one field; the field decides which operators and values it takes. */
export const conditionLeafSchema = z.union([textCondition, folderCondition, fileNameCondition, numberCondition, booleanCondition, orientationCondition, tagCondition]);
export type ConditionLeaf = z.infer<typeof conditionLeafSchema>;

export type ConditionGroup = { readonly all: readonly ConditionNode[] } | { readonly any: readonly ConditionNode[] };
export type ConditionNode = ConditionLeaf | ConditionGroup;

const MAX_DEPTH = 5;
const MAX_LEAVES = 50;

/** A condition or a nested group (a leaf has a `field`; a group `all` or `any`). */
const conditionNodeSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([conditionLeafSchema, conditionGroupShape]),
);
const conditionGroupShape: z.ZodType<ConditionGroup> = z.union([
  z.strictObject({ all: z.array(conditionNodeSchema).max(MAX_LEAVES) }),
  z.strictObject({ any: z.array(conditionNodeSchema).min(1).max(MAX_LEAVES) }),
]);

/** A group, bounded in depth and size (so a dry run over a large library stays fast). */
export const conditionGroupSchema: z.ZodType<ConditionGroup> = conditionGroupShape.superRefine((group, ctx) => {
  const { depth, leaves } = measure(group);
  if (depth > MAX_DEPTH) ctx.addIssue({ code: 'custom', message: `conditions nest at most ${MAX_DEPTH} groups deep` });
  if (leaves > MAX_LEAVES) ctx.addIssue({ code: 'custom', message: `at most ${MAX_LEAVES} conditions in all` });
});

export function isGroup(node: ConditionNode): node is ConditionGroup {
  return 'all' in node || 'any' in node;
}

export function childrenOf(group: ConditionGroup): readonly ConditionNode[] {
  return 'all' in group ? group.all : group.any;
}

function measure(node: ConditionNode): { depth: number; leaves: number } {
  if (!isGroup(node)) return { depth: 0, leaves: 1 };
  let depth = 0;
  let leaves = 0;
  for (const child of childrenOf(node)) {
    const m = measure(child);
    depth = Math.max(depth, m.depth);
    leaves += m.leaves;
  }
  return { depth: depth + 1, leaves };
}
