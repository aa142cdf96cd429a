package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.WorkspaceId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remembered key checks: a key revoked through the same keys is refused at once; one revoked by another process
 * (here: a second database object on the same file, with its own memory of checks) is refused once the recheck
 * interval has passed, and not before; a wrong secret with a real key's id is never taken from memory.
 */
class ApiKeysRecheckTest {

    @TempDir
    Path dir;

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aKeyRevokedElsewhereIsRefusedOnceTheIntervalHasPassed() {
        try (ServerDatabase here = ServerDatabase.sqlite(dir.resolve("m.db"));
                ServerDatabase elsewhere = ServerDatabase.sqlite(dir.resolve("m.db"))) {
            ApiKeys keys = here.apiKeys().recheckingEvery(Duration.ofSeconds(1), nanos::get);
            NewApiKey k = here.apiKeys().create(WorkspaceId.of("acme"), "k");
            assertThat(keys.authenticate(k.secret())).map(ApiKey::id).contains(k.key().id());

            elsewhere.apiKeys().revoke(k.key().id());
            nanos.addAndGet(Duration.ofMillis(999).toNanos());
            assertThat(keys.authenticate(k.secret())).as("still trusted within the interval").isPresent();
            nanos.addAndGet(Duration.ofMillis(1).toNanos());
            assertThat(keys.authenticate(k.secret())).as("refused once the interval has passed").isEmpty();
            nanos.addAndGet(Duration.ofHours(1).toNanos());
            assertThat(keys.authenticate(k.secret())).isEmpty();
        }
    }

    @Test
    void aKeyRevokedThroughTheSameKeysIsRefusedAtOnce() {
        try (ServerDatabase db = ServerDatabase.sqlite(dir.resolve("m.db"))) {
            ApiKeys serving = db.apiKeys().recheckingEvery(Duration.ofMinutes(10), nanos::get);
            NewApiKey k = db.apiKeys().create(WorkspaceId.of("acme"), "k");
            assertThat(serving.authenticate(k.secret())).isPresent();
            db.apiKeys().revoke(k.key().id());
            assertThat(serving.authenticate(k.secret())).isEmpty();
        }
    }

    @Test
    void aZeroIntervalReadsTheRowOnEveryCheck() {
        try (ServerDatabase here = ServerDatabase.sqlite(dir.resolve("m.db"));
                ServerDatabase elsewhere = ServerDatabase.sqlite(dir.resolve("m.db"))) {
            ApiKeys keys = here.apiKeys().recheckingEvery(Duration.ZERO, nanos::get);
            NewApiKey k = here.apiKeys().create(WorkspaceId.of("acme"), "k");
            assertThat(keys.authenticate(k.secret())).isPresent();
            elsewhere.apiKeys().revoke(k.key().id());
            assertThat(keys.authenticate(k.secret())).isEmpty();
        }
    }

    @Test
    void aWrongSecretForARememberedKeyIsRefused() {
        try (ServerDatabase db = ServerDatabase.sqlite(dir.resolve("m.db"))) {
            ApiKeys keys = db.apiKeys().recheckingEvery(Duration.ofMinutes(10), nanos::get);
            NewApiKey k = db.apiKeys().create(WorkspaceId.of("acme"), "k");
            assertThat(keys.authenticate(k.secret())).isPresent();
            String secret = k.secret();
            char last = secret.charAt(secret.length() - 1);
            String wrong = secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A');
            assertThat(keys.authenticate(wrong)).isEmpty();
            assertThat(keys.authenticate(secret)).isPresent();
        }
    }
}
