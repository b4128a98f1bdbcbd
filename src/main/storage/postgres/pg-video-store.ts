/**
 * The library's VideoStore on PostgreSQL, sharing the job store's pool. Same semantics as the
 * SQLite adapter; search is case-insensitive (ILIKE, as SQLite's LIKE is for ASCII) with the
 * wildcard characters of the search text escaped.
 */
import { AppError } from '../../../shared/contracts/errors';
import type { VideoDirectory } from '../../../shared/domain/library';
import type { NewVideoFile, OutputFence, ProbeVerdict, VideoFilter, VideoMetadata, VideoRecord, VideoStore } from '../../core/library-ports';
import { inTransaction, type Pool } from './pg-db';
import { PG_OWNER } from './pg-partials';
import { pgText, rowToVideo, type PgVideoRow } from './pg-rows';

function titleOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return (dot > 0 ? filename.slice(0, dot) : filename).replace(/[._]+/g, ' ').trim() || filename;
}

function whereOf(filter: VideoFilter): { sql: string; args: unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    args.push(value);
    clauses.push(clause(`$${args.length}`));
  };
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add((p) => `(title ILIKE ${p} ESCAPE '\\' OR filename ILIKE ${p} ESCAPE '\\')`, like);
  }
  if (filter.directoryType) add((p) => `directory_type = ${p}`, filter.directoryType);
  if (filter.orientation) add((p) => `orientation = ${p}`, filter.orientation);
  if (filter.valid !== undefined) add((p) => `valid = ${p}`, filter.valid);
  if (filter.missing !== undefined) add((p) => `missing = ${p}`, filter.missing);
  if (filter.minDuration !== undefined) add((p) => `duration_seconds >= ${p}`, filter.minDuration);
  if (filter.maxDuration !== undefined) add((p) => `duration_seconds <= ${p}`, filter.maxDuration);
  if (filter.tag !== undefined) add((p) => `EXISTS (SELECT 1 FROM video_tags vt WHERE vt.video_id = videos.id AND vt.tag = ${p})`, filter.tag);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

export class PostgresVideoStore implements VideoStore {
  constructor(private readonly pool: Pool) {}

  async addVideos(files: readonly NewVideoFile[]): Promise<VideoRecord[]> {
    if (files.length === 0) return [];
    return inTransaction(this.pool, async (c) => {
      const added: VideoRecord[] = [];
      for (const f of files) {
        const filename = f.path.split('/').at(-1)!;
        const { rows } = await c.query<PgVideoRow & { created: boolean }>(
          `INSERT INTO videos (id, path, filename, title, directory_type, size_bytes, mtime_ms, source_job_id, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
           ON CONFLICT (path) DO UPDATE SET missing = false, updated_at = excluded.updated_at WHERE videos.missing
           RETURNING *, (created_at = $9 AND id = $1) AS created`,
          [f.id, f.path, filename, titleOf(filename), f.directoryType, f.sizeBytes, f.mtimeMs, f.sourceJobId ?? null, f.at],
        );
        if (rows[0]?.created) added.push(rowToVideo(rows[0]));
      }
      return added;
    });
  }

  async getVideo(id: string): Promise<VideoRecord | undefined> {
    const row = (await this.pool.query<PgVideoRow>('SELECT * FROM videos WHERE id = $1', [id])).rows[0];
    return row ? rowToVideo(row) : undefined;
  }

  async getVideoByPath(path: string): Promise<VideoRecord | undefined> {
    const row = (await this.pool.query<PgVideoRow>('SELECT * FROM videos WHERE path = $1', [path])).rows[0];
    return row ? rowToVideo(row) : undefined;
  }

  async videosByIds(ids: readonly string[]): Promise<VideoRecord[]> {
    if (ids.length === 0) return [];
    return (await this.pool.query<PgVideoRow>('SELECT * FROM videos WHERE id = ANY($1::text[])', [[...ids]])).rows.map(rowToVideo);
  }

