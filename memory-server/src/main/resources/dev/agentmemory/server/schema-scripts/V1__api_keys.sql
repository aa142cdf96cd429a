-- The server's API keys: each bound to one workspace, the secret kept only as a PBKDF2 hash.
CREATE TABLE agent_memory_server_api_keys (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    workspace_id VARCHAR(255) NOT NULL,
    name         VARCHAR(255) NOT NULL,
    algorithm    VARCHAR(64)  NOT NULL,
    iterations   INTEGER      NOT NULL,
    salt         VARCHAR(64)  NOT NULL,
    hash         VARCHAR(128) NOT NULL,
    created_at   BIGINT       NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX agent_memory_server_api_keys_ws ON agent_memory_server_api_keys (workspace_id);
