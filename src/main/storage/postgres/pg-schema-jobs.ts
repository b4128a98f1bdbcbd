/**
 * Migration 1 of the PostgreSQL store: jobs, bounded logs, counts by appended deltas (see
 * pg-migrations.ts for why deltas), recorded tool processes, queue flags.
 *
 * A migration of the PostgreSQL store (pg-migrations.ts applies them in order): never edit it
 * once released; add a new one.
 */
import { BUCKET_SHIFT } from './pg-count-rules';
import { LOCKS } from './pg-db';

export const PG_JOB_TABLES = `
  CREATE TABLE jobs (
    seq               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                TEXT    COLLATE "C" NOT NULL UNIQUE,
    type              TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    params            TEXT    NOT NULL, -- JSON text, as in SQLite (jsonb would reorder keys and refuse \\u0000)
    progress          INTEGER NOT NULL DEFAULT 0,
    priority          INTEGER NOT NULL,
    waiting_reason    TEXT,
    resource_category TEXT    NOT NULL,
    vram_required     INTEGER NOT NULL,
    vram_reserved     INTEGER NOT NULL DEFAULT 0,
    created_at        BIGINT  NOT NULL,
    enqueued_at       BIGINT  NOT NULL,
    started_at        BIGINT,
    completed_at      BIGINT,
    retry_count       INTEGER NOT NULL DEFAULT 0,
    max_retries       INTEGER NOT NULL,
    retry_after       BIGINT,
    last_error        TEXT,
    node_id           TEXT,
    attempt           INTEGER NOT NULL DEFAULT 0,
    log_lines         INTEGER NOT NULL DEFAULT 0,
    log_dropped       INTEGER NOT NULL DEFAULT 0,
    -- true while a running job is suspended (status paused, its process stopped, its slot and VRAM still held)
    suspended         BOOLEAN NOT NULL DEFAULT false,
    updated_at        BIGINT  NOT NULL
  );
  CREATE INDEX jobs_waiting  ON jobs (resource_category, priority, seq) WHERE status IN ('pending', 'queued');
  CREATE INDEX jobs_status   ON jobs (status, seq);
  CREATE INDEX jobs_type     ON jobs (type, seq);
  CREATE INDEX jobs_category ON jobs (resource_category, seq);
  CREATE INDEX jobs_retry    ON jobs (retry_after) WHERE status = 'queued' AND retry_after IS NOT NULL;
  -- what holds capacity: a node's usage, the VRAM total, rescue
  CREATE INDEX jobs_active   ON jobs (node_id, resource_category) WHERE status = 'running' OR suspended;

  CREATE TABLE job_logs (
    job_seq BIGINT  NOT NULL,
    line    INTEGER NOT NULL,
    at      BIGINT  NOT NULL,
    text    TEXT    NOT NULL,
    PRIMARY KEY (job_seq, line)
  );

  CREATE TABLE job_buckets (
    bucket            INTEGER NOT NULL,
    type              TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    resource_category TEXT    NOT NULL,
    n                 BIGINT  NOT NULL,
    PRIMARY KEY (bucket, type, status, resource_category)
  );
  CREATE TABLE job_count_deltas (
    bucket            INTEGER NOT NULL,
    type              TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    resource_category TEXT    NOT NULL,
    n                 INTEGER NOT NULL
  );
  CREATE TABLE processing_totals (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    completed BIGINT  NOT NULL,
    total_ms  BIGINT  NOT NULL
  );
  INSERT INTO processing_totals (id, completed, total_ms) VALUES (1, 0, 0);
  CREATE TABLE processing_deltas (
    completed INTEGER NOT NULL,
    total_ms  BIGINT  NOT NULL
  );

  -- child processes of running attempts, so orphans can be killed after a crash
  CREATE TABLE job_processes (
    pid        INTEGER NOT NULL,
    job_id     TEXT    NOT NULL,
    command    TEXT    NOT NULL,
    node_id    TEXT    NOT NULL,
    started_at BIGINT  NOT NULL,
    PRIMARY KEY (node_id, pid)
  );

  CREATE TABLE queue_flags (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    queue_paused      BOOLEAN NOT NULL,
    paused_categories TEXT[]  NOT NULL
  );
  INSERT INTO queue_flags (id, queue_paused, paused_categories) VALUES (1, false, '{}');

  CREATE FUNCTION jobs_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
      SELECT (seq >> ${BUCKET_SHIFT})::integer, type, status, resource_category, count(*) FROM new_rows GROUP BY 1, 2, 3, 4;
    RETURN NULL;
  END $$;
  CREATE TRIGGER jobs_count_insert AFTER INSERT ON jobs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_insert();

  CREATE FUNCTION jobs_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO job_count_deltas (bucket, type, status, resource_category, n) VALUES
      ((old.seq >> ${BUCKET_SHIFT})::integer, old.type, old.status, old.resource_category, -1),
      ((new.seq >> ${BUCKET_SHIFT})::integer, new.type, new.status, new.resource_category, 1);
    IF new.status = 'completed' AND new.started_at IS NOT NULL AND new.completed_at IS NOT NULL THEN
      INSERT INTO processing_deltas (completed, total_ms) VALUES (1, new.completed_at - new.started_at);
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER jobs_count_status AFTER UPDATE OF status ON jobs
    FOR EACH ROW WHEN (old.status IS DISTINCT FROM new.status) EXECUTE FUNCTION jobs_count_status();

  CREATE FUNCTION jobs_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
      SELECT (seq >> ${BUCKET_SHIFT})::integer, type, status, resource_category, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4;
    DELETE FROM job_logs WHERE job_seq IN (SELECT seq FROM old_rows);
    RETURN NULL;
  END $$;
  CREATE TRIGGER jobs_count_delete AFTER DELETE ON jobs REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_delete();

  -- Folds the appended deltas into the totals; returns false when another session is compacting.
  CREATE FUNCTION compact_job_counts() RETURNS boolean LANGUAGE plpgsql AS $$
  BEGIN
    IF NOT pg_try_advisory_xact_lock(${LOCKS.namespace}, ${LOCKS.compaction}) THEN
      RETURN false;
    END IF;
    WITH d AS (DELETE FROM job_count_deltas RETURNING bucket, type, status, resource_category, n),
         g AS (SELECT bucket, type, status, resource_category, sum(n) AS n FROM d GROUP BY 1, 2, 3, 4)
    INSERT INTO job_buckets AS b (bucket, type, status, resource_category, n)
      SELECT bucket, type, status, resource_category, n FROM g WHERE n <> 0
      ON CONFLICT (bucket, type, status, resource_category) DO UPDATE SET n = b.n + excluded.n;
    DELETE FROM job_buckets WHERE n = 0;
    WITH d AS (DELETE FROM processing_deltas RETURNING completed, total_ms),
         s AS (SELECT coalesce(sum(completed), 0) AS completed, coalesce(sum(total_ms), 0) AS total_ms FROM d)
    UPDATE processing_totals t SET completed = t.completed + s.completed, total_ms = t.total_ms + s.total_ms
      FROM s WHERE t.id = 1 AND s.completed > 0;
    RETURN true;
  END $$;
  `;
