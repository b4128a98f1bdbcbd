import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openTranscodesSql } from '../transcode-rows';
import { describeTranscodeStoreConformance } from '../conformance/transcode-store-conformance';
import { migrate } from './migrations';
import { openSqliteStores } from './open-sqlite-stores';

const dir = mkdtempSync(join(tmpdir(), 'mjc-transcode-store-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeTranscodeStoreConformance('SQLite', async () => openSqliteStores(join(dir, `transcode-${++n}.db`)));

describe("the twin check's read (openTranscodesOf)", () => {
  it('goes through the index of open transcodes by video, not through every transcode kept', () => {
    const db = new Database(':memory:');
    migrate(db);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${openTranscodesSql('sqlite')}`).all('v') as { detail: string }[]).map((r) => r.detail).join('\n');
    db.close();
    expect(plan).toMatch(/USING INDEX jobs_open_transcodes \(<expr>=\?\)/);
  });
});
