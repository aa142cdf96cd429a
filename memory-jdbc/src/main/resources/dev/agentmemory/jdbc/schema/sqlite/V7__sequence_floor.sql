-- agent-memory schema, version 7, SQLite: a store's sequence never repeats across incarnations of its id.
-- A store created with the id of a deleted one (an import that keeps ids) starts at 'next_sequence' if that is
-- greater than the sequence it is given; deleting a store raises 'next_sequence' past the store's last sequence, in
-- the deletion's transaction. So a commit, or a service's memory of a store, made against the deleted store never
-- matches the new one. One row; holds no content. Stores deleted before this version left no floor: it starts at 0.

CREATE TABLE am_sequence_floor (
    id            INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    next_sequence INTEGER NOT NULL
);

INSERT INTO am_sequence_floor (id, next_sequence) VALUES (1, 0);
