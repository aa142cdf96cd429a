-- agent-memory schema, version 2, PostgreSQL: content is stored once, in its version's row. A memory's row (its
-- head) names its head version and no longer holds a second copy of that version's content; reads of a head's
-- content join the two rows. Upgrades a version 1 database in place, in the migration's transaction.

-- A head's version always holds the head's content (a head cannot be redacted). Should a row break that rule, the
-- head's copy is kept in its version before the copy is dropped, so that no content is lost.
UPDATE am_version SET content = m.content FROM am_memory m
    WHERE am_version.content IS NULL AND am_version.redacted_at IS NULL
      AND m.store_id = am_version.store_id AND m.head_version_id = am_version.id;

-- DROP COLUMN would only hide the old copies: their bytes would stay in the table's files, out of reach of a later
-- redaction of those versions. The table is rebuilt instead, and the old one's files go with it.
CREATE TABLE am_memory_v2 (
    store_id        TEXT   NOT NULL,
    id              TEXT   NOT NULL COLLATE "C",
    path            TEXT   NOT NULL COLLATE "C",
    content_sha256  TEXT   NOT NULL,
    content_size    BIGINT NOT NULL,
    head_version_id TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

INSERT INTO am_memory_v2 (store_id, id, path, content_sha256, content_size, head_version_id, created_at, updated_at)
    SELECT store_id, id, path, content_sha256, content_size, head_version_id, created_at, updated_at FROM am_memory;

DROP TABLE am_memory;
ALTER TABLE am_memory_v2 RENAME TO am_memory;
ALTER TABLE am_memory ADD CONSTRAINT am_memory_pkey PRIMARY KEY (store_id, id);
CREATE UNIQUE INDEX am_memory_by_path ON am_memory (store_id, path);
