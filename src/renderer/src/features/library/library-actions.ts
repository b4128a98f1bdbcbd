/** The Library page's row actions (spec "Option 1") and the job each one creates. */
import type { CreateJobInput } from '../../../../shared/contracts/job';
import type { OperationName } from '../../../../shared/contracts/operations';
import type { Video } from '../../../../shared/contracts/video';
import type { JobType } from '../../../../shared/domain/job-types';
import type { IconName } from '../../components/icons';

export type LibraryAction = 'reencode' | 'thumbnail' | 'validate' | 'move';

export const MOVE_TARGETS = ['videos', 'public', 'playback', 'compilations'] as const;
export type MoveTarget = (typeof MOVE_TARGETS)[number];

export interface LibraryActionDefinition {
  readonly label: string;
  readonly jobType: JobType;
  readonly icon: IconName;
  /** The operation that creates its job (the re-encode has the spec's own shortcut). */
  readonly operation: Extract<OperationName, 'createJob' | 'createReencodeJob'>;
  /** Why the action is not offered for this video (null: it is). */
  readonly unavailable: (video: Video) => string | null;
}

const needsFile = (v: Video) => (v.missing ? 'The file is missing from the library.' : null);
const needsValid = (v: Video) => needsFile(v) ?? (v.valid === false ? 'The video is not valid; validate it again first.' : null);

export const LIBRARY_ACTIONS: Readonly<Record<LibraryAction, LibraryActionDefinition>> = {
  reencode: { label: 'Re-encode for streaming', jobType: 'reencode_streaming', icon: 'encode', operation: 'createReencodeJob', unavailable: needsValid },
  thumbnail: { label: 'Generate thumbnail', jobType: 'thumbnail_generate', icon: 'image', operation: 'createJob', unavailable: needsValid },
  validate: { label: 'Validate metadata', jobType: 'validate', icon: 'validate', operation: 'createJob', unavailable: needsFile },
  move: { label: 'Move to directory', jobType: 'move_to_library', icon: 'move', operation: 'createJob', unavailable: needsFile },
};

export function jobForAction(action: LibraryAction, video: Video, target?: MoveTarget): CreateJobInput {
  const type = LIBRARY_ACTIONS[action].jobType;
  const params: Record<string, unknown> = { videoId: video.id };
  if (action === 'move') params.targetDirectory = target ?? 'videos';
  return { type, params };
}
