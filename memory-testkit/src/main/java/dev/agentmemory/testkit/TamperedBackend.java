package dev.agentmemory.testkit;

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
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spi.StoreFilter;
import dev.agentmemory.spi.StoreRecord;
import dev.agentmemory.spi.VersionFilter;
import dev.agentmemory.spi.VersionSeal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A view of another backend whose hash chain reads come back changed, as if someone had edited the storage: what
 * the contract suite verifies against on backends whose files it cannot edit. Closing it leaves the other backend
 * open. Thread-safe if the edit is.
 */
final class TamperedBackend implements MemoryBackend {

    private final MemoryBackend real;
    private final UnaryOperator<List<ChainEntry>> edit;

    /**
     * Creates the view.
     *
     * @param real the backend whose storage is "edited"
     * @param edit changes every page of chain links read (the whole chain is read as one page if it is short)
     */
    TamperedBackend(MemoryBackend real, UnaryOperator<List<ChainEntry>> edit) {
        this.real = real;
        this.edit = edit;
    }

    @Override
    public List<ChainEntry> listChain(StoreId storeId, long fromPosition, long toPosition) {
        return edit.apply(new ArrayList<>(real.listChain(storeId, fromPosition, toPosition)));
    }

    @Override
    public List<ChainGap> listGaps(StoreId storeId) {
        return real.listGaps(storeId);
    }

    @Override
    public Optional<VersionSeal> findSeal(StoreId storeId, VersionId versionId) {
        return real.findSeal(storeId, versionId);
    }

    @Override
    public long countUnchained(StoreId storeId) {
        return real.countUnchained(storeId);
    }

    @Override
    public boolean createStore(StoreRecord store) {
        return real.createStore(store);
    }

    @Override
    public Optional<StoreRecord> findStore(StoreId storeId) {
        return real.findStore(storeId);
    }

    @Override
    public List<MemoryStore> listStores(WorkspaceId workspaceId, StoreFilter filter, Optional<StoreId> before,
            int limit) {
        return real.listStores(workspaceId, filter, before, limit);
    }

    @Override
    public boolean deleteStore(StoreId storeId) {
        return real.deleteStore(storeId);
    }

    @Override
    public Optional<Memory> findMemory(StoreId storeId, MemoryId memoryId) {
        return real.findMemory(storeId, memoryId);
    }

    @Override
    public Optional<Memory> findMemoryByPath(StoreId storeId, String path) {
        return real.findMemoryByPath(storeId, path);
    }

    @Override
    public List<Memory> scanMemories(StoreId storeId, String prefix, String fromInclusive, int limit,
            boolean withContent) {
        return real.scanMemories(storeId, prefix, fromInclusive, limit, withContent);
    }

    @Override
    public long countMemories(StoreId storeId) {
        return real.countMemories(storeId);
    }

    @Override
    public Optional<MemoryVersion> findVersion(StoreId storeId, VersionId versionId) {
        return real.findVersion(storeId, versionId);
    }

    @Override
    public List<MemoryVersion> listVersions(StoreId storeId, VersionFilter filter, Optional<VersionId> before,
            int limit, boolean withContent) {
        return real.listVersions(storeId, filter, before, limit, withContent);
    }

    @Override
    public boolean commit(Commit commit) {
        return real.commit(commit);
    }

    @Override
    public void createSession(SessionInfo session) {
        real.createSession(session);
    }

    @Override
    public Optional<SessionInfo> findSession(SessionId sessionId) {
        return real.findSession(sessionId);
    }

    @Override
    public List<SessionInfo> listSessions(WorkspaceId workspaceId, Optional<SessionId> after, int limit) {
        return real.listSessions(workspaceId, after, limit);
    }

    @Override
    public List<WorkspaceId> listWorkspaces() {
        return real.listWorkspaces();
    }

    @Override
    public List<Memory> scanMemoriesContaining(StoreId storeId, String prefix, String fromInclusive, int limit,
            ContentFilter filter) {
        return real.scanMemoriesContaining(storeId, prefix, fromInclusive, limit, filter);
    }

    @Override
    public boolean recordPolicyEvent(PolicyEvent event) {
        return real.recordPolicyEvent(event);
    }

    @Override
    public List<PolicyEvent> listPolicyEvents(StoreId storeId, Optional<String> before, int limit) {
        return real.listPolicyEvents(storeId, before, limit);
    }

    @Override
    public boolean addQuarantined(QuarantinedWrite write) {
        return real.addQuarantined(write);
    }

    @Override
    public Optional<QuarantinedWrite> findQuarantined(StoreId storeId, String id) {
        return real.findQuarantined(storeId, id);
    }

    @Override
    public List<QuarantinedWrite> listQuarantined(StoreId storeId, Optional<String> before, int limit) {
        return real.listQuarantined(storeId, before, limit);
    }

    @Override
    public boolean removeQuarantined(StoreId storeId, String id) {
        return real.removeQuarantined(storeId, id);
    }

    @Override
    public ErasureStatus erasureStatus() {
        return real.erasureStatus();
    }

    @Override
    public ErasureStatus awaitErasure(Duration timeout) {
        return real.awaitErasure(timeout);
    }

    @Override
    public void close() {
        // the real backend belongs to the test's own service
    }
}
