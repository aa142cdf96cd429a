-- agent-memory schema, version 2, SQLite: content is stored once, in its version's row. A memory's row (its head)
-- names its head version and no longer holds a second copy of that version's content; reads of a head's content
-- join the two rows. Upgrades a version 1 database in place, in the migration's transaction.

-- A head's version always holds the head's content (a head cannot be redacted). Should a row break that rule, the
-- head's copy is kept in its version before the copy is dropped, so that no content is lost.
UPDATE am_version SET content = (SELECT m.content FROM am_memory m
        WHERE m.store_id = am_version.store_id AND m.head_version_id = am_version.id)
    WHERE content IS NULL AND redacted_at IS NULL
      AND (store_id, id) IN (SELECT store_id, head_version_id FROM am_memory);

-- SQLite rewrites the table without the column; with secure_delete on, the pages it frees are zeroed.
ALTER TABLE am_memory DROP COLUMN content;
