package dev.agentmemory.jdbc.internal;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.jdbc.OpenMode;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.ChainEntry;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.ContentFilter;
import dev.agentmemory.spi.RetryPolicy;
import dev.agentmemory.spi.StoreFilter;
import dev.agentmemory.spi.StoreRecord;
import dev.agentmemory.spi.VersionFilter;
import dev.agentmemory.spi.VersionSeal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC backend: opens the database (refusing one that is not ours, migrating or verifying the schema, finishing
 * erasure another process left unfinished), and answers each SPI call with the part that does that work: store
 * rows, memory reads, version reads, chain reads, the commit writer, policy records, sessions. The parts share one
 * {@link Transactions} runner and one set of {@link ReadCaches}; an erasing write asks the {@link ErasureFinisher}.
 * After {@link #close()} every call fails. Thread-safe.
 */
public final class SqlBackend implements JdbcBackend {

    /** Named after the public type, which users configure logging by. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcBackend.class);
    /** How often an idle backend checks the database for erasure that another process left unfinished. */
    private static final Duration ERASURE_POLL = Duration.ofSeconds(30);

    private final AutoCloseable ownedDataSource;
    private final Dialect dialect;
    private final Duration retryBudget;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ErasureFinisher erasure;
    private final StoreRows stores;
    private final MemoryReads memories;
    private final VersionReads versions;
    private final ChainReads chain;
    private final CommitWriter commits;
    private final PolicyRecords policies;
    private final Sessions sessions;

    /**
     * Opens the backend, migrating or checking the schema as {@code s.mode()} says.
     *
     * @param s the settings
     */
    public SqlBackend(BackendSettings s) {
        DataSource dataSource = s.dataSource();
        this.ownedDataSource = s.closeDataSource() && dataSource instanceof AutoCloseable ac ? ac : null;
        this.dialect = s.dialect();
        this.retryBudget = s.retryBudget();
        Optional<ChangeCounter> counter;
        Optional<Path> sqliteFile;
        try {
            if (s.mode() != OpenMode.CREATE) {
                // Before anything is written beside or into the database (the change counter's side file, the
                // history table): a database that is not ours is refused untouched.
                new Migrator(new Transactions(dataSource, dialect, RetryPolicy.transientFailures(s.retryBudget()),
                        Optional.empty()))
                        .requireHistory(s.describe());
                if (dialect == Dialect.SQLITE && s.mode() == OpenMode.EXISTING) {
                    useWal(dataSource); // ours: a copy restored with VACUUM INTO comes back in rollback mode
                }
            }
            sqliteFile = dialect == Dialect.SQLITE ? sqliteFile(dataSource) : Optional.empty();
            counter = sqliteFile.map(ChangeCounter::beside);
        } catch (RuntimeException e) {
            closeDataSource();
            throw e;
        }
        Transactions tx = new Transactions(dataSource, dialect, RetryPolicy.transientFailures(s.retryBudget()),
                counter, sqliteFile.map(FileWriteLocks::of));
        ReadCaches caches = ReadCaches.create(counter, s.cacheBytes());
        Runnable afterErase = this::requestErasure;
        this.stores = new StoreRows(tx, caches, afterErase);
        this.memories = new MemoryReads(tx, caches);
        this.versions = new VersionReads(tx, caches.contents());
        this.chain = new ChainReads(tx);
        this.commits = new CommitWriter(tx, caches, afterErase);
        this.policies = new PolicyRecords(tx, afterErase);
        this.sessions = new Sessions(tx);
        PhysicalErasure physical = new PhysicalErasure(tx);
        try {
            Migrator migrator = new Migrator(tx);
            if (s.mode() == OpenMode.VALIDATE) {
                migrator.verify();
            } else {
                migrator.migrate();
            }
            boolean unfinished = physical.unfinishedElsewhere();
            this.erasure = new ErasureFinisher(s.describe(), physical, physical.doneDetail(), s.clock(),
                    ErasureBackoff.DEFAULT, ERASURE_POLL);
            if (unfinished) {
                LOG.info("{} records erasure that was not finished (its bytes may still be in storage); finishing it",
                        s.describe());
                erasure.request();
            }
        } catch (RuntimeException e) {
            closeDataSource();
            throw e;
        }
    }

    private void requestErasure() {
        erasure.request();
    }

    private static void useWal(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
            rs.next();
        } catch (SQLException e) {
            throw new StorageException("cannot switch the SQLite database to WAL: " + e.getMessage(), e);
        }
    }

    /** The file of a SQLite data source's main database; empty for an in-memory or temporary one. */
    private static Optional<Path> sqliteFile(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                String file = rs.getString("file");
                if ("main".equals(rs.getString("name")) && file != null && !file.isEmpty()) {
                    return Optional.of(Path.of(file));
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new StorageException("cannot open the SQLite database: " + e.getMessage(), e);
        }
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void compact() {
        checkOpen();
        // the finisher does the work on both databases (a rebuild and checkpoint; a VACUUM FULL once no older
        // transaction is open), so there is one erasure procedure, asked for now and waited for
        erasure.request();
        ErasureStatus status = erasure.await(retryBudget);
        if (!status.isDone()) {
            throw new StorageException("cannot compact yet: " + status.detail() + "; end that, then call compact()"
                    + " again, or let the background finisher complete it", null);
        }
    }

    @Override
    public ErasureStatus erasureStatus() {
        checkOpen();
        return erasure.status();
    }

    @Override
    public ErasureStatus awaitErasure(Duration timeout) {
        checkOpen();
        return erasure.await(timeout);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StorageException("this JDBC backend is closed", null);
        }
    }

    @Override
    public boolean createStore(StoreRecord store) {
        checkOpen();
        return stores.create(store);
    }

    @Override
    public Optional<StoreRecord> findStore(StoreId storeId) {
        checkOpen();
        return stores.find(storeId);
    }

    @Override
    public List<MemoryStore> listStores(WorkspaceId ws, StoreFilter filter, Optional<StoreId> before, int limit) {
        checkOpen();
        return stores.list(ws, filter, before, limit);
    }

    @Override
    public boolean deleteStore(StoreId storeId) {
        checkOpen();
        return stores.delete(storeId);
    }

    @Override
    public Optional<Memory> findMemory(StoreId storeId, MemoryId memoryId) {
        checkOpen();
        return memories.find(storeId, memoryId);
    }

    @Override
    public Optional<Memory> findMemoryByPath(StoreId storeId, String path) {
        checkOpen();
        return memories.findByPath(storeId, path);
    }

    @Override
    public List<Memory> scanMemories(StoreId storeId, String prefix, String from, int limit, boolean withContent) {
        checkOpen();
        return memories.scan(storeId, prefix, from, limit, withContent);
    }

    @Override
    public List<Memory> scanMemoriesContaining(StoreId storeId, String prefix, String from, int limit,
            ContentFilter filter) {
        checkOpen();
        return memories.scanContaining(storeId, prefix, from, limit, filter);
    }

    @Override
    public long countMemories(StoreId storeId) {
        checkOpen();
        return memories.count(storeId);
    }

    @Override
    public Optional<MemoryVersion> findVersion(StoreId storeId, VersionId versionId) {
        checkOpen();
        return versions.find(storeId, versionId);
    }

    @Override
    public List<MemoryVersion> listVersions(
            StoreId storeId, VersionFilter filter, Optional<VersionId> before, int limit, boolean withContent) {
        checkOpen();
        return versions.list(storeId, filter, before, limit, withContent);
    }

    @Override
    public List<ChainEntry> listChain(StoreId storeId, long fromPosition, long toPosition) {
        checkOpen();
        return chain.list(storeId, fromPosition, toPosition);
    }

    @Override
    public List<ChainGap> listGaps(StoreId storeId) {
        checkOpen();
        return chain.gaps(storeId);
    }

    @Override
    public Optional<VersionSeal> findSeal(StoreId storeId, VersionId versionId) {
        checkOpen();
        return chain.seal(storeId, versionId);
    }

    @Override
    public long countUnchained(StoreId storeId) {
        checkOpen();
        return chain.countUnchained(storeId);
    }

    @Override
    public boolean commit(Commit commit) {
        checkOpen();
        return commits.commit(commit);
    }

    /** @return how many commits were written as members of a group of commits so far (for tests and diagnostics) */
    long groupedCommits() {
        return commits.groupedCommits();
    }

    @Override
    public boolean recordPolicyEvent(PolicyEvent event) {
        checkOpen();
        return policies.recordEvent(event);
    }

    @Override
    public List<PolicyEvent> listPolicyEvents(StoreId storeId, Optional<String> before, int limit) {
        checkOpen();
        return policies.events(storeId, before, limit);
    }

    @Override
    public boolean addQuarantined(QuarantinedWrite write) {
        checkOpen();
        return policies.hold(write);
    }

    @Override
    public Optional<QuarantinedWrite> findQuarantined(StoreId storeId, String id) {
        checkOpen();
        return policies.held(storeId, id);
    }

    @Override
    public List<QuarantinedWrite> listQuarantined(StoreId storeId, Optional<String> before, int limit) {
        checkOpen();
        return policies.heldWrites(storeId, before, limit);
    }

    @Override
    public boolean removeQuarantined(StoreId storeId, String id) {
        checkOpen();
        return policies.discard(storeId, id);
    }

    @Override
    public void createSession(SessionInfo session) {
        checkOpen();
        sessions.create(session);
    }

    @Override
    public Optional<SessionInfo> findSession(SessionId sessionId) {
        checkOpen();
        return sessions.find(sessionId);
    }

    @Override
    public List<SessionInfo> listSessions(WorkspaceId workspaceId, Optional<SessionId> after, int limit) {
        checkOpen();
        return sessions.list(workspaceId, after, limit);
    }

    @Override
    public List<WorkspaceId> listWorkspaces() {
        checkOpen();
        return sessions.workspaces();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            commits.close(); // commits queued for a group fail; a group being written ends with the database
            erasure.close();
            closeDataSource();
        }
    }

    private void closeDataSource() {
        if (ownedDataSource != null) {
            try {
                ownedDataSource.close();
            } catch (Exception e) {
                LOG.warn("closing the data source failed: {}", e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcBackend{" + dialect + "}";
    }
}