  async videosFromJobs(jobIds: readonly string[]): Promise<VideoRecord[]> {
    if (jobIds.length === 0) return [];
    return (await this.pool.query<PgVideoRow>('SELECT * FROM videos WHERE source_job_id = ANY($1::text[]) ORDER BY created_at, path', [[...jobIds]])).rows.map(rowToVideo);
  }

  async listVideos(filter: VideoFilter, offset: number, limit: number): Promise<{ rows: VideoRecord[]; total: number }> {
    const w = whereOf(filter);
    const n = w.args.length;
    // one statement: the page and the total from one snapshot; files added together (one scan)
    // share created_at: then by path (COLLATE "C", as SQLite), so the page reads in order
    const { rows } = await this.pool.query<PgVideoRow & { total: string }>(
      `SELECT p.*, t.total FROM (SELECT count(*) AS total FROM videos ${w.sql}) AS t
       LEFT JOIN LATERAL (SELECT * FROM videos ${w.sql} ORDER BY created_at DESC, path LIMIT $${n + 1} OFFSET $${n + 2}) AS p ON true
       ORDER BY p.created_at DESC, p.path`,
      [...w.args, limit, offset],
    );
    const total = Number(rows[0]?.total ?? 0);
    return { rows: rows.filter((r) => r.id !== null).map(rowToVideo), total };
  }

