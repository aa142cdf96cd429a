-- agent-memory schema, version 1, PostgreSQL.
-- Timestamps are microseconds since the epoch (UTC). Paths use the "C" collation, which orders them by the bytes of
-- their UTF-8 encoding: the code point order every backend lists paths in, and the order range scans of the path
-- index need. Content is stored as its UTF-8 bytes (BYTEA) so that any text, NUL included, round-trips exactly; it
-- is kept uncompressed (STORAGE EXTERNAL) so that redaction maintenance can be verified byte for byte.

CREATE TABLE am_store (
    id                  TEXT   NOT NULL COLLATE "C" PRIMARY KEY,
    workspace_id        TEXT   NOT NULL,
    name                TEXT   NOT NULL,
    description         TEXT   NOT NULL,
    metadata            TEXT   NOT NULL,
    content_limit_bytes INTEGER,
    memory_limit        INTEGER,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    archived_at         BIGINT,
    seq                 BIGINT NOT NULL,
    memory_count        BIGINT NOT NULL
);

CREATE INDEX am_store_by_workspace ON am_store (workspace_id, id);

CREATE TABLE am_memory (
    store_id        TEXT   NOT NULL,
    id              TEXT   NOT NULL COLLATE "C",
    path            TEXT   NOT NULL COLLATE "C",
    content         BYTEA  NOT NULL,
    content_sha256  TEXT   NOT NULL,
    content_size    BIGINT NOT NULL,
    head_version_id TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (store_id, id)
);

ALTER TABLE am_memory ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE UNIQUE INDEX am_memory_by_path ON am_memory (store_id, path);

CREATE TABLE am_version (
    store_id         TEXT   NOT NULL,
    id               TEXT   NOT NULL COLLATE "C",
    memory_id        TEXT   NOT NULL COLLATE "C",
    operation        TEXT   NOT NULL,
    path             TEXT   COLLATE "C",
    content          BYTEA,
    content_sha256   TEXT,
    content_size     BIGINT,
    actor_type       TEXT   NOT NULL,
    actor_id         TEXT   NOT NULL,
    created_at       BIGINT NOT NULL,
    redacted_at      BIGINT,
    redacted_by_type TEXT,
    redacted_by_id   TEXT,
    PRIMARY KEY (store_id, id)
);

ALTER TABLE am_version ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX am_version_by_memory ON am_version (store_id, memory_id, id);
CREATE INDEX am_version_by_actor ON am_version (store_id, actor_type, actor_id, id);
CREATE INDEX am_version_by_operation ON am_version (store_id, operation, id);

CREATE TABLE am_session (
    id           TEXT   NOT NULL PRIMARY KEY,
    workspace_id TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    attachments  TEXT   NOT NULL
);
