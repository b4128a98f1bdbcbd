import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { openEmbeddedRuntime } from './open-embedded-runtime';

// The embedded runtime on a real data folder: the folder is owner-only (0700) and so are the
// SQLite database and its -wal/-shm files (0600), whatever the umask and whatever was there.
const root = mkdtempSync(join(tmpdir(), 'data-folder-modes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string) => statSync(path).mode & 0o777;

async function openAndStat(dataDir: string) {
  const config = loadConfig({ MEDIA_DATA_DIR: dataDir, MEDIA_LIBRARY_PATH: join(root, 'library'), MEDIA_NODE_ID: 'modes-node' });
  const embedded = await openEmbeddedRuntime(config);
  try {
    const file = config.databaseFile;
    return {
      folder: modeOf(dataDir),
      database: modeOf(file),
      wal: existsSync(`${file}-wal`) ? modeOf(`${file}-wal`) : null,
      shm: existsSync(`${file}-shm`) ? modeOf(`${file}-shm`) : null,
    };
  } finally {
    await embedded.close();
  }
}

describe.skipIf(process.platform === 'win32')('data folder modes', () => {
  it('a fresh data folder is 0700 and the database and its WAL 0600, even under umask 0', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const before = process.umask(0); // vitest runs each file in its own fork
    let modes;
    try {
      modes = await openAndStat(dataDir);
    } finally {
      process.umask(before);
    }
    // EXCLUSIVE locking mode keeps the WAL index in memory: SQLite makes no -shm file at all.
    expect(modes).toEqual({ folder: 0o700, database: 0o600, wal: 0o600, shm: null });
  });

  it('an existing 0755 folder with 0644 database files of an earlier run is tightened', async () => {
    const dataDir = join(root, 'existing');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const file = join(dataDir, 'media-jobs.db');
    const old = new Database(file);
    old.exec('CREATE TABLE leftover (x)');
    old.close();
    writeFileSync(`${file}-wal`, ''); // an empty WAL and index, as a crash of an older version may leave
    writeFileSync(`${file}-shm`, '');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) chmodSync(path, 0o644);

    expect(await openAndStat(dataDir)).toEqual({ folder: 0o700, database: 0o600, wal: 0o600, shm: 0o600 });
  });
});
