-- agent-memory schema, version 3, PostgreSQL: the per-store hash chain (verifiable history).
-- The store keeps the chain's head next to its sequence. Each version keeps its link (position, hash), its leaf (the
-- hash of its salted path and content) and its salt, which redaction erases with the content. A redacted version also
-- keeps its redaction's link. A purge records each run of links it removed as a gap record, itself a link.
-- Versions written before this script have no link (chain_pos NULL): they are "unchained", counted by verification
-- and outside what it proves. Stores start their chain empty (length 0, 32 zero bytes) at their next write.

ALTER TABLE am_store ADD COLUMN chain_length BIGINT NOT NULL DEFAULT 0;
ALTER TABLE am_store ADD COLUMN chain_head TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';

ALTER TABLE am_version ADD COLUMN chain_pos BIGINT;
ALTER TABLE am_version ADD COLUMN chain_hash TEXT;
ALTER TABLE am_version ADD COLUMN chain_leaf TEXT;
ALTER TABLE am_version ADD COLUMN chain_salt TEXT;
ALTER TABLE am_version ADD COLUMN redaction_pos BIGINT;
ALTER TABLE am_version ADD COLUMN redaction_hash TEXT;

CREATE INDEX am_version_by_chain ON am_version (store_id, chain_pos);
CREATE INDEX am_version_by_redaction ON am_version (store_id, redaction_pos);

CREATE TABLE am_chain_gap (
    store_id   TEXT   NOT NULL,
    pos        BIGINT NOT NULL,
    gap_end    BIGINT NOT NULL,
    gap_hash   TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    hash       TEXT   NOT NULL,
    PRIMARY KEY (store_id, pos)
);
