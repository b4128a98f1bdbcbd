/**
 * The pipeline document schema: the DAG (unique ids, known `after`, no cycle), placeholders known
 * and available, step params valid for their job type after substitution, triggers (cron) and
 * conditions (operators fit the field) — each refusal naming the step and field in words.
 */
import { describe, expect, it } from 'vitest';
import { pipelineDocumentSchema, type PipelineDocumentInput } from './pipeline';
import { PIPELINE_TEMPLATES } from './pipeline-templates';
import { placeholderProblem, placeholdersIn, substitutePlaceholders } from './pipeline-placeholders';

const base: PipelineDocumentInput = {
  name: 'Test',
  trigger: { type: 'manual' },
  steps: [
    { id: 'validate', type: 'validate', params: { videoId: '{{video.id}}' } },
    { id: 'reencode', type: 'reencode_streaming', params: { videoId: '{{video.id}}', outputPath: 'playback/{{video.stem}}-web.mp4' }, after: { step: 'validate' } },
    { id: 'thumb', type: 'thumbnail_generate', params: { videoId: '{{previous.outputVideoId}}' }, after: { step: 'reencode', on: 'always' } },
  ],
};

function problems(doc: unknown): string[] {
  const result = pipelineDocumentSchema.safeParse(doc);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('pipeline document schema', () => {
  it('accepts a DAG with placeholders, fills defaults, and validates every template', () => {
    const doc = pipelineDocumentSchema.parse(base);
    expect(doc).toMatchObject({ description: '', conditions: { all: [] }, repeatAfterDays: null });
    expect(doc.steps[1]!.after).toEqual({ step: 'validate', on: 'success' });
    for (const template of PIPELINE_TEMPLATES) expect(problems(template.document), template.id).toEqual([]);
  });

  it.each([
    ['a duplicate step id', { steps: [base.steps[0], { ...base.steps[0] }] }, 'steps.1.id: step id "validate" is used twice (steps 1 and 2)'],
    ['an unknown step in after', { steps: [base.steps[0], { id: 'b', type: 'validate', params: { videoId: '{{video.id}}' }, after: { step: 'nope' } }] }, 'steps.1.after.step: step "b" runs after "nope", which is not a step of this pipeline (steps: validate, b)'],
    ['a cycle', { steps: [{ id: 'a', type: 'validate', params: { videoId: '{{video.id}}' }, after: { step: 'b' } }, { id: 'b', type: 'validate', params: { videoId: '{{video.id}}' }, after: { step: 'a' } }] }, 'steps.0.after.step: steps run after each other in a circle: a → b → a'],
    ['a step after itself', { steps: [{ id: 'a', type: 'validate', params: { videoId: '{{video.id}}' }, after: { step: 'a' } }] }, 'steps.0.after.step: steps run after each other in a circle: a → a'],
    ['previous in a first step', { steps: [{ id: 'a', type: 'validate', params: { videoId: '{{previous.outputVideoId}}' } }] }, 'steps.0.params.videoId: step "a" (validate): {{previous.outputVideoId}} needs "after": this step runs first, nothing comes before it'],
    ['an unknown placeholder', { steps: [{ id: 'a', type: 'validate', params: { videoId: '{{video.uuid}}' } }] }, 'steps.0.params.videoId: step "a" (validate): unknown placeholder {{video.uuid}}'],
    ['a step that is not an ancestor', { steps: [base.steps[0], { id: 'b', type: 'validate', params: { videoId: '{{steps.c.outputVideoId}}' }, after: { step: 'validate' } }, { id: 'c', type: 'validate', params: { videoId: '{{video.id}}' } }] }, 'steps.1.params.videoId: step "b" (validate): {{steps.c.outputVideoId}} names step "c", which does not come before this step'],
    ['params invalid for the job type', { steps: [{ id: 'enc', type: 'reencode_streaming', params: { videoId: '{{video.id}}', crf: 99 } }] }, 'steps.0.params.crf: step "enc" (reencode_streaming): params.crf: Too big: expected number to be <=51'],
    ['a missing param', { steps: [{ id: 'thumb', type: 'thumbnail_generate', params: {} }] }, 'steps.0.params.videoId: step "thumb" (thumbnail_generate): params.videoId: must be a video id (UUID)'],
    ['a placeholder that makes a bad output path', { steps: [{ id: 'enc', type: 'reencode_streaming', params: { videoId: '{{video.id}}', outputPath: 'videos/{{video.stem}}.mp4' } }] }, 'steps.0.params.outputPath: step "enc" (reencode_streaming): params.outputPath: must be a file inside playback/'],
    ['gpu on a CPU job type (#18)', { steps: [{ id: 'check', type: 'validate', params: { videoId: '{{video.id}}', gpu: 1 } }] }, 'steps.0.params.gpu: step "check" (validate): params.gpu: only GPU job types can ask for a GPU; validate runs on the CPU'],
    ['a GPU index out of range', { steps: [{ id: 'tags', type: 'tag_generation', params: { videoId: '{{video.id}}', gpu: 64 } }] }, 'steps.0.params.gpu: step "tags" (tag_generation): params.gpu: Too big'],
    ['an empty gpuModel', { steps: [{ id: 'tags', type: 'tag_generation', params: { videoId: '{{video.id}}', gpuModel: ' ' } }] }, 'steps.0.params.gpuModel: step "tags" (tag_generation): params.gpuModel: '],
    ['a bad cron expression', { trigger: { type: 'schedule', cron: '61 * * * *' } }, 'trigger.cron: not a cron expression'],
    ['an operator that does not fit the field', { conditions: { all: [{ field: 'width', op: 'between', value: 5 }] } }, 'conditions'],
    ['a list for eq', { conditions: { any: [{ field: 'videoCodec', op: 'eq', value: ['h264', 'hevc'] }] } }, 'conditions'],
    ['an empty any-of', { conditions: { any: [] } }, 'conditions'],
  ])('refuses %s, naming the step and field', (_what, change, expected) => {
    const found = problems({ ...base, ...change });
    expect(found.some((p) => p.startsWith(expected)), `${found.join('\n')}\n(expected to start with: ${expected})`).toBe(true);
  });

  it('lets a GPU step pin its GPU by index or model name, as the create API does (#18)', () => {
    const steps = [{ id: 'tags', type: 'tag_generation', params: { videoId: '{{video.id}}', gpu: 1 } }, { id: 'enc', type: 'transcode', params: { videoId: '{{video.id}}', gpuModel: '4090' }, after: { step: 'tags' } }];
    expect(problems({ ...base, steps })).toEqual([]);
    // kept as written: the advancer substitutes placeholders and builds the job (create-job.ts) from them
    expect(pipelineDocumentSchema.parse({ ...base, steps }).steps.map((s) => s.params)).toEqual([steps[0]!.params, steps[1]!.params]);
  });

  it('accepts nested all-of/any-of conditions over every kind of field', () => {
    const conditions = {
      all: [
        { field: 'videoCodec', op: 'in', value: ['hevc', 'mpeg4'] },
        { any: [{ field: 'durationSeconds', op: 'between', value: [60, 3600] }, { field: 'bitsPerPixel', op: 'gt', value: 0.2 }] },
        { field: 'hasAudio', op: 'eq', value: true },
        { field: 'orientation', op: 'notIn', value: ['portrait'] },
        { field: 'tag', op: 'has', value: 'Face', minConfidence: 0.6 },
        { field: 'folder', op: 'under', value: 'inbox' },
        { field: 'fileName', op: 'matches', value: '*.mkv' },
      ],
    };
    expect(problems({ ...base, conditions })).toEqual([]);
    expect(pipelineDocumentSchema.parse({ ...base, conditions }).conditions).toMatchObject({ all: expect.arrayContaining([{ field: 'tag', op: 'has', value: 'face', minConfidence: 0.6 }]) });
  });
});

describe('placeholders', () => {
  it('substitutes every string at any depth and leaves other values alone', () => {
    const params = { videoId: '{{ video.id }}', nested: { list: ['{{run.id}}/{{video.stem}}', 3] }, flag: true };
    expect(substitutePlaceholders(params, { 'video.id': 'V', 'run.id': 'R', 'video.stem': 'clip' })).toEqual({ videoId: 'V', nested: { list: ['R/clip', 3] }, flag: true });
    expect(placeholdersIn(params).map((p) => [p.name, p.path.join('.')])).toEqual([['video.id', 'videoId'], ['run.id', 'nested.list.0'], ['video.stem', 'nested.list.0']]);
  });

  it('knows which placeholders a step may use', () => {
    expect(placeholderProblem('video.directoryType', [])).toBeNull();
    expect(placeholderProblem('previous.jobId', ['a'])).toBeNull();
    expect(placeholderProblem('steps.a.jobId', ['b', 'a'])).toBeNull();
    expect(placeholderProblem('steps.a.size', ['a'])).toMatch(/unknown placeholder/);
  });
});
