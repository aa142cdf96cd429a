-- agent-memory schema, version 6, PostgreSQL: fewer index entries per version.
-- Every index entry a version has is a page its commit dirties and logs. The index of redaction
-- positions served only the chain's reads of redaction links, yet held an entry (a NULL) for every version; it now
-- holds only redacted versions, which the chain's reads of a range of positions (redaction_pos BETWEEN ...) still use.
-- Upgrades any database made by the earlier scripts; nothing but the index changes.

DROP INDEX am_version_by_redaction;
CREATE INDEX am_version_by_redaction ON am_version (store_id, redaction_pos) WHERE redaction_pos IS NOT NULL;
