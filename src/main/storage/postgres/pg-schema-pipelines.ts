/**
 * Pipelines (issue #16): each job may belong to a pipeline run and name the job of the step it
 * came after (nullable columns without defaults: catalog changes only); pipelines with every
 * version of their document; runs with a state per step (the job id chosen before the job is
 * inserted, so a crash in between re-inserts the same job); the loop breaker's content
 * fingerprints per (pipeline, steps version); claimed schedule slots (one run per scheduled time,
 * whichever node's cron fires); and the lookup of a job's output video
 *
 * A migration of the PostgreSQL store (pg-migrations.ts applies them in order): never edit it
 * once released; add a new one.
 */
export const PG_PIPELINE_TABLES = `ALTER TABLE jobs ADD COLUMN pipeline_run_id text;
  ALTER TABLE jobs ADD COLUMN parent_job_id text;
  CREATE INDEX videos_source_job ON videos (source_job_id) WHERE source_job_id IS NOT NULL;
  CREATE TABLE pipelines (
    id            text    PRIMARY KEY,
    name          text    NOT NULL,
    enabled       boolean NOT NULL,
    version       integer NOT NULL,
    steps_version integer NOT NULL,
    document      text    NOT NULL,
    created_at    bigint  NOT NULL,
    updated_at    bigint  NOT NULL,
    created_by    text,
    updated_by    text
  );
  CREATE UNIQUE INDEX pipelines_name ON pipelines (lower(name));
  CREATE TABLE pipeline_versions (
    pipeline_id text    NOT NULL,
    version     integer NOT NULL,
    document    text    NOT NULL,
    created_at  bigint  NOT NULL,
    PRIMARY KEY (pipeline_id, version)
  );
  CREATE TABLE pipeline_runs (
    id               text    PRIMARY KEY,
    pipeline_id      text    NOT NULL,
    pipeline_version integer NOT NULL,
    steps_version    integer NOT NULL,
    video_id         text    NOT NULL,
    trigger          text    NOT NULL,
    trigger_detail   text,
    forced           boolean NOT NULL,
    status           text    NOT NULL,
    created_at       bigint  NOT NULL,
    updated_at       bigint  NOT NULL,
    ended_at         bigint
  );
  CREATE INDEX pipeline_runs_pipeline ON pipeline_runs (pipeline_id, created_at);
  CREATE INDEX pipeline_runs_running  ON pipeline_runs (created_at) WHERE status = 'running';
  CREATE TABLE pipeline_run_steps (
    run_id          text    NOT NULL,
    idx             integer NOT NULL,
    step_id         text    NOT NULL,
    state           text    NOT NULL,
    skip_kind       text,
    job_id          text,
    params          text,
    reason          text,
    output_video_id text,
    started_at      bigint,
    ended_at        bigint,
    PRIMARY KEY (run_id, step_id)
  );
  CREATE INDEX pipeline_run_steps_job ON pipeline_run_steps (job_id) WHERE job_id IS NOT NULL;
  CREATE TABLE pipeline_fingerprints (
    pipeline_id   text    NOT NULL,
    steps_version integer NOT NULL,
    size_bytes    bigint  NOT NULL,
    mtime_ms      bigint  NOT NULL,
    hash          text    NOT NULL,
    run_id        text,
    kind          text    NOT NULL,
    at            bigint  NOT NULL,
    PRIMARY KEY (pipeline_id, steps_version, size_bytes, mtime_ms, hash)
  );
  CREATE TABLE pipeline_schedule_slots (
    pipeline_id  text   NOT NULL,
    scheduled_at bigint NOT NULL,
    claimed_at   bigint NOT NULL,
    PRIMARY KEY (pipeline_id, scheduled_at)
  );`;
