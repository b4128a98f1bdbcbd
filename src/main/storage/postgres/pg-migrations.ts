/**
 * Schema migrations of the PostgreSQL store, applied in order, each in its own transaction under
 * an advisory lock (several nodes may start at once on one database). Never edit a released
 * migration: add a new one.
 *
 * Counts (why not SQLite's trigger-updated job_buckets): every node writes concurrently here. A
 * trigger that updates shared count rows would serialise all claims and reports on the newest
 * bucket's rows until commit, and two transactions touching the same rows in another order
 * deadlock (a claim starting a cpu then a gpu job against one starting them the other way). So
 * triggers only APPEND deltas (job_count_deltas, processing_deltas: inserts never conflict); a
 * compaction (compact_job_counts(), one at a time by a try-lock, run by the stores every few
 * hundred changes) folds them into job_buckets / processing_totals in one atomic statement.
 * Readers sum buckets + pending deltas in one snapshot, so counts are exact whether or not a
 * compaction ran. Buckets are 4096 consecutive seqs by type, status and category, as in SQLite:
 * totals sum a few hundred rows at a million jobs, and a deep page starts from its bucket.
 * Since migration 6, running and suspended jobs are counted live instead, and the claim's
 * statements append their own deltas (pg-count-rules.ts).
 */
import type { PoolClient } from 'pg';
import { BUCKET_SHIFT } from './pg-count-rules';
import { inTransaction, LOCKS, type Pool } from './pg-db';
import { PG_JOB_TABLES } from './pg-schema-jobs';
import { PG_PIPELINE_TABLES } from './pg-schema-pipelines';
import { PG_TRANSCODE_TABLES } from './pg-schema-transcode';

