/**
 * Schema migrations of the embedded SQLite store, applied in order, each in its own transaction.
 * Never edit a released migration: add a new one.
 */
import type Database from 'better-sqlite3';
import { PIPELINE_TABLES } from './schema-pipelines';
import { TRANSCODE_TABLES } from './schema-transcode';

const MIGRATIONS: readonly string[] = [
  /* 1: jobs, bounded logs, bucketed counts kept by triggers, queue flags */ `
  CREATE TABLE jobs (
    seq               INTEGER PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,
    type              TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    params            TEXT    NOT NULL,
    progress          INTEGER NOT NULL DEFAULT 0,
    priority          INTEGER NOT NULL,
    waiting_reason    TEXT,
    resource_category TEXT    NOT NULL,
    vram_required     INTEGER NOT NULL,
    vram_reserved     INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    enqueued_at       INTEGER NOT NULL,
    started_at        INTEGER,
    completed_at      INTEGER,
    retry_count       INTEGER NOT NULL DEFAULT 0,
    max_retries       INTEGER NOT NULL,
    retry_after       INTEGER,
    last_error        TEXT,
    node_id           TEXT,
    attempt           INTEGER NOT NULL DEFAULT 0,
    log_lines         INTEGER NOT NULL DEFAULT 0,
    log_dropped       INTEGER NOT NULL DEFAULT 0,
    -- 1 while a running job was suspended (status paused), until status suspended replaced it; unused since
    suspended         INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
  );
  CREATE INDEX jobs_waiting  ON jobs(resource_category, priority, seq) WHERE status IN ('pending', 'queued');
  CREATE INDEX jobs_status   ON jobs(status, seq);
  CREATE INDEX jobs_type     ON jobs(type, seq);
  CREATE INDEX jobs_category ON jobs(resource_category, seq);
  CREATE INDEX jobs_retry    ON jobs(retry_after) WHERE status = 'queued' AND retry_after IS NOT NULL;

  CREATE TABLE job_logs (
    job_seq INTEGER NOT NULL,
    line    INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    text    TEXT    NOT NULL,
    PRIMARY KEY (job_seq, line)
  ) WITHOUT ROWID;

  -- Per-bucket counts (4096 consecutive seqs a bucket) by type and status. Totals and stats sum a
  -- few hundred rows at a million jobs; a deep page is found by summing buckets and stepping at
  -- most one bucket instead of stepping a million rows.
  CREATE TABLE job_buckets (
    bucket            INTEGER NOT NULL,
    type              TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    resource_category TEXT    NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (bucket, type, status)
  ) WITHOUT ROWID;

  CREATE TABLE processing_totals (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    completed INTEGER NOT NULL,
    total_ms  INTEGER NOT NULL
  );
  INSERT INTO processing_totals (id, completed, total_ms) VALUES (1, 0, 0);

  -- child processes of running attempts, so orphans can be killed after a crash
  CREATE TABLE job_processes (
    pid        INTEGER NOT NULL,
    job_id     TEXT    NOT NULL,
    command    TEXT    NOT NULL,
    node_id    TEXT    NOT NULL,
    started_at INTEGER NOT NULL,
    PRIMARY KEY (node_id, pid)
  ) WITHOUT ROWID;

  CREATE TABLE queue_flags (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    queue_paused      INTEGER NOT NULL,
    paused_categories TEXT    NOT NULL
  );
  INSERT INTO queue_flags (id, queue_paused, paused_categories) VALUES (1, 0, '[]');

  CREATE TRIGGER jobs_count_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO job_buckets (bucket, type, status, resource_category, n) VALUES (new.seq >> 12, new.type, new.status, new.resource_category, 1)
      ON CONFLICT (bucket, type, status) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER jobs_count_status AFTER UPDATE OF status ON jobs WHEN old.status <> new.status BEGIN
    UPDATE job_buckets SET n = n - 1 WHERE bucket = old.seq >> 12 AND type = old.type AND status = old.status;
    INSERT INTO job_buckets (bucket, type, status, resource_category, n) VALUES (new.seq >> 12, new.type, new.status, new.resource_category, 1)
      ON CONFLICT (bucket, type, status) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER jobs_count_completed AFTER UPDATE OF status ON jobs
    WHEN new.status = 'completed' AND old.status <> 'completed' AND new.started_at IS NOT NULL AND new.completed_at IS NOT NULL BEGIN
    UPDATE processing_totals SET completed = completed + 1, total_ms = total_ms + (new.completed_at - new.started_at) WHERE id = 1;
  END;
  CREATE TRIGGER jobs_count_delete AFTER DELETE ON jobs BEGIN
    UPDATE job_buckets SET n = n - 1 WHERE bucket = old.seq >> 12 AND type = old.type AND status = old.status;
    DELETE FROM job_logs WHERE job_seq = old.seq;
  END;
  `,
  /* 2: the library's videos (paths relative to the library root) */ `
  CREATE TABLE videos (
    id               TEXT    PRIMARY KEY,
    path             TEXT    NOT NULL UNIQUE,
    filename         TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    directory_type   TEXT    NOT NULL,
    size_bytes       INTEGER,
    mtime_ms         INTEGER,
    duration_seconds REAL,
    width            INTEGER,
    height           INTEGER,
    fps              REAL,
    video_codec      TEXT,
    audio_codec      TEXT,
    bitrate          INTEGER,
    orientation      TEXT,
    has_audio        INTEGER,
    valid            INTEGER,
    validation_error TEXT,
    missing          INTEGER NOT NULL DEFAULT 0,
    thumbnail_path   TEXT,
    reencode_job_id  TEXT,
    source_job_id    TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    probed_at        INTEGER
  );
  CREATE INDEX videos_directory ON videos(directory_type, created_at);
  CREATE INDEX videos_created   ON videos(created_at);
  `,
  /* 3: analysis results: scenes per video, chosen segments per job, tags per video */ `
  CREATE TABLE video_scenes (
    video_id      TEXT    NOT NULL,
    idx           INTEGER NOT NULL,
    start_s       REAL    NOT NULL,
    end_s         REAL    NOT NULL,
    score         REAL    NOT NULL,
    motion        REAL,
    keyframe_path TEXT,
    clip_path     TEXT,
    job_id        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (video_id, idx)
  ) WITHOUT ROWID;

  CREATE TABLE analysis_segments (
    job_id          TEXT    NOT NULL,
    idx             INTEGER NOT NULL,
    video_id        TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    start_s         REAL    NOT NULL,
    end_s           REAL    NOT NULL,
    score           REAL,
    output_video_id TEXT,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (job_id, idx)
  ) WITHOUT ROWID;
  CREATE INDEX analysis_segments_video ON analysis_segments(video_id, kind);

  CREATE TABLE video_tags (
    id         INTEGER PRIMARY KEY,
    video_id   TEXT    NOT NULL,
    tag        TEXT    NOT NULL,
    confidence REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    start_s    REAL,
    end_s      REAL,
    job_id     TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX video_tags_video ON video_tags(video_id, confidence);
  CREATE INDEX video_tags_tag   ON video_tags(tag, confidence);
  `,
  // who created each job (an API token's name, 'desktop'); older jobs say nothing
  `ALTER TABLE jobs ADD COLUMN created_by TEXT;`,
  // the start time of each recorded tool process (field 22 of /proc/<pid>/stat, clock ticks since
  // boot), so the orphan killer never kills a process that merely reuses the PID; and the partial
  // files each attempt is writing, so recovery removes exactly those of attempts that will not go on
  `ALTER TABLE job_processes ADD COLUMN start_ticks INTEGER;
  CREATE TABLE attempt_partials (
    job_id     TEXT    NOT NULL,
    attempt    INTEGER NOT NULL,
    path       TEXT    NOT NULL,
    node_id    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (job_id, attempt, path)
  ) WITHOUT ROWID;`,
  // when a user asked to cancel a running (or suspended) job: it shows as cancelling until its
  // attempt has ended (tool exited, partials removed), then cancelled; a rescue then cancels it too
  `ALTER TABLE jobs ADD COLUMN cancel_requested_at INTEGER;`,
  // settings shared by the runtime's services (watched folders …): JSON text under a key
  `CREATE TABLE IF NOT EXISTS app_settings (
    key        TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;`,
  // `suspended` becomes a status of its own (a running job whose process a pause stopped, its slot
  // and VRAM still held) instead of status paused plus the suspended flag; the count trigger moves
  // those jobs from paused to suspended. The flag column stays (dropping it rewrites the whole
  // table) but nothing reads or writes it any more.
  // And an index for the claim's read of what fits the free VRAM (sqlite-claim.ts): the waiting
  // jobs of the GPU categories by VRAM need, then rank, so a few probes find the best-ranked ones
  // that fit however many bigger ones rank above them.
  `UPDATE jobs SET status = 'suspended', suspended = 0 WHERE status = 'paused' AND suspended = 1;
  CREATE INDEX jobs_waiting_vram ON jobs(resource_category, vram_required, priority, seq)
    WHERE status IN ('pending', 'queued') AND resource_category IN ('gpu_encode', 'gpu_ai');`,
  // library transcoding (issue #17): schema-transcode.ts
  TRANSCODE_TABLES,
  // pipelines (issue #16): schema-pipelines.ts
  PIPELINE_TABLES,
  // per-GPU placement (#18): the GPU a job's attempt runs on
  `ALTER TABLE jobs ADD COLUMN gpu_index INTEGER;
  ALTER TABLE jobs ADD COLUMN gpu_uuid TEXT;`,
  // segmented encodes (#20): a parent waits, holding no slot, while children_pending > 0 (claims skip
  // it); a child reaching completed counts down in the same transaction, one that fails or is
  // cancelled for good releases the parent at once (its next run reports the chunk's failure)
  `ALTER TABLE jobs ADD COLUMN children_pending INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX jobs_segment_children ON jobs (parent_job_id, seq) WHERE type IN ('encode_chunk', 'encode_audio');
  CREATE TRIGGER jobs_segment_child_ended AFTER UPDATE OF status ON jobs
    WHEN new.type IN ('encode_chunk', 'encode_audio') AND new.parent_job_id IS NOT NULL
      AND new.status IN ('completed', 'failed', 'cancelled') AND old.status NOT IN ('completed', 'failed', 'cancelled')
  BEGIN
    UPDATE jobs SET
      children_pending = CASE WHEN new.status = 'completed' THEN max(children_pending - 1, 0) ELSE 0 END,
      waiting_reason = CASE WHEN new.status <> 'completed' THEN 'A part of its segmented encode ended ' || new.status || '; the job reports it'
        ELSE 'Encoding in parts: ' || (SELECT count(*) FROM jobs c WHERE c.parent_job_id = new.parent_job_id AND c.type IN ('encode_chunk', 'encode_audio') AND c.status = 'completed')
          || ' of ' || (SELECT count(*) FROM jobs c WHERE c.parent_job_id = new.parent_job_id AND c.type IN ('encode_chunk', 'encode_audio')) || ' done' END
    WHERE id = new.parent_job_id AND status IN ('pending', 'queued', 'running', 'suspended', 'paused');
  END;`,
  // the processing-time totals move into job_buckets (issue #15: each completion wrote a page of
  // processing_totals besides the page of job_buckets its count moves to; a durable commit at cpu
  // limit 1 wrote ~8 pages): a bucket's completed row also sums the processing time of the jobs that
  // reached completed in it (`timed` of them had both times), in the same upsert as its count. Bucket
  // -1 (type '', n 0) keeps the totals of buckets the cleaner emptied, and those carried over here,
  // so the average stays over every job ever completed.
  `ALTER TABLE job_buckets ADD COLUMN timed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE job_buckets ADD COLUMN timed_ms INTEGER NOT NULL DEFAULT 0;
  INSERT INTO job_buckets (bucket, type, status, resource_category, n, timed, timed_ms)
    SELECT -1, '', 'completed', '', 0, completed, total_ms FROM processing_totals WHERE id = 1 AND completed > 0;
  DROP TRIGGER jobs_count_completed;
  DROP TABLE processing_totals;
  DROP TRIGGER jobs_count_status;
  CREATE TRIGGER jobs_count_status AFTER UPDATE OF status ON jobs WHEN old.status <> new.status BEGIN
    UPDATE job_buckets SET n = n - 1 WHERE bucket = old.seq >> 12 AND type = old.type AND status = old.status;
    INSERT INTO job_buckets (bucket, type, status, resource_category, n, timed, timed_ms) VALUES (new.seq >> 12, new.type, new.status, new.resource_category, 1,
      CASE WHEN new.status = 'completed' AND new.started_at IS NOT NULL AND new.completed_at IS NOT NULL THEN 1 ELSE 0 END,
      CASE WHEN new.status = 'completed' THEN coalesce(new.completed_at - new.started_at, 0) ELSE 0 END)
      ON CONFLICT (bucket, type, status) DO UPDATE SET n = n + 1, timed = timed + excluded.timed, timed_ms = timed_ms + excluded.timed_ms;
  END;`,
  // the open transcode jobs of a video, by its id (transcode-rows.ts openTranscodesSql: the twin
  // check at each transcode's start reads it instead of every transcode ever kept)
  `CREATE INDEX jobs_open_transcodes ON jobs(json_extract(CASE WHEN json_valid(params) THEN params END, '$.videoId'), seq)
    WHERE type = 'transcode' AND status IN ('pending', 'queued', 'running', 'suspended', 'paused');`,
  // webhook tries (DeliveryStore, sqlite-delivery-store.ts): kept in the database so the list
  // survives a restart; the newest KEPT_DELIVERIES stay
  `CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      TEXT    NOT NULL,
    notification_id TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    attempt         INTEGER NOT NULL,
    at              INTEGER NOT NULL,
    outcome         TEXT    NOT NULL,
    http_status     INTEGER,
    error           TEXT,
    duration_ms     INTEGER NOT NULL,
    node_id         TEXT    NOT NULL
  );
  CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);`,
];

/** Jobs per bucket of job_buckets (seq >> BUCKET_SHIFT). */
export const BUCKET_SHIFT = 12;

/** Applies the migrations not yet applied, up to version `upTo` (all of them unless a test stops earlier). */
export function migrate(db: Database.Database, upTo = MIGRATIONS.length): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const current = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  if (current > MIGRATIONS.length) {
    throw new Error(`The database was written by a newer version of this program (schema ${current}, this build knows ${MIGRATIONS.length}).`);
  }
  MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= current || version > upTo) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
    })();
  });
}
