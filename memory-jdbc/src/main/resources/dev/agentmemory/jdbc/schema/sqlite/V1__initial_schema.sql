-- agent-memory schema, version 1, SQLite.
-- Timestamps are microseconds since the epoch (UTC). Paths are TEXT compared with BINARY collation, which is the
-- byte order of their UTF-8 encoding: the code point order every backend lists paths in. Content is stored as its
-- UTF-8 bytes (BLOB), so that any text, NUL included, round-trips exactly.

CREATE TABLE am_store (
    id                  TEXT    NOT NULL PRIMARY KEY,
    workspace_id        TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    description         TEXT    NOT NULL,
    metadata            TEXT    NOT NULL,
    content_limit_bytes INTEGER,
    memory_limit        INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    archived_at         INTEGER,
    seq                 INTEGER NOT NULL,
    memory_count        INTEGER NOT NULL
);

CREATE INDEX am_store_by_workspace ON am_store (workspace_id, id);

CREATE TABLE am_memory (
    store_id        TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    content         BLOB    NOT NULL,
    content_sha256  TEXT    NOT NULL,
    content_size    INTEGER NOT NULL,
    head_version_id TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (store_id, id)
);

CREATE UNIQUE INDEX am_memory_by_path ON am_memory (store_id, path);

CREATE TABLE am_version (
    store_id         TEXT    NOT NULL,
    id               TEXT    NOT NULL,
    memory_id        TEXT    NOT NULL,
    operation        TEXT    NOT NULL,
    path             TEXT,
    content          BLOB,
    content_sha256   TEXT,
    content_size     INTEGER,
    actor_type       TEXT    NOT NULL,
    actor_id         TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    redacted_at      INTEGER,
    redacted_by_type TEXT,
    redacted_by_id   TEXT,
    PRIMARY KEY (store_id, id)
);

CREATE INDEX am_version_by_memory ON am_version (store_id, memory_id, id);
CREATE INDEX am_version_by_actor ON am_version (store_id, actor_type, actor_id, id);
CREATE INDEX am_version_by_operation ON am_version (store_id, operation, id);

CREATE TABLE am_session (
    id           TEXT    NOT NULL PRIMARY KEY,
    workspace_id TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    attachments  TEXT    NOT NULL
);
