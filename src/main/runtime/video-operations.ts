/**
 * The library handlers of the operations table: videos, their thumbnails and scenes, and the
 * segments an analysis job stored. Split from operations.ts, which composes them.
 */
import { AppError } from '../../shared/contracts/errors';
import { toVideoView } from './video-view';
import type { OperationDeps, OperationHandlers } from './operations';

type VideoOperation = 'listVideos' | 'getVideo' | 'getVideoThumbnail' | 'listScenes' | 'getJobSegments';

export function videoHandlers(deps: OperationDeps): Pick<OperationHandlers, VideoOperation> {
  return {
    async listVideos({ page, limit, ...filter }) {
      const { rows, total } = await deps.videos.listVideos(filter, (page - 1) * limit, limit);
      // the page's tags in one query, not one request per row
      const tags = deps.analysis ? await deps.analysis.tagsOfVideos(rows.map((v) => v.id)) : null;
      const data = rows.map((v) => (tags ? { ...toVideoView(v), tags: tags.get(v.id) ?? [] } : toVideoView(v)));
      return { data, pagination: { page, limit, total, totalPages: Math.ceil(total / limit) } };
    },

    async getVideo({ id }) {
      const video = await deps.videos.getVideo(id);
      if (!video) throw new AppError('NOT_FOUND', `No video with id ${id}.`, { videoId: id });
      if (!deps.analysis) return toVideoView(video);
      return { ...toVideoView(video), tags: (await deps.analysis.tagsOfVideos([id])).get(id) ?? [] };
    },

    async getVideoThumbnail({ id }) {
      const video = await deps.videos.getVideo(id);
      if (!video) throw new AppError('NOT_FOUND', `No video with id ${id}.`, { videoId: id });
      if (!video.thumbnailPath || !deps.readLibraryFile) throw new AppError('NOT_FOUND', `Video ${id} has no thumbnail yet (run thumbnail_generate).`, { videoId: id });
      const bytes = await deps.readLibraryFile(video.thumbnailPath, 2 * 1024 * 1024).catch(() => {
        throw new AppError('NOT_FOUND', `The thumbnail file ${video.thumbnailPath} is missing.`, { videoId: id });
      });
      return { videoId: id, path: video.thumbnailPath, dataUrl: `data:image/jpeg;base64,${bytes.toString('base64')}` };
    },

    async listScenes({ id }) {
      if (!(await deps.videos.getVideo(id))) throw new AppError('NOT_FOUND', `No video with id ${id}.`, { videoId: id });
      const scenes = deps.analysis ? await deps.analysis.listScenes(id) : [];
      const first = scenes[0];
      return {
        videoId: id,
        jobId: first?.jobId ?? null,
        analysedAt: first ? new Date(first.createdAt).toISOString() : null,
        scenes: scenes.map(({ index, startSeconds, endSeconds, score, motion, keyframePath, clipPath }) => ({ index, startSeconds, endSeconds, score, motion, keyframePath, clipPath })),
      };
    },

    async getJobSegments({ id }) {
      const set = deps.analysis ? await deps.analysis.getSegments(id) : undefined;
      if (!set) throw new AppError('NOT_FOUND', `Job ${id} stored no segments (only digest_generate, highlight_generate and clip_generate do).`, { jobId: id });
      return { jobId: set.jobId, videoId: set.videoId, kind: set.kind, createdAt: new Date(set.createdAt).toISOString(), segments: set.segments.map((s) => ({ ...s })) };
    },
  };
}
