/**
 * Built-in pipeline templates: plain documents, validated by the same schema as a user's pipeline
 * (a test parses each), listed by `listPipelineTemplates` and used by `createPipeline({template})`.
 */
import type { PipelineDocumentInput } from './pipeline';

export interface PipelineTemplate {
  readonly id: string;
  readonly document: PipelineDocumentInput;
}

/** H.264 + AAC in MP4 plays in every browser; anything else is re-encoded. */
const NOT_STREAMING_READY = {
  any: [
    { field: 'videoCodec', op: 'ne', value: 'h264' },
    { all: [{ field: 'hasAudio', op: 'eq', value: true }, { field: 'audioCodec', op: 'ne', value: 'aac' }] },
    { field: 'container', op: 'notIn', value: ['mp4', 'm4v'] },
  ],
} as const;

export const PIPELINE_TEMPLATES: readonly PipelineTemplate[] = [
  {
    id: 'streaming-ready-library',
    document: {
      name: 'Streaming-ready library',
      description:
        'Every new file: validate it, re-encode it to H.264/AAC MP4 with faststart unless it is H.264/AAC MP4 already, then a thumbnail and tags of the ' +
        'streaming-ready file. A file that fails validation stops there with its reason; if the re-encode fails, the original still gets its thumbnail and tags.',
      trigger: { type: 'file_added' },
      conditions: { all: [] },
      steps: [
        { id: 'validate', type: 'validate', params: { videoId: '{{video.id}}' } },
        { id: 'reencode', type: 'reencode_streaming', params: { videoId: '{{video.id}}' }, after: { step: 'validate', on: 'success' }, if: NOT_STREAMING_READY },
        { id: 'thumbnail', type: 'thumbnail_generate', params: { videoId: '{{previous.outputVideoId}}' }, after: { step: 'reencode', on: 'success' } },
        { id: 'tags', type: 'tag_generation', params: { videoId: '{{previous.outputVideoId}}' }, after: { step: 'thumbnail', on: 'success' } },
        { id: 'original_thumbnail', type: 'thumbnail_generate', params: { videoId: '{{video.id}}' }, after: { step: 'reencode', on: 'failure' } },
        { id: 'original_tags', type: 'tag_generation', params: { videoId: '{{video.id}}' }, after: { step: 'original_thumbnail', on: 'always' } },
      ],
    },
  },
  {
    id: 'highlights-for-long-videos',
    document: {
      name: 'Highlights for long videos',
      description: 'Every new valid video longer than 10 minutes gets a digest and a highlight reel.',
      trigger: { type: 'file_added' },
      conditions: { all: [{ field: 'valid', op: 'eq', value: true }, { field: 'durationSeconds', op: 'gt', value: 600 }] },
      steps: [
        { id: 'digest', type: 'digest_generate', params: { videoId: '{{video.id}}' } },
        { id: 'highlight', type: 'highlight_generate', params: { videoId: '{{video.id}}' }, after: { step: 'digest', on: 'always' } },
      ],
    },
  },
  {
    id: 'nightly-library-health-check',
    document: {
      name: 'Nightly library health check',
      description: 'Every night at 03:00 (local time): validate every video that is present and has not been validated in 30 days.',
      trigger: { type: 'schedule', cron: '0 3 * * *' },
      conditions: { all: [{ field: 'missing', op: 'eq', value: false }, { field: 'probedDaysAgo', op: 'gt', value: 30 }] },
      steps: [{ id: 'validate', type: 'validate', params: { videoId: '{{video.id}}' } }],
      repeatAfterDays: 30,
    },
  },
];

export function findPipelineTemplate(id: string): PipelineTemplate | undefined {
  return PIPELINE_TEMPLATES.find((t) => t.id === id);
}
