-- agent-memory schema, version 4, SQLite: write policies.
-- Upgrades any database made by the earlier scripts; it only adds a nullable column and two tables.

-- The rule ids (comma-separated) whose matches a write policy replaced with markers before the version was stored;
-- NULL when no policy changed the content.
ALTER TABLE am_version ADD COLUMN policy_redactions TEXT;

-- Writes a policy refused or held for review: who, where, which policy and rule, when. Never the content.
CREATE TABLE am_policy_event (
    store_id   TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    actor_type TEXT    NOT NULL,
    actor_id   TEXT    NOT NULL,
    outcome    TEXT    NOT NULL,
    policy     TEXT    NOT NULL,
    rule       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (store_id, id)
);

-- Writes held for an operator's review, invisible to sessions. changes is the held changes as JSON (UTF-8 bytes),
-- with any redactions already applied.
CREATE TABLE am_quarantine (
    store_id   TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    actor_type TEXT    NOT NULL,
    actor_id   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    policy     TEXT    NOT NULL,
    rule       TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    changes    BLOB    NOT NULL,
    PRIMARY KEY (store_id, id)
);
