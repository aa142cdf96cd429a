-- agent-memory schema, version 5, PostgreSQL: where physical erasure stands, across processes.
-- Every commit that erases content (redaction, retention purge, store deletion) raises 'requested' in its own
-- transaction; the backend that finishes the physical part (VACUUM FULL of the library's tables once no older
-- transaction can see the erased rows) sets 'done' to the 'requested' it read before it started. requested > done
-- means erased bytes may still be in the table files: any process that opens the database finishes the erasure.
-- Holds no content.

CREATE TABLE am_erasure (
    id        INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    requested BIGINT  NOT NULL,
    done      BIGINT  NOT NULL
);

INSERT INTO am_erasure (id, requested, done) VALUES (1, 0, 0);
