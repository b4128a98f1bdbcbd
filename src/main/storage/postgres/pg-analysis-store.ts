/**
 * The AnalysisStore on PostgreSQL, sharing the job store's pool: scenes per video (video_scenes),
 * chosen segments per job (analysis_segments) and tags per video (video_tags); see migration 3.
 * Each replace is one transaction (delete, then one multi-row insert), as in the SQLite adapter;
 * tags sort as there (binary tag order, a whole-video tag before ranges of the same tag).
 */
import type { AnalysisStore, SceneRecord, SegmentKind, SegmentSet, StoredScene, StoredTag, TagRecord, TagSummary } from '../../core/analysis-ports';
import { groupTags, type TagSummaryRow } from '../tag-rows';
import { inTransaction, type Pool } from './pg-db';

type BigInt8 = string | number;

interface SceneRow {
  video_id: string;
  idx: number;
  start_s: number;
  end_s: number;
  score: number;
  motion: number | null;
  keyframe_path: string | null;
  clip_path: string | null;
  job_id: string;
  created_at: BigInt8;
}

interface SegmentRow {
  job_id: string;
  idx: number;
  video_id: string;
  kind: string;
  start_s: number;
  end_s: number;
  score: number | null;
  output_video_id: string | null;
  created_at: BigInt8;
}

interface TagRow {
  video_id: string;
  tag: string;
  confidence: number;
  start_s: number | null;
  end_s: number | null;
  job_id: string | null;
  created_at: BigInt8;
}

export class PostgresAnalysisStore implements AnalysisStore {
  constructor(private readonly pool: Pool) {}

  async replaceScenes(videoId: string, jobId: string, scenes: readonly SceneRecord[], at: number): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query('DELETE FROM video_scenes WHERE video_id = $1', [videoId]);
      if (scenes.length === 0) return;
      await c.query(
        `INSERT INTO video_scenes (video_id, idx, start_s, end_s, score, motion, keyframe_path, clip_path, job_id, created_at)
         SELECT $1::text, s.*, $2::text, $3::bigint FROM unnest($4::integer[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::text[], $10::text[]) AS s`,
        [
          videoId,
          jobId,
          at,
          scenes.map((s) => s.index),
          scenes.map((s) => s.startSeconds),
          scenes.map((s) => s.endSeconds),
          scenes.map((s) => s.score),
          scenes.map((s) => s.motion),
          scenes.map((s) => s.keyframePath),
          scenes.map((s) => s.clipPath),
        ],
      );
    });
  }

  async listScenes(videoId: string): Promise<StoredScene[]> {
    const { rows } = await this.pool.query<SceneRow>('SELECT * FROM video_scenes WHERE video_id = $1 ORDER BY idx', [videoId]);
    return rows.map((r) => ({
      videoId: r.video_id,
      jobId: r.job_id,
      createdAt: Number(r.created_at),
      index: r.idx,
      startSeconds: r.start_s,
      endSeconds: r.end_s,
      score: r.score,
      motion: r.motion,
      keyframePath: r.keyframe_path,
      clipPath: r.clip_path,
    }));
  }

  async saveSegments(set: Omit<SegmentSet, 'createdAt'>, at: number): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query('DELETE FROM analysis_segments WHERE job_id = $1', [set.jobId]);
      if (set.segments.length === 0) return;
      const s = set.segments;
      await c.query(
        `INSERT INTO analysis_segments (job_id, video_id, kind, created_at, idx, start_s, end_s, score, output_video_id)
         SELECT $1::text, $2::text, $3::text, $4::bigint, g.* FROM unnest($5::integer[], $6::float8[], $7::float8[], $8::float8[], $9::text[]) AS g`,
        [set.jobId, set.videoId, set.kind, at, s.map((g) => g.index), s.map((g) => g.startSeconds), s.map((g) => g.endSeconds), s.map((g) => g.score), s.map((g) => g.outputVideoId)],
      );
    });
  }

  async getSegments(jobId: string): Promise<SegmentSet | undefined> {
    const { rows } = await this.pool.query<SegmentRow>('SELECT * FROM analysis_segments WHERE job_id = $1 ORDER BY idx', [jobId]);
    const first = rows[0];
    if (!first) return undefined;
    return {
      jobId,
      videoId: first.video_id,
      kind: first.kind as SegmentKind,
      createdAt: Number(first.created_at),
      segments: rows.map((r) => ({ index: r.idx, startSeconds: r.start_s, endSeconds: r.end_s, score: r.score, outputVideoId: r.output_video_id })),
    };
  }

  async replaceTags(videoId: string, jobId: string, tags: readonly TagRecord[], at: number): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query('DELETE FROM video_tags WHERE video_id = $1 AND job_id = $2', [videoId, jobId]);
      if (tags.length === 0) return;
      await c.query(
        `INSERT INTO video_tags (video_id, job_id, created_at, tag, confidence, start_s, end_s)
         SELECT $1::text, $2::text, $3::bigint, t.* FROM unnest($4::text[], $5::float8[], $6::float8[], $7::float8[]) AS t`,
        [videoId, jobId, at, tags.map((t) => t.tag), tags.map((t) => t.confidence), tags.map((t) => t.startSeconds), tags.map((t) => t.endSeconds)],
      );
    });
  }

  async tagsOfVideos(videoIds: readonly string[]): Promise<Map<string, TagSummary[]>> {
    if (videoIds.length === 0) return new Map();
    const { rows } = await this.pool.query<TagSummaryRow>(
      `SELECT video_id, tag, max(confidence) AS confidence FROM video_tags WHERE video_id = ANY($1::text[])
       GROUP BY video_id, tag ORDER BY video_id, confidence DESC, tag`,
      [videoIds],
    );
    return groupTags(rows);
  }

  async listTags(videoId: string): Promise<StoredTag[]> {
    const { rows } = await this.pool.query<TagRow>('SELECT * FROM video_tags WHERE video_id = $1 ORDER BY confidence DESC, tag, start_s NULLS FIRST', [videoId]);
    return rows.map((r) => ({
      videoId: r.video_id,
      jobId: r.job_id,
      createdAt: Number(r.created_at),
      tag: r.tag,
      confidence: r.confidence,
      startSeconds: r.start_s,
      endSeconds: r.end_s,
    }));
  }
}
