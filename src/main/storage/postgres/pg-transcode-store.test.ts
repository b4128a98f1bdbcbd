/**
 * The PostgreSQL TranscodeStore against a real throwaway server: the conformance suite unchanged
 * (one database per test, copied from a migrated template).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newJob } from '../conformance/fixtures';
import { describeTranscodeStoreConformance } from '../conformance/transcode-store-conformance';
import { useMigratedPostgres } from '../testing/migrated-postgres';
import { openTranscodesSql } from '../transcode-rows';
import { openPostgresStores } from './open-postgres-stores';
import { openPool } from './pg-db';

describe('PostgreSQL transcode store', () => {
  const pg = useMigratedPostgres();

  describeTranscodeStoreConformance('PostgreSQL', async () => openPostgresStores(await pg.freshDatabase()));

  it("the twin check's read goes through the index of open transcodes by video, not through every transcode kept", async () => {
    const url = await pg.freshDatabase();
    const stores = await openPostgresStores(url);
    const pool = openPool(url);
    try {
      // a queue: transcodes of 2,000 other videos and 1,000 other jobs
      await stores.jobs.insertJobs(
        Array.from({ length: 3_000 }, (_, i) =>
          i % 3 === 0 ? newJob({ type: 'validate' }) : newJob({ type: 'transcode', resourceCategory: 'gpu_encode', vramRequired: 0, params: { videoId: randomUUID(), codec: 'hevc', mode: 'replace' } }),
        ),
      );
      await pool.query('ANALYZE jobs');
      const plan = (await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${openTranscodesSql('pg')}`, ['v'])).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/jobs_open_transcodes/);
    } finally {
      await pool.end();
      await stores.close();
    }
  }, 60_000);
});
