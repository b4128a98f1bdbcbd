/**
 * The library's file index on PostgreSQL (VideoFileIndex), sharing the video store's pool (one that
 * rides out short outages: every statement here sets values, so running one twice is harmless).
 */
import type { VideoRecord } from '../../core/library-ports';
import type { VideoFileEntry, VideoFileIndex } from '../../core/watch-ports';
import type { Pool } from './pg-db';
import { rowToVideo, type PgVideoRow } from './pg-rows';

interface FileRow {
  id: string;
  path: string;
  size_bytes: number | null;
  mtime_ms: number | null;
  missing: boolean;
  probed_at: number | null;
}

export class PostgresVideoFiles implements VideoFileIndex {
  constructor(private readonly pool: Pool) {}

  async listVideoFiles(folder: string): Promise<VideoFileEntry[]> {
    // starts_with rather than LIKE: folder names may hold % and _
    const { rows } = await this.pool.query<FileRow>(
      'SELECT id, path, size_bytes, mtime_ms, missing, probed_at FROM videos WHERE path = $1 OR starts_with(path, $2)',
      [folder, `${folder}/`],
    );
    return rows.map((r) => ({
      id: r.id,
      path: r.path,
      sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
      mtimeMs: r.mtime_ms === null ? null : Number(r.mtime_ms),
      missing: r.missing,
      probedAt: r.probed_at === null ? null : Number(r.probed_at),
    }));
  }

  async markPathsMissing(paths: readonly string[], at: number, underFolders = false): Promise<VideoRecord[]> {
    if (paths.length === 0) return [];
    const match = underFolders ? 'EXISTS (SELECT 1 FROM unnest($2::text[]) AS f WHERE starts_with(videos.path, f || \'/\'))' : 'path = ANY($2::text[])';
    const { rows } = await this.pool.query<PgVideoRow>(`UPDATE videos SET missing = true, updated_at = $1 WHERE ${match} AND NOT missing RETURNING *`, [at, [...paths]]);
    return rows.map(rowToVideo);
  }

  async recordFileChange(id: string, sizeBytes: number, mtimeMs: number, at: number): Promise<VideoRecord> {
    const { rows } = await this.pool.query<PgVideoRow>(
      'UPDATE videos SET size_bytes = $2, mtime_ms = $3, missing = false, probed_at = NULL, updated_at = $4 WHERE id = $1 RETURNING *',
      [id, sizeBytes, mtimeMs, at],
    );
    if (!rows[0]) throw new Error(`No video with id ${id}.`);
    return rowToVideo(rows[0]);
  }
}
