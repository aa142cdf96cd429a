package dev.agentmemory.server;

import java.util.Objects;

/**
 * A key just created, with its secret: the value a client sends as {@code x-api-key}. The server keeps only a slow hash
 * of it, so this is the only time it can be shown.
 *
 * @param key the key's record
 * @param secret the secret, {@code amk_...}
 */
public record NewApiKey(ApiKey key, String secret) {

    /** Checks that both fields are present. */
    public NewApiKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "NewApiKey[key=" + key + ", secret=<hidden>]";
    }
}
