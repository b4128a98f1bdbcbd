/**
 * The library's file index on SQLite (VideoFileIndex): what the watcher compares a folder with,
 * and the writes it makes when files vanish or change. Same connection as the video store.
 */
import type Database from 'better-sqlite3';
import type { VideoRecord } from '../../core/library-ports';
import type { VideoFileEntry, VideoFileIndex } from '../../core/watch-ports';
import { rowToVideo, type VideoRow } from './video-rows';

interface FileRow {
  id: string;
  path: string;
  size_bytes: number | null;
  mtime_ms: number | null;
  missing: number;
  probed_at: number | null;
}

export class SqliteVideoFiles implements VideoFileIndex {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    // a prefix compared with substr instead of LIKE: folder names may hold % and _
    this.stmt = {
      under: db.prepare<[string, string, string], FileRow>(
        'SELECT id, path, size_bytes, mtime_ms, missing, probed_at FROM videos WHERE path = ? OR substr(path, 1, length(?)) = ?',
      ),
      missingAt: db.prepare<[number, string], VideoRow>('UPDATE videos SET missing = 1, updated_at = ? WHERE path = ? AND missing = 0 RETURNING *'),
      missingUnder: db.prepare<[number, string, string], VideoRow>('UPDATE videos SET missing = 1, updated_at = ? WHERE substr(path, 1, length(?)) = ? AND missing = 0 RETURNING *'),
      changed: db.prepare<[number, number, number, string], VideoRow>(
        'UPDATE videos SET size_bytes = ?, mtime_ms = ?, missing = 0, probed_at = NULL, updated_at = ? WHERE id = ? RETURNING *',
      ),
    };
  }

  async listVideoFiles(folder: string): Promise<VideoFileEntry[]> {
    return this.stmt.under.all(folder, `${folder}/`, `${folder}/`).map((r) => ({
      id: r.id,
      path: r.path,
      sizeBytes: r.size_bytes,
      mtimeMs: r.mtime_ms,
      missing: r.missing === 1,
      probedAt: r.probed_at,
    }));
  }

  async markPathsMissing(paths: readonly string[], at: number, underFolders = false): Promise<VideoRecord[]> {
    return this.db.transaction(() => {
      const gone: VideoRecord[] = [];
      for (const path of paths) {
        const rows = underFolders ? this.stmt.missingUnder.all(at, `${path}/`, `${path}/`) : this.stmt.missingAt.all(at, path);
        gone.push(...rows.map(rowToVideo));
      }
      return gone;
    })();
  }

  async recordFileChange(id: string, sizeBytes: number, mtimeMs: number, at: number): Promise<VideoRecord> {
    const row = this.stmt.changed.get(sizeBytes, mtimeMs, at, id);
    if (!row) throw new Error(`No video with id ${id}.`);
    return rowToVideo(row);
  }
}
