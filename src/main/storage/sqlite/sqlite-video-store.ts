/**
 * The library's VideoStore on the same SQLite connection as the job store (one file, one lock).
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contracts/errors';
import type { VideoDirectory } from '../../../shared/domain/library';
import type { NewVideoFile, OutputFence, ProbeVerdict, VideoFilter, VideoMetadata, VideoRecord, VideoStore } from '../../core/library-ports';
import { SqlitePartials } from './sqlite-partials';
import { rowToVideo, type VideoRow } from './video-rows';

function titleOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return (dot > 0 ? filename.slice(0, dot) : filename).replace(/[._]+/g, ' ').trim() || filename;
}

function whereOf(filter: VideoFilter): { sql: string; args: unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    args.push(...values);
  };
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add("(title LIKE ? ESCAPE '\\' OR filename LIKE ? ESCAPE '\\')", like, like);
  }
  if (filter.directoryType) add('directory_type = ?', filter.directoryType);
  if (filter.orientation) add('orientation = ?', filter.orientation);
  if (filter.valid !== undefined) add('valid = ?', filter.valid ? 1 : 0);
  if (filter.missing !== undefined) add('missing = ?', filter.missing ? 1 : 0);
  if (filter.minDuration !== undefined) add('duration_seconds >= ?', filter.minDuration);
  if (filter.maxDuration !== undefined) add('duration_seconds <= ?', filter.maxDuration);
  if (filter.tag !== undefined) add('EXISTS (SELECT 1 FROM video_tags vt WHERE vt.video_id = videos.id AND vt.tag = ?)', filter.tag);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

export class SqliteVideoStore implements VideoStore {
  private readonly stmt;
  private readonly partials: SqlitePartials;

  constructor(private readonly db: Database.Database) {
    this.partials = new SqlitePartials(db);
    this.stmt = {
      // a published output: a row at that path (its file had gone missing) is replaced by the new file
      publish: db.prepare(`INSERT INTO videos (id, path, filename, title, directory_type, size_bytes, mtime_ms, source_job_id, created_at, updated_at,
          duration_seconds, width, height, fps, video_codec, audio_codec, bitrate, orientation, has_audio, valid, probed_at)
        VALUES (@id, @path, @filename, @title, @directoryType, @sizeBytes, @mtimeMs, @sourceJobId, @at, @at,
          @durationSeconds, @width, @height, @fps, @videoCodec, @audioCodec, @bitrate, @orientation, @hasAudio, 1, @at)
        ON CONFLICT (path) DO UPDATE SET filename = excluded.filename, title = excluded.title, directory_type = excluded.directory_type,
          size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, source_job_id = excluded.source_job_id, updated_at = excluded.updated_at,
          duration_seconds = excluded.duration_seconds, width = excluded.width, height = excluded.height, fps = excluded.fps,
          video_codec = excluded.video_codec, audio_codec = excluded.audio_codec, bitrate = excluded.bitrate, orientation = excluded.orientation,
          has_audio = excluded.has_audio, valid = 1, validation_error = NULL, missing = 0, probed_at = excluded.probed_at, thumbnail_path = NULL, reencode_job_id = NULL
        RETURNING *`),
      insert: db.prepare(`INSERT INTO videos (id, path, filename, title, directory_type, size_bytes, mtime_ms, source_job_id, created_at, updated_at)
        VALUES (@id, @path, @filename, @title, @directoryType, @sizeBytes, @mtimeMs, @sourceJobId, @at, @at)
        ON CONFLICT (path) DO UPDATE SET missing = 0, updated_at = excluded.updated_at WHERE missing = 1
        RETURNING *, (created_at = @at AND id = @id) AS created`),
      byId: db.prepare<[string], VideoRow>('SELECT * FROM videos WHERE id = ?'),
      byPath: db.prepare<[string], VideoRow>('SELECT * FROM videos WHERE path = ?'),
      probeOk: db.prepare(`UPDATE videos SET duration_seconds = @durationSeconds, width = @width, height = @height, fps = @fps, video_codec = @videoCodec,
        audio_codec = @audioCodec, bitrate = @bitrate, orientation = @orientation, has_audio = @hasAudio, size_bytes = @sizeBytes,
        valid = 1, validation_error = NULL, missing = 0, probed_at = @at, updated_at = @at WHERE id = @id RETURNING *`),
      probeFailed: db.prepare(`UPDATE videos SET valid = 0, validation_error = @error, probed_at = @at, updated_at = @at,
        size_bytes = COALESCE(@sizeBytes, size_bytes), mtime_ms = COALESCE(@mtimeMs, mtime_ms) WHERE id = @id RETURNING *`),
      thumbnail: db.prepare('UPDATE videos SET thumbnail_path = ?, updated_at = ? WHERE id = ? RETURNING *'),
      reencodeJob: db.prepare('UPDATE videos SET reencode_job_id = ?, updated_at = ? WHERE id = ? RETURNING *'),
      move: db.prepare('UPDATE videos SET path = ?, filename = ?, directory_type = ?, missing = 0, updated_at = ? WHERE id = ? RETURNING *'),
      inDirectory: db.prepare<[string], { id: string; path: string; missing: number }>('SELECT id, path, missing FROM videos WHERE directory_type = ?'),
      setMissing: db.prepare('UPDATE videos SET missing = ?, updated_at = ? WHERE id = ?'),
    };
  }

  async addVideos(files: readonly NewVideoFile[]): Promise<VideoRecord[]> {
    return this.db.transaction(() => {
      const added: VideoRecord[] = [];
      for (const f of files) {
        const filename = f.path.split('/').at(-1)!;
        const row = this.stmt.insert.get({ ...f, filename, title: titleOf(filename), sourceJobId: f.sourceJobId ?? null }) as (VideoRow & { created: number }) | undefined;
        if (row?.created === 1) added.push(rowToVideo(row));
      }
      return added;
    })();
  }

  async getVideo(id: string): Promise<VideoRecord | undefined> {
    const row = this.stmt.byId.get(id);
    return row ? rowToVideo(row) : undefined;
  }

  async getVideoByPath(path: string): Promise<VideoRecord | undefined> {
    const row = this.stmt.byPath.get(path);
    return row ? rowToVideo(row) : undefined;
  }

  async videosByIds(ids: readonly string[]): Promise<VideoRecord[]> {
    if (ids.length === 0) return [];
    // json_each: one statement for any number of ids (no variable limit)
    return (this.db.prepare('SELECT * FROM videos WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as VideoRow[]).map(rowToVideo);
  }

  async videosFromJobs(jobIds: readonly string[]): Promise<VideoRecord[]> {
    if (jobIds.length === 0) return [];
    return (this.db.prepare('SELECT * FROM videos WHERE source_job_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, path').all(JSON.stringify(jobIds)) as VideoRow[]).map(rowToVideo);
  }

  async listVideos(filter: VideoFilter, offset: number, limit: number): Promise<{ rows: VideoRecord[]; total: number }> {
    const w = whereOf(filter);
    return this.db.transaction(() => {
      // files added together (one scan) share created_at: then by path, so the page reads in order
      const rows = this.db.prepare(`SELECT * FROM videos ${w.sql} ORDER BY created_at DESC, path LIMIT ? OFFSET ?`).all(...w.args, limit, offset) as VideoRow[];
      const { n } = this.db.prepare(`SELECT count(*) AS n FROM videos ${w.sql}`).get(...w.args) as { n: number };
      return { rows: rows.map(rowToVideo), total: n };
    })();
  }

  async listVideoIds(filter: VideoFilter, max: number): Promise<string[]> {
    const w = whereOf(filter);
    return (this.db.prepare(`SELECT id FROM videos ${w.sql} ORDER BY created_at, id LIMIT ?`).all(...w.args, max) as { id: string }[]).map((r) => r.id);
  }

  async recordProbe(id: string, result: ProbeVerdict, at: number): Promise<VideoRecord> {
    const row = result.ok
      ? this.stmt.probeOk.get({ ...result.metadata, hasAudio: result.metadata.hasAudio ? 1 : 0, id, at })
      : this.stmt.probeFailed.get({ error: result.error, id, at, sizeBytes: result.file?.sizeBytes ?? null, mtimeMs: result.file?.mtimeMs ?? null });
    return this.found(row as VideoRow | undefined, id);
  }

  async setThumbnail(id: string, thumbnailPath: string, at: number): Promise<VideoRecord> {
    return this.found(this.stmt.thumbnail.get(thumbnailPath, at, id) as VideoRow | undefined, id);
  }

  async publishVideo(file: NewVideoFile & { readonly metadata: VideoMetadata }, fence: OutputFence): Promise<VideoRecord | null> {
    return this.db.transaction(() => {
      if (!this.partials.owns(fence)) return null;
      const filename = file.path.split('/').at(-1)!;
      const { metadata: m } = file;
      const row = this.stmt.publish.get({
        id: file.id, path: file.path, filename, title: titleOf(filename), directoryType: file.directoryType, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs,
        sourceJobId: file.sourceJobId ?? null, at: file.at, durationSeconds: m.durationSeconds, width: m.width, height: m.height, fps: m.fps,
        videoCodec: m.videoCodec, audioCodec: m.audioCodec, bitrate: m.bitrate, orientation: m.orientation, hasAudio: m.hasAudio ? 1 : 0,
      }) as VideoRow;
      this.partials.forget(fence, fence.path);
      return rowToVideo(row);
    })();
  }

  async publishThumbnail(id: string, fence: OutputFence, at: number): Promise<{ video: VideoRecord; previous: string | null } | null> {
    return this.db.transaction(() => {
      if (!this.partials.owns(fence)) return null;
      const before = this.stmt.byId.get(id);
      if (!before) throw new AppError('NOT_FOUND', `No video with id ${id}.`, { videoId: id });
      const row = this.stmt.thumbnail.get(fence.path, at, id) as VideoRow;
      this.partials.forget(fence, fence.path);
      return { video: rowToVideo(row), previous: before.thumbnail_path };
    })();
  }

  async setReencodeJob(id: string, jobId: string, at: number): Promise<VideoRecord> {
    return this.found(this.stmt.reencodeJob.get(jobId, at, id) as VideoRow | undefined, id);
  }

  async moveVideo(id: string, path: string, directoryType: VideoDirectory, at: number): Promise<VideoRecord> {
    return this.found(this.stmt.move.get(path, path.split('/').at(-1)!, directoryType, at, id) as VideoRow | undefined, id);
  }

  async markMissing(directoryType: VideoDirectory, present: ReadonlySet<string>, at: number): Promise<number> {
    return this.db.transaction(() => {
      let wentMissing = 0;
      for (const v of this.stmt.inDirectory.all(directoryType)) {
        const isMissing = !present.has(v.path);
        if (isMissing === (v.missing === 1)) continue;
        this.stmt.setMissing.run(isMissing ? 1 : 0, at, v.id);
        if (isMissing) wentMissing += 1;
      }
      return wentMissing;
    })();
  }

  private found(row: VideoRow | undefined, id: string): VideoRecord {
    if (!row) throw new AppError('NOT_FOUND', `No video with id ${id}.`, { videoId: id });
    return rowToVideo(row);
  }
}
