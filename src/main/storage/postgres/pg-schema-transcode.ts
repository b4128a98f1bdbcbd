/**
 * Library transcoding (issue #17): the savings ledger (every transcode and re-encode; totals are
 * computed from it, never stored), content fingerprints and the settings applied to or tried on
 * each content (the loop breaker), the swap journal of replaces and restores in progress (one per
 * video), quarantined originals and each video's replace/restore history
 *
 * A migration of the PostgreSQL store (pg-migrations.ts applies them in order): never edit it
 * once released; add a new one.
 */
export const PG_TRANSCODE_TABLES = `CREATE TABLE media_ledger (
    id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         bigint  NOT NULL,
    job_id     text,
    job_type   text    NOT NULL,
    video_id   text,
    folder     text    NOT NULL,
    node_id    text    NOT NULL,
    gpu        text,
    encoder    text,
    mode       text,
    codec_in   text,
    codec_out  text,
    bytes_in   bigint  NOT NULL,
    bytes_out  bigint,
    wall_ms    bigint  NOT NULL,
    outcome    text    NOT NULL,
    reason     text,
    checks     text    NOT NULL
  );
  CREATE INDEX media_ledger_job ON media_ledger (job_id, id);
  CREATE TABLE video_fingerprints (
    video_id    text   PRIMARY KEY,
    size_bytes  bigint NOT NULL,
    mtime_ms    bigint NOT NULL,
    fingerprint text   NOT NULL
  );
  CREATE TABLE content_marks (
    fingerprint  text   NOT NULL,
    settings_key text   NOT NULL,
    job_id       text   NOT NULL,
    outcome      text   NOT NULL,
    at           bigint NOT NULL,
    PRIMARY KEY (fingerprint, settings_key)
  );
  CREATE TABLE swap_journal (
    video_id          text    PRIMARY KEY,
    kind              text    NOT NULL,
    job_id            text,
    attempt           integer,
    node_id           text    NOT NULL,
    original_path     text    NOT NULL,
    final_path        text    NOT NULL,
    quarantine_path   text    NOT NULL,
    incoming_path     text    NOT NULL,
    original_identity text    NOT NULL,
    incoming_identity text    NOT NULL,
    payload           text    NOT NULL,
    created_at        bigint  NOT NULL
  );
  CREATE TABLE quarantine (
    id              text   PRIMARY KEY,
    video_id        text   NOT NULL,
    job_id          text,
    original_path   text   NOT NULL,
    quarantine_path text   NOT NULL,
    replaced_path   text   NOT NULL,
    size_bytes      bigint NOT NULL,
    video_codec     text,
    metadata        text,
    identity        text   NOT NULL,
    quarantined_at  bigint NOT NULL,
    expires_at      bigint NOT NULL,
    restored_at     bigint
  );
  CREATE INDEX quarantine_video   ON quarantine (video_id, quarantined_at);
  CREATE INDEX quarantine_expires ON quarantine (expires_at);
  CREATE TABLE video_history (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    video_id            text   NOT NULL,
    action              text   NOT NULL,
    job_id              text,
    at                  bigint NOT NULL,
    previous_path       text   NOT NULL,
    previous_codec      text,
    previous_size_bytes bigint,
    new_path            text   NOT NULL,
    new_codec           text,
    new_size_bytes      bigint
  );
  CREATE INDEX video_history_video ON video_history (video_id, id);`;
