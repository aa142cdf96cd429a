-- Requests granted to each API key in each one-second window, shared by every server on the database so that a key's
-- rate limit holds across instances. Servers lease tokens from the row of the current window in small chunks and
-- delete windows older than a minute.
CREATE TABLE agent_memory_server_rate_windows (
    key_id       VARCHAR(64) NOT NULL,
    window_start BIGINT      NOT NULL,
    granted      BIGINT      NOT NULL,
    PRIMARY KEY (key_id, window_start)
);