  async listVideoIds(filter: VideoFilter, max: number): Promise<string[]> {
    const w = whereOf(filter);
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM videos ${w.sql} ORDER BY created_at, id LIMIT $${w.args.length + 1}`, [...w.args, max]);
    return rows.map((r) => r.id);
  }

  async recordProbe(id: string, result: ProbeVerdict, at: number): Promise<VideoRecord> {
    if (!result.ok) {
      return this.updated(
        `UPDATE videos SET valid = false, validation_error = $2, probed_at = $3, updated_at = $3, size_bytes = COALESCE($4, size_bytes), mtime_ms = COALESCE($5, mtime_ms)
         WHERE id = $1 RETURNING *`,
        [id, pgText(result.error), at, result.file?.sizeBytes ?? null, result.file?.mtimeMs ?? null],
      );
    }
    const m = result.metadata;
    return this.updated(
      `UPDATE videos SET duration_seconds = $2, width = $3, height = $4, fps = $5, video_codec = $6, audio_codec = $7, bitrate = $8,
         orientation = $9, has_audio = $10, size_bytes = $11, valid = true, validation_error = NULL, missing = false, probed_at = $12, updated_at = $12
       WHERE id = $1 RETURNING *`,
      [id, m.durationSeconds, m.width, m.height, m.fps, m.videoCodec, m.audioCodec, m.bitrate, m.orientation, m.hasAudio, m.sizeBytes, at],
    );
  }

  async setThumbnail(id: string, thumbnailPath: string, at: number): Promise<VideoRecord> {
    return this.updated('UPDATE videos SET thumbnail_path = $2, updated_at = $3 WHERE id = $1 RETURNING *', [id, thumbnailPath, at]);
  }

  async publishVideo(file: NewVideoFile & { readonly metadata: VideoMetadata }, fence: OutputFence): Promise<VideoRecord | null> {
    // one statement: the fence (job row locked FOR SHARE), the row, and the partial record forgotten
    const filename = file.path.split('/').at(-1)!;
    const m = file.metadata;
    const { rows } = await this.pool.query<PgVideoRow>(
      `WITH owner AS (${PG_OWNER}),
       v AS (
         INSERT INTO videos (id, path, filename, title, directory_type, size_bytes, mtime_ms, source_job_id, created_at, updated_at,
           duration_seconds, width, height, fps, video_codec, audio_codec, bitrate, orientation, has_audio, valid, probed_at)
         SELECT $4::text, $3::text, $5::text, $6::text, $7::text, $8::float8, $9::float8, $10::text, $11::bigint, $11::bigint,
           $12::float8, $13::integer, $14::integer, $15::float8, $16::text, $17::text, $18::float8, $19::text, $20::boolean, true, $11::bigint
         WHERE EXISTS (SELECT 1 FROM owner)
         ON CONFLICT (path) DO UPDATE SET filename = excluded.filename, title = excluded.title, directory_type = excluded.directory_type,
           size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, source_job_id = excluded.source_job_id, updated_at = excluded.updated_at,
           duration_seconds = excluded.duration_seconds, width = excluded.width, height = excluded.height, fps = excluded.fps,
           video_codec = excluded.video_codec, audio_codec = excluded.audio_codec, bitrate = excluded.bitrate, orientation = excluded.orientation,
           has_audio = excluded.has_audio, valid = true, validation_error = NULL, missing = false, probed_at = excluded.probed_at,
           thumbnail_path = NULL, reencode_job_id = NULL
         RETURNING *),
       d AS (DELETE FROM attempt_partials WHERE job_id = $1 AND attempt = $2 AND path = $3 AND EXISTS (SELECT 1 FROM owner))
       SELECT * FROM v`,
      [
        fence.jobId, fence.attempt, file.path, file.id, filename, titleOf(filename), file.directoryType, file.sizeBytes, file.mtimeMs, file.sourceJobId ?? null, file.at,
        m.durationSeconds, m.width, m.height, m.fps, m.videoCodec, m.audioCodec, m.bitrate, m.orientation, m.hasAudio,
      ],
    );
    return rows[0] ? rowToVideo(rows[0]) : null;
  }

  async publishThumbnail(id: string, fence: OutputFence, at: number): Promise<{ video: VideoRecord; previous: string | null } | null> {
    return inTransaction(this.pool, async (c) => {
      if ((await c.query(PG_OWNER, [fence.jobId, fence.attempt])).rowCount === 0) return null;
      const before = (await c.query<{ thumbnail_path: string | null }>('SELECT thumbnail_path FROM videos WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!before) throw new AppError('NOT_FOUND', `No video with id ${id}.`, { videoId: id });
      const row = (await c.query<PgVideoRow>('UPDATE videos SET thumbnail_path = $2, updated_at = $3 WHERE id = $1 RETURNING *', [id, fence.path, at])).rows[0]!;
      await c.query('DELETE FROM attempt_partials WHERE job_id = $1 AND attempt = $2 AND path = $3', [fence.jobId, fence.attempt, fence.path]);
      return { video: rowToVideo(row), previous: before.thumbnail_path };
    });
  }

  async setReencodeJob(id: string, jobId: string, at: number): Promise<VideoRecord> {
    return this.updated('UPDATE videos SET reencode_job_id = $2, updated_at = $3 WHERE id = $1 RETURNING *', [id, jobId, at]);
  }

  async moveVideo(id: string, path: string, directoryType: VideoDirectory, at: number): Promise<VideoRecord> {
    return this.updated('UPDATE videos SET path = $2, filename = $3, directory_type = $4, missing = false, updated_at = $5 WHERE id = $1 RETURNING *', [
      id,
      path,
      path.split('/').at(-1)!,
      directoryType,
      at,
    ]);
  }

  async markMissing(directoryType: VideoDirectory, present: ReadonlySet<string>, at: number): Promise<number> {
    const { rows } = await this.pool.query<{ missing: boolean }>(
      `WITH present AS (SELECT DISTINCT p COLLATE "C" AS path FROM unnest($2::text[]) AS p),
       changed AS (
         SELECT v.id, (p.path IS NULL) AS now_missing FROM videos v LEFT JOIN present p ON p.path = v.path
         WHERE v.directory_type = $1 AND v.missing <> (p.path IS NULL))
       UPDATE videos SET missing = c.now_missing, updated_at = $3 FROM changed c WHERE videos.id = c.id RETURNING videos.missing`,
      [directoryType, [...present], at],
    );
    return rows.filter((r) => r.missing).length;
  }

  private async updated(sql: string, args: unknown[]): Promise<VideoRecord> {
    const row = (await this.pool.query<PgVideoRow>(sql, args)).rows[0];
    if (!row) throw new AppError('NOT_FOUND', `No video with id ${args[0] as string}.`, { videoId: args[0] });
    return rowToVideo(row);
  }
}
