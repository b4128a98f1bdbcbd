/**
 * Pipelines (issue #16): each job may belong to a pipeline run and name the job of the step it
 * came after; pipelines with every version of their document; runs with a state per step (the
 * job id chosen before the job is inserted, so a crash in between re-inserts the same job); the
 * loop breaker's content fingerprints per (pipeline, steps version); claimed schedule slots (one
 * run per scheduled time, whichever node's cron fires); and the lookup of a job's output video
 *
 * A migration of the SQLite store (migrations.ts applies them in order): never edit it once
 * released; add a new one.
 */
export const PIPELINE_TABLES = `ALTER TABLE jobs ADD COLUMN pipeline_run_id TEXT;
  ALTER TABLE jobs ADD COLUMN parent_job_id TEXT;
  CREATE INDEX videos_source_job ON videos(source_job_id) WHERE source_job_id IS NOT NULL;
  CREATE TABLE pipelines (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    enabled       INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    steps_version INTEGER NOT NULL,
    document      TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    created_by    TEXT,
    updated_by    TEXT
  ) WITHOUT ROWID;
  CREATE TABLE pipeline_versions (
    pipeline_id TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    document    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (pipeline_id, version)
  ) WITHOUT ROWID;
  CREATE TABLE pipeline_runs (
    id               TEXT    PRIMARY KEY,
    pipeline_id      TEXT    NOT NULL,
    pipeline_version INTEGER NOT NULL,
    steps_version    INTEGER NOT NULL,
    video_id         TEXT    NOT NULL,
    trigger          TEXT    NOT NULL,
    trigger_detail   TEXT,
    forced           INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    ended_at         INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX pipeline_runs_pipeline ON pipeline_runs(pipeline_id, created_at);
  CREATE INDEX pipeline_runs_running  ON pipeline_runs(created_at) WHERE status = 'running';
  CREATE TABLE pipeline_run_steps (
    run_id          TEXT    NOT NULL,
    idx             INTEGER NOT NULL,
    step_id         TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    skip_kind       TEXT,
    job_id          TEXT,
    params          TEXT,
    reason          TEXT,
    output_video_id TEXT,
    started_at      INTEGER,
    ended_at        INTEGER,
    PRIMARY KEY (run_id, step_id)
  ) WITHOUT ROWID;
  CREATE INDEX pipeline_run_steps_job ON pipeline_run_steps(job_id) WHERE job_id IS NOT NULL;
  CREATE TABLE pipeline_fingerprints (
    pipeline_id   TEXT    NOT NULL,
    steps_version INTEGER NOT NULL,
    size_bytes    INTEGER NOT NULL,
    mtime_ms      INTEGER NOT NULL,
    hash          TEXT    NOT NULL,
    run_id        TEXT,
    kind          TEXT    NOT NULL,
    at            INTEGER NOT NULL,
    PRIMARY KEY (pipeline_id, steps_version, size_bytes, mtime_ms, hash)
  ) WITHOUT ROWID;
  CREATE TABLE pipeline_schedule_slots (
    pipeline_id  TEXT    NOT NULL,
    scheduled_at INTEGER NOT NULL,
    claimed_at   INTEGER NOT NULL,
    PRIMARY KEY (pipeline_id, scheduled_at)
  ) WITHOUT ROWID;`;
