/**
 * Library transcoding (issue #17): the savings ledger (every transcode and re-encode; totals are
 * computed from it, never stored), content fingerprints and the settings applied to or tried on
 * each content (the loop breaker), the swap journal of replaces and restores in progress (one per
 * video), quarantined originals and each video's replace/restore history
 *
 * A migration of the SQLite store (migrations.ts applies them in order): never edit it once
 * released; add a new one.
 */
export const TRANSCODE_TABLES = `CREATE TABLE media_ledger (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    job_id     TEXT,
    job_type   TEXT    NOT NULL,
    video_id   TEXT,
    folder     TEXT    NOT NULL,
    node_id    TEXT    NOT NULL,
    gpu        TEXT,
    encoder    TEXT,
    mode       TEXT,
    codec_in   TEXT,
    codec_out  TEXT,
    bytes_in   INTEGER NOT NULL,
    bytes_out  INTEGER,
    wall_ms    INTEGER NOT NULL,
    outcome    TEXT    NOT NULL,
    reason     TEXT,
    checks     TEXT    NOT NULL
  );
  CREATE INDEX media_ledger_job ON media_ledger(job_id, id);
  CREATE TABLE video_fingerprints (
    video_id    TEXT    PRIMARY KEY,
    size_bytes  INTEGER NOT NULL,
    mtime_ms    INTEGER NOT NULL,
    fingerprint TEXT    NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE content_marks (
    fingerprint  TEXT    NOT NULL,
    settings_key TEXT    NOT NULL,
    job_id       TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (fingerprint, settings_key)
  ) WITHOUT ROWID;
  CREATE TABLE swap_journal (
    video_id          TEXT    PRIMARY KEY,
    kind              TEXT    NOT NULL,
    job_id            TEXT,
    attempt           INTEGER,
    node_id           TEXT    NOT NULL,
    original_path     TEXT    NOT NULL,
    final_path        TEXT    NOT NULL,
    quarantine_path   TEXT    NOT NULL,
    incoming_path     TEXT    NOT NULL,
    original_identity TEXT    NOT NULL,
    incoming_identity TEXT    NOT NULL,
    payload           TEXT    NOT NULL,
    created_at        INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE quarantine (
    id              TEXT    PRIMARY KEY,
    video_id        TEXT    NOT NULL,
    job_id          TEXT,
    original_path   TEXT    NOT NULL,
    quarantine_path TEXT    NOT NULL,
    replaced_path   TEXT    NOT NULL,
    size_bytes      INTEGER NOT NULL,
    video_codec     TEXT,
    metadata        TEXT,
    identity        TEXT    NOT NULL,
    quarantined_at  INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    restored_at     INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX quarantine_video   ON quarantine(video_id, quarantined_at);
  CREATE INDEX quarantine_expires ON quarantine(expires_at);
  CREATE TABLE video_history (
    id                  INTEGER PRIMARY KEY,
    video_id            TEXT    NOT NULL,
    action              TEXT    NOT NULL,
    job_id              TEXT,
    at                  INTEGER NOT NULL,
    previous_path       TEXT    NOT NULL,
    previous_codec      TEXT,
    previous_size_bytes INTEGER,
    new_path            TEXT    NOT NULL,
    new_codec           TEXT,
    new_size_bytes      INTEGER
  );
  CREATE INDEX video_history_video ON video_history(video_id, id);`;
