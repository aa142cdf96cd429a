package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.ChainReport.Problem;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.policy.SecretScanner;
import dev.agentmemory.policy.WritePolicyChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verifiable history against real storage edits: the history is written through the library, the backend closed, the
 * rows edited with the database's own command-line client ({@code sqlite3} on the SQLite file, {@code psql} on the
 * PostgreSQL schema), and the store verified by a fresh backend. Every edit is found at the right version; honest
 * redactions and purges still verify.
 */
class ChainTamperTest {

    private static final Pattern PG_URL =
            Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)\\?(?:.*&)?user=([^&]+).*currentSchema=(\\w+)");

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A database of one dialect, opened by the library and edited by its command-line client. */
    private final class Db {
        final String dialect;
        final String location;
        Instant now = Instant.parse("2026-01-05T10:00:00Z");

        Db(String dialect) {
            this.dialect = dialect;
            if (dialect.equals("sqlite")) {
                SqliteFixture fixture = new SqliteFixture();
                cleanup.add(fixture::close);
                location = fixture.nextFile().toString();
            } else {
                PostgresFixture fixture = new PostgresFixture();
                cleanup.add(fixture::close);
                location = fixture.newSchemaUrl();
            }
        }

        AgentMemory open() {
            JdbcBackend backend = dialect.equals("sqlite") ? JdbcBackend.sqlite(Path.of(location))
                    : JdbcBackend.postgres(location, "postgres", "");
            return AgentMemory.builder().backend(backend).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
        }

        /** Runs SQL with the dialect's command-line client, as an attacker with access to the storage would. */
        void edit(String sql) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            if (dialect.equals("sqlite")) {
                cmd.addAll(List.of(tool("sqlite3"), "-bail", location, sql));
            } else {
                Matcher m = PG_URL.matcher(location);
                assertThat(m.matches()).as("test URL " + location).isTrue();
                cmd.addAll(List.of(tool("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-h", m.group(1), "-p", m.group(2),
                        "-U", m.group(4), "-d", m.group(3), "-c", "SET search_path TO " + m.group(5) + "; " + sql));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(cmd.get(0) + " said: " + out).isZero();
        }

        String blob(String text) {
            return dialect.equals("sqlite") ? "CAST('" + text + "' AS BLOB)" : "convert_to('" + text + "', 'UTF8')";
        }
    }

    /** Finds a client on the PATH or in PostgreSQL's bin directory; a missing one fails the test. */
    private static String tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        String pgBin = System.getenv("PG_TEST_BIN");
        if (pgBin != null) {
            dirs.add(pgBin);
        }
        try (var pg = Files.list(Path.of("/usr/lib/postgresql"))) {
            pg.forEach(d -> dirs.add(d.resolve("bin").toString()));
        } catch (IOException e) {
            // no PostgreSQL installed under /usr/lib
        }
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail(name + " is not installed; these tests edit the database with it (CI installs it)");
    }

    /** Three versions of one memory, oldest first, written and the backend closed. */
    private record History(StoreId store, List<VersionId> versions) {
    }

    private History write(Db db) {
        try (AgentMemory memory = db.open()) {
            var ws = memory.workspace("ws_chain");
            StoreId store = ws.stores().create(NewStore.named("audited").build()).id();
            Memories m = ws.memories(store, Actor.apiKey("key_agent"));
            Memory a = m.create("/notes/a.md", "first");
            VersionId v2 = m.update(a.id(), MemoryUpdate.content("second")).headVersionId();
            VersionId v3 = m.update(a.id(), MemoryUpdate.content("third")).headVersionId();
            m.create("/notes/b.md", "other");
            assertThat(ws.stores().verify(store).intact()).isTrue();
            return new History(store, List.of(a.headVersionId(), v2, v3));
        }
    }

    /**
     * A version whose content the default secret scanner redacted before storing it (policy redactions
     * {@code github-token}) and one it left alone, written and the backend closed.
     */
    private record PolicyHistory(StoreId store, VersionId redacted, VersionId clean) {
    }

    private PolicyHistory writeWithPolicies(Db db) {
        JdbcBackend backend = db.dialect.equals("sqlite") ? JdbcBackend.sqlite(Path.of(db.location))
                : JdbcBackend.postgres(db.location, "postgres", "");
        try (AgentMemory memory = AgentMemory.builder().backend(backend).clock(Clock.fixed(db.now, ZoneOffset.UTC))
                .writePolicies(WritePolicyChain.of(SecretScanner.defaults())).build()) {
            var ws = memory.workspace("ws_chain");
            StoreId store = ws.stores().create(NewStore.named("audited").build()).id();
            Memories m = ws.memories(store, Actor.apiKey("key_agent"));
            Memory secret = m.create("/notes/deploy.md", "deploy with ghp_Xq7Lm2Np4Rs6Tv8Wy0Za1Bc3De5Fg7Hj9Kk2\n");
            Memory clean = m.create("/notes/plain.md", "nothing secret\n");
            assertThat(m.version(secret.headVersionId()).policyRedactions()).containsExactly("github-token");
            ChainReport r = ws.stores().verify(store);
            assertThat(r.broken()).isEmpty();
            assertThat(r.versionLinksV1()).isZero();
            return new PolicyHistory(store, secret.headVersionId(), clean.headVersionId());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void removedPolicyRedactionsAreFound(String dialect) throws Exception {
        Db db = new Db(dialect);
        PolicyHistory h = writeWithPolicies(db);
        db.edit("UPDATE am_version SET policy_redactions = NULL WHERE id = " + id(h.redacted()));
        assertBroken(verify(db, h.store()), h.redacted(), Problem.METADATA);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void changedPolicyRedactionsAreFound(String dialect) throws Exception {
        Db db = new Db(dialect);
        PolicyHistory h = writeWithPolicies(db);
        db.edit("UPDATE am_version SET policy_redactions = 'jwt' WHERE id = " + id(h.redacted()));
        assertBroken(verify(db, h.store()), h.redacted(), Problem.METADATA);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void addedPolicyRedactionsAreFound(String dialect) throws Exception {
        Db db = new Db(dialect);
        PolicyHistory h = writeWithPolicies(db);
        // a clean version made to look as if a policy had redacted it
        db.edit("UPDATE am_version SET policy_redactions = 'github-token' WHERE id = " + id(h.clean()));
        assertBroken(verify(db, h.store()), h.clean(), Problem.METADATA);
    }

    private static ChainReport verify(Db db, StoreId store) {
        try (AgentMemory memory = db.open()) {
            return memory.workspace("ws_chain").stores().verify(store);
        }
    }

    private static void assertBroken(ChainReport r, VersionId id, Problem problem) {
        assertThat(r.intact()).as("the tampered chain verified").isFalse();
        ChainReport.BrokenLink b = r.broken().orElseThrow();
        assertThat(b.problem()).as(b.detail()).isEqualTo(problem);
        assertThat(b.versionId()).as(b.detail()).contains(id);
    }

    private static String id(VersionId v) {
        return "'" + v.value() + "'";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void changedContentIsFoundAtItsVersion(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        db.edit("UPDATE am_version SET content = " + db.blob("SECOND") + " WHERE id = " + id(h.versions().get(1)));
        assertBroken(verify(db, h.store()), h.versions().get(1), Problem.CONTENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void changedContentWithAMatchingHashIsFoundToo(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        // the attacker also fixes the recorded SHA-256 and size; the salted leaf still differs
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("SECOND".getBytes(StandardCharsets.UTF_8)));
        db.edit("UPDATE am_version SET content = " + db.blob("SECOND") + ", content_sha256 = '" + sha
                + "', content_size = 6 WHERE id = " + id(h.versions().get(1)));
        assertBroken(verify(db, h.store()), h.versions().get(1), Problem.CONTENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aChangedCurrentMemoryIsFoundAtItsHeadVersion(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        // a head's content is its version's row: the current memory's own row holds its recorded hash
        db.edit("UPDATE am_memory SET content_sha256 = '" + "0".repeat(64) + "' WHERE head_version_id = "
                + id(h.versions().get(2)));
        assertBroken(verify(db, h.store()), h.versions().get(2), Problem.CONTENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aChangedActorIsFoundAtItsVersion(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        db.edit("UPDATE am_version SET actor_id = 'key_mallory' WHERE id = " + id(h.versions().get(1)));
        assertBroken(verify(db, h.store()), h.versions().get(1), Problem.METADATA);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aChangedTimeIsFoundAtItsVersion(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        db.edit("UPDATE am_version SET created_at = created_at - 3600000000 WHERE id = " + id(h.versions().get(2)));
        assertBroken(verify(db, h.store()), h.versions().get(2), Problem.METADATA);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDeletedVersionIsFoundAtItsPosition(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        db.edit("DELETE FROM am_version WHERE id = " + id(h.versions().get(1)));
        ChainReport r = verify(db, h.store());
        assertBroken(r, h.versions().get(2), Problem.MISSING);
        assertThat(r.broken().orElseThrow().position()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void reorderedVersionsAreFound(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        db.edit("UPDATE am_version SET chain_pos = CASE id WHEN " + id(h.versions().get(1)) + " THEN 3 ELSE 2 END"
                + " WHERE id IN (" + id(h.versions().get(1)) + ", " + id(h.versions().get(2)) + ")");
        assertBroken(verify(db, h.store()), h.versions().get(2), Problem.REORDERED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aForgedRedactionIsFound(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        db.edit("UPDATE am_version SET content = NULL, content_sha256 = NULL, content_size = NULL, path = NULL,"
                + " chain_salt = NULL, redacted_at = created_at, redacted_by_type = 'user_actor',"
                + " redacted_by_id = 'mallory' WHERE id = " + id(h.versions().get(0)));
        assertBroken(verify(db, h.store()), h.versions().get(0), Problem.FORGED_REDACTION);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aChangedRedactorIsFound(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        try (AgentMemory memory = db.open()) {
            memory.workspace("ws_chain").stores().redact(h.store(), h.versions().get(0), Actor.user("admin"));
        }
        assertThat(verify(db, h.store()).intact()).isTrue();
        db.edit("UPDATE am_version SET redacted_by_id = 'someone_else' WHERE id = " + id(h.versions().get(0)));
        assertBroken(verify(db, h.store()), h.versions().get(0), Problem.FORGED_REDACTION);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anHonestRedactionAndAnHonestPurgeStillVerify(String dialect) throws Exception {
        Db db = new Db(dialect);
        History h = write(db);
        try (AgentMemory memory = db.open()) {
            var stores = memory.workspace("ws_chain").stores();
            stores.redact(h.store(), h.versions().get(1), Actor.user("admin"));
            Memories m = memory.workspace("ws_chain").memories(h.store(), Actor.apiKey("key_agent"));
            Memory gone = m.create("/gone.md", "soon gone");
            m.delete(gone.id());
        }
        db.now = db.now.plus(Duration.ofDays(40));
        try (AgentMemory memory = db.open()) {
            var stores = memory.workspace("ws_chain").stores();
            assertThat(stores.purge(h.store(), new RetentionPolicy(Duration.ofDays(30), 1)).versionsRemoved())
                    .isPositive();
        }
        ChainReport r = verify(db, h.store());
        assertThat(r.broken()).isEmpty();
        assertThat(r.gapsSpanned()).isPositive();
        // and the gap records are on the chain: deleting one breaks it
        db.edit("DELETE FROM am_chain_gap WHERE pos = (SELECT MIN(pos) FROM am_chain_gap)");
        assertThat(verify(db, h.store()).intact()).isFalse();
    }
}
