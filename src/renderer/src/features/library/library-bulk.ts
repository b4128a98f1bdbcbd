/** Bulk actions of the Library page: one job per selected video (validate, thumbnails, tags, re-encode, transcode, move). */
import type { CreateJobInput } from '../../../../shared/contracts/job';
import type { Video } from '../../../../shared/contracts/video';
import type { JobType } from '../../../../shared/domain/job-types';
import type { IconName } from '../../components/icons';

export type BulkAction = 'validate' | 'thumbnail' | 'tags' | 'reencode' | 'transcode';

const needsFile = (v: Video) => (v.missing ? 'its file is missing' : null);
const needsValid = (v: Video) => needsFile(v) ?? (v.valid === false ? 'it is not valid' : null);

export const BULK_ACTIONS: Readonly<Record<BulkAction, { label: string; jobType: JobType; icon: IconName; unavailable: (v: Video) => string | null }>> = {
  validate: { label: 'Validate', jobType: 'validate', icon: 'validate', unavailable: needsFile },
  thumbnail: { label: 'Thumbnails', jobType: 'thumbnail_generate', icon: 'image', unavailable: needsValid },
  tags: { label: 'Tags', jobType: 'tag_generation', icon: 'ai', unavailable: needsValid },
  reencode: { label: 'Re-encode', jobType: 'reencode_streaming', icon: 'encode', unavailable: needsValid },
  transcode: { label: 'Transcode (HEVC)', jobType: 'transcode', icon: 'encode', unavailable: needsValid },
};

export const BULK_ORDER: readonly BulkAction[] = ['validate', 'thumbnail', 'tags', 'reencode', 'transcode'];

export function bulkJob(action: BulkAction, video: Video): CreateJobInput {
  return { type: BULK_ACTIONS[action].jobType, params: { videoId: video.id } };
}

/** The videos an action can take, and those it leaves out with why. */
export function planBulk(action: BulkAction, videos: readonly Video[]): { take: Video[]; skip: Array<{ video: Video; why: string }> } {
  const take: Video[] = [];
  const skip: Array<{ video: Video; why: string }> = [];
  for (const video of videos) {
    const why = BULK_ACTIONS[action].unavailable(video);
    if (why) skip.push({ video, why });
    else take.push(video);
  }
  return { take, skip };
}

/** Folders a bulk move can take videos to (move_to_library's targetDirectory). */
export const MOVE_TARGETS = ['videos', 'public', 'playback', 'compilations'] as const;
export type MoveTarget = (typeof MOVE_TARGETS)[number];

export function moveJob(target: MoveTarget, video: Video): CreateJobInput {
  return { type: 'move_to_library', params: { videoId: video.id, targetDirectory: target } };
}

/** The videos a move to `target` can take, and those it leaves out with why (the job would fail at once). */
export function planMove(target: MoveTarget, videos: readonly Video[]): { take: Video[]; skip: Array<{ video: Video; why: string }> } {
  const take: Video[] = [];
  const skip: Array<{ video: Video; why: string }> = [];
  for (const video of videos) {
    const why = needsFile(video) ?? (video.directoryType === target ? `it is in ${target}/ already` : null);
    if (why) skip.push({ video, why });
    else take.push(video);
  }
  return { take, skip };
}

/**
 * The page's rows in display order: each output (a video whose source job worked on another video
 * of the page) right under its source, nested; other videos in their own order.
 */
export function groupUnderSources(videos: readonly Video[], sourceOf: ReadonlyMap<string, string>): Array<{ video: Video; nested: boolean }> {
  const onPage = new Set(videos.map((v) => v.id));
  const children = new Map<string, Video[]>();
  for (const v of videos) {
    const source = sourceOf.get(v.id);
    if (source && source !== v.id && onPage.has(source)) children.set(source, [...(children.get(source) ?? []), v]);
  }
  const nestedIds = new Set([...children.values()].flat().map((v) => v.id));
  const out: Array<{ video: Video; nested: boolean }> = [];
  for (const v of videos) {
    if (nestedIds.has(v.id)) continue;
    out.push({ video: v, nested: false });
    for (const child of children.get(v.id) ?? []) out.push({ video: child, nested: true });
  }
  return out;
}
