package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.WorkspaceId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.sqlite.SQLiteDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remembered key checks: a key revoked through the same keys is refused at once; one revoked by another process
 * (here: a second database object on the same file, with its own memory of checks) is refused once the recheck
 * interval has passed, and not before; a wrong secret with a real key's id is never taken from memory; requests
 * arriving together with one secret whose check is due read the key's row once, not once each; a check whose key is
 * revoked through the same keys while it runs is not remembered.
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

    @Test
    void requestsArrivingTogetherWhenTheCheckIsDueReadTheKeyOnce() throws Exception {
        Path file = dir.resolve("m.db");
        NewApiKey k;
        try (ServerDatabase db = ServerDatabase.sqlite(file)) {   // creates the schema and the key
            k = db.apiKeys().create(WorkspaceId.of("acme"), "k");
        }
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + file);
        AtomicInteger reads = new AtomicInteger();
        // the real database, counting the connections the checks take
        DataSource counting = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        reads.incrementAndGet();
                        Connection c = sqlite.getConnection();
                        Thread.sleep(20); // a busy pool's wait: long enough for the others to arrive meanwhile
                        return c;
                    }
                    return method.invoke(sqlite, args);
                });
        ApiKeys keys = new ApiKeys(counting, Clock.systemUTC()).recheckingEvery(Duration.ofSeconds(1), nanos::get);
        assertThat(keys.authenticate(k.secret())).isPresent();
        assertThat(reads.get()).isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(2).toNanos()); // the remembered check is now due
        int clients = 32;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<ApiKey>>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return keys.authenticate(k.secret());
                }));
            }
            start.countDown();
            for (Future<Optional<ApiKey>> a : answers) {
                assertThat(a.get(30, TimeUnit.SECONDS)).map(ApiKey::id).contains(k.key().id());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads.get()).as("one read of the key's row for all %d requests", clients).isEqualTo(2);

        // and a revocation elsewhere is still seen by the next check that is due
        try (ServerDatabase elsewhere = ServerDatabase.sqlite(file)) {
            elsewhere.apiKeys().revoke(k.key().id());
        }
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(keys.authenticate(k.secret())).isEmpty();
    }

    @Test
    void secretsThatNeverVerifyLeaveNothingBehind() {
        try (ServerDatabase db = ServerDatabase.sqlite(dir.resolve("m.db"))) {
            ApiKeys keys = db.apiKeys().recheckingEvery(Duration.ofSeconds(1), nanos::get);
            NewApiKey k = db.apiKeys().create(WorkspaceId.of("acme"), "k");
            String real = k.secret(); // "amk_" + a 20-character key id + "_" + the secret part
            String prefix = ApiKeys.SECRET_PREFIX;
            for (int i = 0; i < 500; i++) {
                // a wrong secret for the real key id, and a well-formed secret of a key id that does not exist
                String wrongSecret = real.substring(0, real.length() - 6) + String.format("%06d", i);
                String unknownId = prefix + String.format("nokey%015d", i) + real.substring(prefix.length() + 20);
                assertThat(keys.authenticate(wrongSecret)).isEmpty();
                assertThat(keys.authenticate(unknownId)).isEmpty();
            }
            assertThat(keys.checksInFlight()).as("no lock kept for a secret that never verified").isZero();
            assertThat(keys.authenticate(real)).isPresent();
            assertThat(keys.checksInFlight()).isZero();
        }
    }

    @Test
    void aCheckInFlightWhileItsKeyIsRevokedIsNotRemembered() {
        Path file = dir.resolve("m.db");
        NewApiKey k;
        try (ServerDatabase db = ServerDatabase.sqlite(file)) {   // creates the schema and the key
            k = db.apiKeys().create(WorkspaceId.of("acme"), "k");
        }
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + file);
        AtomicReference<Runnable> afterKeyRead = new AtomicReference<>(() -> { });
        // the real database; right after the check's read of the key's row, the armed action runs (a revocation)
        DataSource hooked = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        return method.invoke(sqlite, args);
                    }
                    Connection c = sqlite.getConnection();
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (cp, cm, cargs) -> {
                                Object r = invoke(cm, c, cargs);
                                if (!cm.getName().equals("prepareStatement")
                                        || !((String) cargs[0]).contains(" hash")) {
                                    return r;
                                }
                                PreparedStatement ps = (PreparedStatement) r;
                                return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                                        new Class<?>[] {PreparedStatement.class}, (sp, sm, sargs) -> {
                                            Object out = invoke(sm, ps, sargs);
                                            if (sm.getName().equals("executeQuery")) {
                                                afterKeyRead.getAndSet(() -> { }).run();
                                            }
                                            return out;
                                        });
                            });
                });
        ApiKeys keys = new ApiKeys(hooked, Clock.systemUTC()).recheckingEvery(Duration.ofMinutes(10), nanos::get);
        afterKeyRead.set(() -> keys.revoke(k.key().id()));

        // the check read the row while the key was valid; the revocation landed before the check remembered it
        assertThat(keys.authenticate(k.secret())).as("the check that raced the revocation").isEmpty();
        assertThat(keys.authenticate(k.secret())).as("nothing remembered: refused at once").isEmpty();
        assertThat(keys.find(k.key().id())).map(ApiKey::isRevoked).contains(true);
    }

    private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
