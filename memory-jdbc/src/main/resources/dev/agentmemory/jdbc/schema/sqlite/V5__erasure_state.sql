-- agent-memory schema, version 5, SQLite: where physical erasure stands, across processes.
-- Every commit that erases content (redaction, retention purge, store deletion) raises 'requested' in its own
-- transaction; the backend that finishes the physical part (VACUUM, then a checkpoint that truncates the
-- write-ahead log) sets 'done' to the 'requested' it read before it started. requested > done means erased bytes may
-- still be in the files: any process that opens the database finishes the erasure. Holds no content.

CREATE TABLE am_erasure (
    id        INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    requested INTEGER NOT NULL,
    done      INTEGER NOT NULL
);

INSERT INTO am_erasure (id, requested, done) VALUES (1, 0, 0);