const MIGRATIONS: readonly string[] = [
  // 1: jobs, bounded logs, counts by appended deltas, processes, queue flags: pg-schema-jobs.ts
  PG_JOB_TABLES,
  /* 2: the library's videos (paths relative to the library root) */ `
  CREATE TABLE videos (
    id               TEXT    COLLATE "C" PRIMARY KEY,
    path             TEXT    COLLATE "C" NOT NULL UNIQUE,
    filename         TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    directory_type   TEXT    NOT NULL,
    size_bytes       DOUBLE PRECISION,
    mtime_ms         DOUBLE PRECISION,
    duration_seconds DOUBLE PRECISION,
    width            INTEGER,
    height           INTEGER,
    fps              DOUBLE PRECISION,
    video_codec      TEXT,
    audio_codec      TEXT,
    bitrate          DOUBLE PRECISION,
    orientation      TEXT,
    has_audio        BOOLEAN,
    valid            BOOLEAN,
    validation_error TEXT,
    missing          BOOLEAN NOT NULL DEFAULT false,
    thumbnail_path   TEXT,
    reencode_job_id  TEXT,
    source_job_id    TEXT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    probed_at        BIGINT
  );
  CREATE INDEX videos_directory ON videos (directory_type, created_at);
  CREATE INDEX videos_created   ON videos (created_at);
  `,
  /* 3: analysis results: scenes per video, chosen segments per job, tags per video */ `
  CREATE TABLE video_scenes (
    video_id      TEXT             NOT NULL,
    idx           INTEGER          NOT NULL,
    start_s       DOUBLE PRECISION NOT NULL,
    end_s         DOUBLE PRECISION NOT NULL,
    score         DOUBLE PRECISION NOT NULL,
    motion        DOUBLE PRECISION,
    keyframe_path TEXT,
    clip_path     TEXT,
    job_id        TEXT             NOT NULL,
    created_at    BIGINT           NOT NULL,
    PRIMARY KEY (video_id, idx)
  );

  CREATE TABLE analysis_segments (
    job_id          TEXT             NOT NULL,
    idx             INTEGER          NOT NULL,
    video_id        TEXT             NOT NULL,
    kind            TEXT             NOT NULL,
    start_s         DOUBLE PRECISION NOT NULL,
    end_s           DOUBLE PRECISION NOT NULL,
    score           DOUBLE PRECISION,
    output_video_id TEXT,
    created_at      BIGINT           NOT NULL,
    PRIMARY KEY (job_id, idx)
  );
  CREATE INDEX analysis_segments_video ON analysis_segments (video_id, kind);

  CREATE TABLE video_tags (
    id         BIGINT           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    video_id   TEXT             NOT NULL,
    tag        TEXT             COLLATE "C" NOT NULL,
    confidence DOUBLE PRECISION NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    start_s    DOUBLE PRECISION,
    end_s      DOUBLE PRECISION,
    job_id     TEXT,
    created_at BIGINT           NOT NULL
  );
  CREATE INDEX video_tags_video ON video_tags (video_id, confidence);
  CREATE INDEX video_tags_tag   ON video_tags (tag, confidence);
  `,
  /* 4: fleet: nodes and their heartbeats; leases of running jobs, in the database's clock */ `
  CREATE FUNCTION mjc_now_ms() RETURNS BIGINT LANGUAGE sql VOLATILE
    AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;

  -- a running (or suspended) job's lease: renewed by its node's heartbeat, rescued when it runs out
  ALTER TABLE jobs ADD COLUMN lease_expires_at BIGINT;
  CREATE INDEX jobs_lease ON jobs (lease_expires_at) WHERE status = 'running' OR suspended;

  CREATE TABLE nodes (
    id                    TEXT    PRIMARY KEY,
    instance_id           TEXT    NOT NULL,
    hostname              TEXT    NOT NULL,
    version               TEXT    NOT NULL,
    library_path          TEXT    NOT NULL,
    limits                JSONB   NOT NULL,
    vram_budget_mb        DOUBLE PRECISION,
    gpus                  JSONB   NOT NULL DEFAULT '[]',
    running               JSONB   NOT NULL DEFAULT '{}',
    vram_reserved_mb      DOUBLE PRECISION NOT NULL DEFAULT 0,
    running_job_ids       TEXT[]  NOT NULL DEFAULT '{}',
    completed_since_start INTEGER NOT NULL DEFAULT 0,
    failed_since_start    INTEGER NOT NULL DEFAULT 0,
    started_at            BIGINT  NOT NULL,
    heartbeat_at          BIGINT  NOT NULL,
    stopped_at            BIGINT
  );
  `,
  /* 5: status counts by a statement-level trigger: one delta insert per statement instead of two
        plpgsql inserts per changed row (a claim or a batch of completions changes dozens of rows) */ `
  DROP TRIGGER jobs_count_status ON jobs;
  CREATE FUNCTION jobs_count_status_changes() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
      SELECT bucket, type, status, resource_category, sum(n)::integer FROM (
        SELECT (o.seq >> ${BUCKET_SHIFT})::integer AS bucket, o.type, o.status, o.resource_category, -1 AS n
          FROM old_rows o JOIN new_rows w ON w.seq = o.seq WHERE o.status IS DISTINCT FROM w.status
        UNION ALL
        SELECT (w.seq >> ${BUCKET_SHIFT})::integer, w.type, w.status, w.resource_category, 1
          FROM old_rows o JOIN new_rows w ON w.seq = o.seq WHERE o.status IS DISTINCT FROM w.status
      ) AS d GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
    INSERT INTO processing_deltas (completed, total_ms)
      SELECT count(*), sum(w.completed_at - w.started_at) FROM old_rows o JOIN new_rows w ON w.seq = o.seq
      WHERE o.status IS DISTINCT FROM w.status AND w.status = 'completed' AND w.started_at IS NOT NULL AND w.completed_at IS NOT NULL
      HAVING count(*) > 0;
    RETURN NULL;
  END $$;
  CREATE TRIGGER jobs_count_status AFTER UPDATE ON jobs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_status_changes();
  `,
  /* 6: (pg-count-rules.ts) running and suspended jobs leave the bucketed counts (readers count them
        live); status changes are counted by a row trigger, except in transactions that set
        mjc.statement_counts, whose statements count their own (the claim's); three index insertions
        fewer per job */ `
  LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE; -- no status changes while the counts change meaning
  DROP TRIGGER jobs_count_status ON jobs;
  DROP FUNCTION jobs_count_status_changes();

  CREATE OR REPLACE FUNCTION jobs_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
      SELECT (seq >> ${BUCKET_SHIFT})::integer, type, status, resource_category, count(*) FROM new_rows
      WHERE NOT (status = 'running' OR suspended) GROUP BY 1, 2, 3, 4;
    RETURN NULL;
  END $$;

  CREATE OR REPLACE FUNCTION jobs_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
      SELECT (seq >> ${BUCKET_SHIFT})::integer, type, status, resource_category, -count(*) FROM old_rows
      WHERE NOT (status = 'running' OR suspended) GROUP BY 1, 2, 3, 4;
    DELETE FROM job_logs WHERE job_seq IN (SELECT seq FROM old_rows);
    RETURN NULL;
  END $$;

  CREATE FUNCTION jobs_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NOT (old.status = 'running' OR old.suspended) THEN
      INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
        VALUES ((old.seq >> ${BUCKET_SHIFT})::integer, old.type, old.status, old.resource_category, -1);
    END IF;
    IF NOT (new.status = 'running' OR new.suspended) THEN
      INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
        VALUES ((new.seq >> ${BUCKET_SHIFT})::integer, new.type, new.status, new.resource_category, 1);
    END IF;
    IF new.status = 'completed' AND old.status <> 'completed' AND new.started_at IS NOT NULL AND new.completed_at IS NOT NULL THEN
      INSERT INTO processing_deltas (completed, total_ms) VALUES (1, new.completed_at - new.started_at);
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER jobs_count_change AFTER UPDATE ON jobs FOR EACH ROW
    WHEN ((old.status IS DISTINCT FROM new.status OR old.suspended IS DISTINCT FROM new.suspended)
      AND current_setting('mjc.statement_counts', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION jobs_count_change();

  -- the live jobs leave the counts they were in until now
  INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
    SELECT (seq >> ${BUCKET_SHIFT})::integer, type, status, resource_category, -count(*) FROM jobs
    WHERE status = 'running' OR suspended GROUP BY 1, 2, 3, 4;

  -- Every status change inserts into every index (a status change is never a HOT update), so: the
  -- start and the completion, which every job makes, skip the status index (lists of running jobs
  -- read jobs_active, lists of completed jobs the primary key within their buckets), and lists by
  -- category read the type index (pg-counts.ts listPage)
  DROP INDEX jobs_category;
  DROP INDEX jobs_status;
  CREATE INDEX jobs_status ON jobs (status, seq) WHERE status NOT IN ('completed', 'running');
  -- and the start one more: the lease sweep reads the live jobs (a few hundred) through jobs_active
  DROP INDEX jobs_lease;
  `,
  // who created each job (an API token's name, 'desktop'); older jobs say nothing. A nullable
  // column without a default is a catalog change only: no table rewrite, no long lock.
  `ALTER TABLE jobs ADD COLUMN created_by text;`,
  // the start time of each recorded tool process (field 22 of /proc/<pid>/stat), so the orphan
  // killer never kills a process that merely reuses the PID; and the partial files each attempt is
  // writing (library-relative), so recovery removes exactly those of attempts that will not go on
  `ALTER TABLE job_processes ADD COLUMN start_ticks bigint;
  CREATE TABLE attempt_partials (
    job_id     text    NOT NULL,
    attempt    integer NOT NULL,
    path       text    NOT NULL,
    node_id    text    NOT NULL,
    created_at bigint  NOT NULL,
    PRIMARY KEY (job_id, attempt, path)
  );`,
  // when a user asked to cancel a running (or suspended) job: it shows as cancelling until its
  // attempt has ended (tool exited, partials removed), then cancelled; a rescue then cancels it too
  `ALTER TABLE jobs ADD COLUMN cancel_requested_at bigint;`,
  // settings shared by every node (watched folders …), and named leader leases: one node of the
  // fleet runs a duty (the library watcher, a scheduler) until its lease runs out in mjc_now_ms()
  `CREATE TABLE IF NOT EXISTS app_settings (
    key        text   PRIMARY KEY,
    value      jsonb  NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE TABLE IF NOT EXISTS leader_leases (
    name        text   PRIMARY KEY,
    holder      text   NOT NULL,
    acquired_at bigint NOT NULL,
    expires_at  bigint NOT NULL
  );`,
  /* `suspended` becomes a status of its own (a running job whose process a pause stopped, its slot
     and VRAM still held) instead of status paused plus the suspended flag, which goes. Live jobs
     (running, suspended) stay out of the bucketed counts (pg-count-rules.ts): the jobs that move
     were live before and after, so they move with the count trigger dropped. A node of an older
     version still running fails its statements from here on (its jobs are rescued when their
     leases run out) instead of writing the flag. And an index for the claim's read of what fits
     the free VRAM (pg-claim.ts): the waiting jobs of the GPU categories by VRAM need, then rank. */ `
  LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE;
  DROP TRIGGER jobs_count_change ON jobs;
  UPDATE jobs SET status = 'suspended' WHERE status = 'paused' AND suspended;

  CREATE OR REPLACE FUNCTION jobs_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
      SELECT (seq >> ${BUCKET_SHIFT})::integer, type, status, resource_category, count(*) FROM new_rows
      WHERE status NOT IN ('running', 'suspended') GROUP BY 1, 2, 3, 4;
    RETURN NULL;
  END $$;

  CREATE OR REPLACE FUNCTION jobs_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
      SELECT (seq >> ${BUCKET_SHIFT})::integer, type, status, resource_category, -count(*) FROM old_rows
      WHERE status NOT IN ('running', 'suspended') GROUP BY 1, 2, 3, 4;
    DELETE FROM job_logs WHERE job_seq IN (SELECT seq FROM old_rows);
    RETURN NULL;
  END $$;

  CREATE OR REPLACE FUNCTION jobs_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF old.status NOT IN ('running', 'suspended') THEN
      INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
        VALUES ((old.seq >> ${BUCKET_SHIFT})::integer, old.type, old.status, old.resource_category, -1);
    END IF;
    IF new.status NOT IN ('running', 'suspended') THEN
      INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
        VALUES ((new.seq >> ${BUCKET_SHIFT})::integer, new.type, new.status, new.resource_category, 1);
    END IF;
    IF new.status = 'completed' AND old.status <> 'completed' AND new.started_at IS NOT NULL AND new.completed_at IS NOT NULL THEN
      INSERT INTO processing_deltas (completed, total_ms) VALUES (1, new.completed_at - new.started_at);
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER jobs_count_change AFTER UPDATE ON jobs FOR EACH ROW
    WHEN (old.status IS DISTINCT FROM new.status AND current_setting('mjc.statement_counts', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION jobs_count_change();

  DROP INDEX jobs_active;
  ALTER TABLE jobs DROP COLUMN suspended;
  CREATE INDEX jobs_active ON jobs (node_id, resource_category) WHERE status IN ('running', 'suspended');
  CREATE INDEX jobs_waiting_vram ON jobs (resource_category, vram_required, priority, seq)
    WHERE status IN ('pending', 'queued') AND resource_category IN ('gpu_encode', 'gpu_ai');
  `,
  // library transcoding (issue #17): pg-schema-transcode.ts
  PG_TRANSCODE_TABLES,
  // pipelines (issue #16): pg-schema-pipelines.ts
  PG_PIPELINE_TABLES,
  // per-GPU placement (#18): the GPU a job's attempt runs on
  `ALTER TABLE jobs ADD COLUMN gpu_index integer;
  ALTER TABLE jobs ADD COLUMN gpu_uuid text;`,
  // segmented encodes (#20), as in the SQLite store: claims skip a parent while children_pending > 0;
  // a child's end counts down (completed) or releases the parent (failed, cancelled) in its transaction
  `ALTER TABLE jobs ADD COLUMN children_pending integer NOT NULL DEFAULT 0;
  CREATE INDEX jobs_segment_children ON jobs (parent_job_id, seq) WHERE type IN ('encode_chunk', 'encode_audio');
  CREATE FUNCTION mjc_segment_child_ended() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE jobs SET
      children_pending = CASE WHEN NEW.status = 'completed' THEN greatest(children_pending - 1, 0) ELSE 0 END,
      waiting_reason = CASE WHEN NEW.status <> 'completed' THEN 'A part of its segmented encode ended ' || NEW.status || '; the job reports it'
        ELSE 'Encoding in parts: ' || (SELECT count(*) FROM jobs c WHERE c.parent_job_id = NEW.parent_job_id AND c.type IN ('encode_chunk', 'encode_audio') AND c.status = 'completed')
          || ' of ' || (SELECT count(*) FROM jobs c WHERE c.parent_job_id = NEW.parent_job_id AND c.type IN ('encode_chunk', 'encode_audio')) || ' done' END
    WHERE id = NEW.parent_job_id AND status IN ('pending', 'queued', 'running', 'suspended', 'paused');
    RETURN NULL;
  END $$;
  CREATE TRIGGER jobs_segment_child_ended AFTER UPDATE OF status ON jobs FOR EACH ROW
    WHEN (NEW.type IN ('encode_chunk', 'encode_audio') AND NEW.parent_job_id IS NOT NULL
      AND NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status NOT IN ('completed', 'failed', 'cancelled'))
    EXECUTE FUNCTION mjc_segment_child_ended();`,
  // the average processing time leaves out the parts of segmented encodes (#20): their parent counts
  // once (the statement-level path, pg-count-rules.ts processingDeltaCte, skips them the same way)
  `CREATE OR REPLACE FUNCTION jobs_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF old.status NOT IN ('running', 'suspended') THEN
      INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
        VALUES ((old.seq >> ${BUCKET_SHIFT})::integer, old.type, old.status, old.resource_category, -1);
    END IF;
    IF new.status NOT IN ('running', 'suspended') THEN
      INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
        VALUES ((new.seq >> ${BUCKET_SHIFT})::integer, new.type, new.status, new.resource_category, 1);
    END IF;
    IF new.status = 'completed' AND old.status <> 'completed' AND new.started_at IS NOT NULL AND new.completed_at IS NOT NULL
      AND new.type NOT IN ('encode_chunk', 'encode_audio') THEN
      INSERT INTO processing_deltas (completed, total_ms) VALUES (1, new.completed_at - new.started_at);
    END IF;
    RETURN NULL;
  END $$;`,
  // the open transcode jobs of a video, by its id (transcode-rows.ts openTranscodesSql: the twin
  // check at each transcode's start reads it instead of every transcode ever kept). The id comes
  // from the text: a cast to json or jsonb fails for a document with \u0000 in it
  `CREATE INDEX jobs_open_transcodes ON jobs ((substring(params from '"videoId":"([^"]*)"')), seq)
    WHERE type = 'transcode' AND status IN ('pending', 'queued', 'running', 'suspended', 'paused');`,
  // webhook tries of every node (DeliveryStore, pg-delivery-store.ts): whichever node is asked lists
  // the fleet's, the notifier leader's included; the newest KEPT_DELIVERIES stay
  `CREATE TABLE webhook_deliveries (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id      text    NOT NULL,
    notification_id text    NOT NULL,
    kind            text    NOT NULL,
    attempt         integer NOT NULL,
    at              bigint  NOT NULL,
    outcome         text    NOT NULL,
    http_status     integer,
    error           text,
    duration_ms     integer NOT NULL,
    node_id         text    NOT NULL
  );
  CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);`,
];

/** The schema version this build migrates to (the number of migrations). */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the migrations not applied yet, up to `upTo` (all of them; tests stop earlier to test an upgrade). */
export async function migrate(pool: Pool, upTo = MIGRATIONS.length): Promise<void> {
  for (;;) {
    const applied = await inTransaction(pool, async (c: PoolClient) => {
      await c.query(`SELECT pg_advisory_xact_lock(${LOCKS.namespace}, ${LOCKS.migrations})`);
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const current = (await c.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0]!.v;
      if (current > MIGRATIONS.length) {
        throw new Error(`The database was written by a newer version of this program (schema ${current}, this build knows ${MIGRATIONS.length}).`);
      }
      const sql = current < upTo ? MIGRATIONS[current] : undefined;
      if (sql === undefined) return false;
      await c.query(sql);
      await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [current + 1, Date.now()]);
      return true;
    });
    if (!applied) return;
  }
}
