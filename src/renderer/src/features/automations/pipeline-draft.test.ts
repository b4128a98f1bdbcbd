import { describe, expect, it } from 'vitest';
import type { PipelineStep } from '../../../../shared/domain/pipeline';
import { defaultLeaf, withField, withOp } from './condition-fields';
import { addStep, errorsUnder, parseDraftJson, parseParamValue, removeStep, sameDocument, unplacedErrors, updateStep } from './pipeline-draft';

const STEPS: PipelineStep[] = [
  { id: 'validate', type: 'validate', params: {} },
  { id: 'reencode', type: 'reencode_streaming', params: {}, after: { step: 'validate', on: 'success' } },
  { id: 'thumb', type: 'thumbnail_generate', params: {}, after: { step: 'reencode', on: 'failure' } },
];

describe('pipeline draft', () => {
  it('renaming a step keeps the steps after it attached; removing one attaches them to its predecessor', () => {
    const renamed = updateStep(STEPS, 1, { ...STEPS[1]!, id: 'encode' });
    expect(renamed[2]!.after).toEqual({ step: 'encode', on: 'failure' });
    expect(removeStep(STEPS, 1)).toEqual([STEPS[0], { ...STEPS[2], after: { step: 'validate', on: 'success' } }]);
    expect(removeStep(STEPS, 0)[0]).toEqual({ id: 'reencode', type: 'reencode_streaming', params: {} });
  });

  it('adds a step with a free id after the last one', () => {
    expect(addStep(STEPS, 'validate').at(-1)).toEqual({ id: 'validate_2', type: 'validate', params: { videoId: '{{video.id}}' }, after: { step: 'thumb', on: 'success' } });
    expect(addStep([])).toEqual([{ id: 'validate', type: 'validate', params: { videoId: '{{video.id}}' } }]);
  });

  it('reads a param row as JSON when it is one, as text otherwise (placeholders stay text)', () => {
    expect(parseParamValue('2000')).toBe(2000);
    expect(parseParamValue('true')).toBe(true);
    expect(parseParamValue('["a", "b"]')).toEqual(['a', 'b']);
    expect(parseParamValue('{{video.id}}')).toBe('{{video.id}}');
    expect(parseParamValue('[not json')).toBe('[not json');
    expect(parseParamValue('playback/x.mp4')).toBe('playback/x.mp4');
  });

  it('says where the JSON breaks, and what the form needs from it', () => {
    expect(parseDraftJson('{\n  "name": "x",\n  oops\n}')).toMatchObject({ ok: false, syntax: { line: 3 } });
    expect(parseDraftJson('[]')).toMatchObject({ ok: false, syntax: null });
    expect(parseDraftJson('{"trigger": {"type": "manual"}}')).toMatchObject({ ok: false, message: expect.stringContaining('"steps"') });
    expect(parseDraftJson('{"name": "x", "trigger": {"type": "manual"}, "steps": []}')).toMatchObject({ ok: true, draft: { name: 'x', description: '', conditions: { all: [] }, repeatAfterDays: null } });
  });

  it('compares documents by content and finds errors under a path', () => {
    const a = { name: 'x', description: '', trigger: { type: 'manual' as const }, conditions: { all: [] }, steps: STEPS, repeatAfterDays: null };
    // the same content with its keys in another order
    const reversed = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const reordered = { ...reversed(a), steps: STEPS.map(reversed) } as unknown as typeof a;
    expect(sameDocument(a, reordered)).toBe(true);
    expect(sameDocument(a, { ...a, name: 'y' })).toBe(false);
    const errors = { 'steps.1.after.step': 'unknown', 'steps.10.id': 'twice', name: 'empty', template: 'unknown template' };
    expect(errorsUnder(errors, 'steps.1').map(([p]) => p)).toEqual(['steps.1.after.step']);
    expect(unplacedErrors(errors)).toEqual(['template: unknown template']);
  });

  it('reshapes a rule’s value when its operator or field changes', () => {
    const codec = defaultLeaf('videoCodec');
    expect(withOp(codec, 'in')).toEqual({ field: 'videoCodec', op: 'in', value: ['h264'] });
    expect(withOp(withOp(codec, 'in'), 'eq')).toEqual({ field: 'videoCodec', op: 'eq', value: 'h264' });
    expect(withOp(defaultLeaf('durationSeconds'), 'between')).toEqual({ field: 'durationSeconds', op: 'between', value: [600, 600] });
    expect(withField(codec, 'audioCodec')).toEqual({ field: 'audioCodec', op: 'ne', value: 'h264' });
    expect(withField(codec, 'valid')).toEqual({ field: 'valid', op: 'eq', value: true });
  });
});
