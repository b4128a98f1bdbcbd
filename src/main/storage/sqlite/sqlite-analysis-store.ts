/**
 * The AnalysisStore on the shared SQLite connection: scenes per video (video_scenes), chosen
 * segments per job (analysis_segments) and tags per video (video_tags); see migration 3.
 */
import type Database from 'better-sqlite3';
import type { AnalysisStore, SceneRecord, SegmentKind, SegmentSet, StoredScene, StoredTag, TagRecord, TagSummary } from '../../core/analysis-ports';
import { groupTags, type TagSummaryRow } from '../tag-rows';

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
  created_at: number;
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
  created_at: number;
}

interface TagRow {
  video_id: string;
  tag: string;
  confidence: number;
  start_s: number | null;
  end_s: number | null;
  job_id: string | null;
  created_at: number;
}

export class SqliteAnalysisStore implements AnalysisStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      deleteScenes: db.prepare('DELETE FROM video_scenes WHERE video_id = ?'),
      insertScene: db.prepare(`INSERT INTO video_scenes (video_id, idx, start_s, end_s, score, motion, keyframe_path, clip_path, job_id, created_at)
        VALUES (@videoId, @index, @startSeconds, @endSeconds, @score, @motion, @keyframePath, @clipPath, @jobId, @at)`),
      scenes: db.prepare<[string], SceneRow>('SELECT * FROM video_scenes WHERE video_id = ? ORDER BY idx'),
      deleteSegments: db.prepare('DELETE FROM analysis_segments WHERE job_id = ?'),
      insertSegment: db.prepare(`INSERT INTO analysis_segments (job_id, idx, video_id, kind, start_s, end_s, score, output_video_id, created_at)
        VALUES (@jobId, @index, @videoId, @kind, @startSeconds, @endSeconds, @score, @outputVideoId, @at)`),
      segments: db.prepare<[string], SegmentRow>('SELECT * FROM analysis_segments WHERE job_id = ? ORDER BY idx'),
      deleteTags: db.prepare('DELETE FROM video_tags WHERE video_id = ? AND job_id = ?'),
      insertTag: db.prepare(`INSERT INTO video_tags (video_id, tag, confidence, start_s, end_s, job_id, created_at)
        VALUES (@videoId, @tag, @confidence, @startSeconds, @endSeconds, @jobId, @at)`),
      tags: db.prepare<[string], TagRow>('SELECT * FROM video_tags WHERE video_id = ? ORDER BY confidence DESC, tag, start_s'),
      tagsOf: db.prepare<[string], TagSummaryRow>(
        `SELECT video_id, tag, max(confidence) AS confidence FROM video_tags WHERE video_id IN (SELECT value FROM json_each(?))
         GROUP BY video_id, tag ORDER BY video_id, confidence DESC, tag`,
      ),
    };
  }

  async replaceScenes(videoId: string, jobId: string, scenes: readonly SceneRecord[], at: number): Promise<void> {
    this.db.transaction(() => {
      this.stmt.deleteScenes.run(videoId);
      for (const s of scenes) this.stmt.insertScene.run({ ...s, videoId, jobId, at });
    })();
  }

  async listScenes(videoId: string): Promise<StoredScene[]> {
    return this.stmt.scenes.all(videoId).map((r) => ({
      videoId: r.video_id,
      jobId: r.job_id,
      createdAt: r.created_at,
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
    this.db.transaction(() => {
      this.stmt.deleteSegments.run(set.jobId);
      for (const s of set.segments) this.stmt.insertSegment.run({ ...s, jobId: set.jobId, videoId: set.videoId, kind: set.kind, at });
    })();
  }

  async getSegments(jobId: string): Promise<SegmentSet | undefined> {
    const rows = this.stmt.segments.all(jobId);
    if (rows.length === 0) return undefined;
    const first = rows[0]!;
    return {
      jobId,
      videoId: first.video_id,
      kind: first.kind as SegmentKind,
      createdAt: first.created_at,
      segments: rows.map((r) => ({ index: r.idx, startSeconds: r.start_s, endSeconds: r.end_s, score: r.score, outputVideoId: r.output_video_id })),
    };
  }

  async replaceTags(videoId: string, jobId: string, tags: readonly TagRecord[], at: number): Promise<void> {
    this.db.transaction(() => {
      this.stmt.deleteTags.run(videoId, jobId);
      for (const t of tags) this.stmt.insertTag.run({ ...t, videoId, jobId, at });
    })();
  }

  async tagsOfVideos(videoIds: readonly string[]): Promise<Map<string, TagSummary[]>> {
    return groupTags(videoIds.length === 0 ? [] : this.stmt.tagsOf.all(JSON.stringify(videoIds)));
  }

  async listTags(videoId: string): Promise<StoredTag[]> {
    return this.stmt.tags.all(videoId).map((r) => ({
      videoId: r.video_id,
      jobId: r.job_id,
      createdAt: r.created_at,
      tag: r.tag,
      confidence: r.confidence,
      startSeconds: r.start_s,
      endSeconds: r.end_s,
    }));
  }
}
