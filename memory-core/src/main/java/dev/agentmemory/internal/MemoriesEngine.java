package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.PathOrder;
import dev.agentmemory.spi.VersionFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The memories of one store for one actor and access mode: what {@code dev.agentmemory.Memories} does, without
 * knowing that interface (the API package wraps it). Thread-safe: it holds no mutable state.
 */
public final class MemoriesEngine {

    /** How many rows a depth-1 listing fetches at a time. */
    private static final int DEPTH_ONE_BATCH = 32;

    private final MemoryService svc;
    private final WorkspaceId workspaceId;
    private final StoreId storeId;
    private final Actor actor;
    private final Access access;
    private final String where;

    MemoriesEngine(MemoryService svc, WorkspaceId workspaceId, StoreId storeId, Actor actor, Access access,
            String where) {
        this.svc = svc;
        this.workspaceId = workspaceId;
        this.storeId = storeId;
        this.actor = actor;
        this.access = access;
        this.where = where;
    }

    public StoreId storeId() {
        return storeId;
    }

    public Actor actor() {
        return actor;
    }

    public Access access() {
        return access;
    }

    public MemoryStore store() {
        return svc.store(workspaceId, storeId).store();
    }

    public long revision() {
        return svc.store(workspaceId, storeId).sequence();
    }

    @Override
    public String toString() {
        return "Memories{" + storeId + " " + access.wireName() + " as " + actor + " " + where + "}";
    }

    private <T> T mutate(String what, MemoryService.Body<T> body) {
        if (access == Access.READ_ONLY) {
            throw new ReadOnlyException(what + " refused: " + where + " is attached read-only; this session may"
                    + " read store " + storeId + " but not change it");
        }
        return svc.write(workspaceId, storeId, what, true, body);
    }

    // ---------------------------------------------------------------- writes

    public Memory create(String path, String content) {
        return mutate("create", tx -> tx.create(path, content, actor)).memory().orElseThrow();
    }

    public Memory update(MemoryId memoryId, MemoryUpdate update) {
        return mutate("update", tx -> tx.update(memoryId, update, actor)).memory().orElseThrow();
    }

    public void delete(MemoryId memoryId) {
        mutate("delete", tx -> tx.delete(memoryId, Optional.empty(), actor));
    }

    public void delete(MemoryId memoryId, String expectedContentSha256) {
        mutate("delete", tx -> tx.delete(memoryId, Optional.of(expectedContentSha256), actor));
    }

    public List<Memory> move(String fromPrefix, String toPrefix) {
        return mutate("move", tx -> tx.move(fromPrefix, toPrefix, actor));
    }

    public List<ChangeResult> apply(Batch batch) {
        if (batch.changes().isEmpty()) {
            throw new InvalidArgumentException("batch.empty", "a batch needs at least one change");
        }
        return mutate("batch", tx -> batch.changes().stream().map(c -> tx.apply(c, actor)).toList());
    }

    public ChangeResult apply(Change change) {
        return mutate(kind(change), tx -> tx.apply(change, actor));
    }

    public ChangeResult edit(String path, UnaryOperator<String> edit) {
        Objects.requireNonNull(edit, "edit");
        return mutate("update", tx -> tx.edit(path, edit, actor));
    }

    public List<ChangeResult> deleteDirectory(String prefix) {
        return mutate("delete", tx -> tx.deleteDirectory(prefix, actor));
    }

    public String normalizePath(String path) {
        return PathRules.normalize(path, svc.limits());
    }

    public void checkWritable() {
        mutate("write", tx -> null);
    }

    public void checkWritable(MemoryId memoryId, String expectedContentSha256) {
        mutate("write", tx -> tx.checkPrecondition(memoryId, expectedContentSha256));
    }

    private static String kind(Change change) {
        Objects.requireNonNull(change, "change");
        return change instanceof Change.Create ? "create" : change instanceof Change.Update ? "update" : "delete";
    }

    // ---------------------------------------------------------------- reads

    private void checkStore() {
        svc.store(workspaceId, storeId);
    }

    public Memory get(MemoryId memoryId) {
        return svc.backend().findMemory(storeId, memoryId).orElseThrow(() -> {
            checkStore();
            return new NotFoundException("memory " + memoryId + " does not exist in store " + storeId
                    + " (it may have been deleted); list the store to find current memories");
        });
    }

    public Memory getByPath(String path) {
        String p = PathRules.normalize(path, svc.limits());
        return findNormalized(p).orElseThrow(() -> new NotFoundException("no memory at " + IdRules.printable(p)
                + " in store " + storeId + "; list the store to see which paths exist"));
    }

    public Optional<Memory> findByPath(String path) {
        return findNormalized(PathRules.normalize(path, svc.limits()));
    }

    private Optional<Memory> findNormalized(String path) {
        Optional<Memory> m = svc.backend().findMemoryByPath(storeId, path);
        if (m.isEmpty()) {
            checkStore();
        }
        return m;
    }

    public Page<ListEntry> list(ListQuery q) {
        String prefix = PathRules.normalizePrefix(q.pathPrefix(), svc.limits());
        if (q.depth() != 0 && q.depth() != 1) {
            throw new InvalidArgumentException("list.depth",
                    "depth " + q.depth() + " is not supported: use 0 for the whole subtree or 1 for children only");
        }
        int limit = Pages.checkLimit(q.limit());
        String fingerprint = "memories|" + storeId + "|" + prefix + "|" + q.depth();
        Optional<String> after = q.cursor().map(c -> Cursors.decode(fingerprint, c));
        checkStore();
        String from = after.map(k -> k.endsWith("/") ? PathOrder.prefixEnd(k) : PathOrder.successor(k)).orElse(prefix);
        List<ListEntry> entries = new ArrayList<>();
        boolean exhausted = false;
        while (entries.size() <= limit && !exhausted) {
            int want = limit + 1 - entries.size();
            if (q.depth() == 1) {
                // Rows inside a subdirectory are skipped, not used: fetch a little at a time, so that a directory of
                // many files costs at most one small batch before the scan jumps past it.
                want = Math.min(want, DEPTH_ONE_BATCH);
            }
            List<Memory> batch = svc.backend().scanMemories(storeId, prefix, from, want, q.includeContent());
            exhausted = batch.size() < want;
            String skipping = null;
            for (Memory m : batch) {
                if (skipping != null && m.path().startsWith(skipping)) {
                    continue;
                }
                String rest = m.path().substring(prefix.length());
                int slash = rest.indexOf('/');
                if (q.depth() == 1 && slash >= 0) {
                    skipping = prefix + rest.substring(0, slash + 1);
                    entries.add(new MemoryPrefix(skipping));
                    from = PathOrder.prefixEnd(skipping);
                } else {
                    entries.add(q.includeContent() ? m : m.withoutContent());
                    from = PathOrder.successor(m.path());
                }
                if (entries.size() > limit) {
                    break;
                }
            }
        }
        return Pages.page(entries, limit, e -> Cursors.encode(fingerprint, e.path()));
    }

    public Page<MemoryVersion> versions(VersionQuery q) {
        int limit = Pages.checkLimit(q.limit());
        VersionFilter filter = new VersionFilter(q.memoryId(), q.actor(), q.operation(), q.createdAtOrAfter(),
                q.createdAtOrBefore());
        String fingerprint = "versions|" + storeId + "|" + filter;
        Optional<VersionId> before = q.cursor().map(c -> VersionId.of(Cursors.decode(fingerprint, c)));
        checkStore();
        List<MemoryVersion> found = svc.backend().listVersions(storeId, filter, before, limit + 1,
                q.includeContent());
        List<MemoryVersion> items = q.includeContent() ? found
                : found.stream().map(MemoryVersion::withoutContent).toList();
        return Pages.page(items, limit, v -> Cursors.encode(fingerprint, v.id().value()));
    }

    public MemoryVersion version(VersionId versionId) {
        return svc.backend().findVersion(storeId, versionId).orElseThrow(() -> {
            checkStore();
            return new NotFoundException("version " + versionId + " does not exist in store " + storeId
                    + " (it may have been removed by retention); list the store's versions to find it");
        });
    }
}
