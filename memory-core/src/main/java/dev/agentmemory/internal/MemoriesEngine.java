package dev.agentmemory.internal;

import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.EditTarget;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.PutResult;
import dev.agentmemory.model.SearchMatch;
import dev.agentmemory.model.SearchQuery;
import dev.agentmemory.spi.ContentFilter;
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
import java.util.stream.Stream;

/**
 * The memories of one store for one actor and access mode: what {@code dev.agentmemory.Memories} does, without
 * knowing that interface (the API package wraps it). Thread-safe: it holds no mutable state.
 */
public final class MemoriesEngine {

    /** How many rows a depth-1 listing fetches at a time. */
    private static final int DEPTH_ONE_BATCH = 32;
    /** How many memories a search reads at a time. */
    private static final int SEARCH_BATCH = 32;

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

    public Memory create(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        return mutate("create", tx -> tx.create(path, content, actor)).memory().orElseThrow();
    }

    public Memory update(MemoryId memoryId, byte[] content) {
        Objects.requireNonNull(content, "content");
        return mutate("update", tx -> tx.update(memoryId, content, Optional.empty(), actor)).memory().orElseThrow();
    }

    public Memory update(MemoryId memoryId, byte[] content, String expectedContentSha256) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(expectedContentSha256, "expectedContentSha256");
        return mutate("update", tx -> tx.update(memoryId, content, Optional.of(expectedContentSha256), actor))
                .memory().orElseThrow();
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

    public ChangeResult edit(EditTarget target, UnaryOperator<byte[]> edit) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(edit, "edit");
        return mutate("update", tx -> tx.edit(target, edit, actor));
    }

    public void checkWrite(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        mutate("write", tx -> tx.checkWrite(path, content));
    }

    public void checkContent(byte[] content) {
        Objects.requireNonNull(content, "content");
        mutate("write", tx -> tx.checkContent(content));
    }

    public List<ChangeResult> deleteDirectory(String prefix) {
        return mutate("delete", tx -> tx.deleteDirectory(prefix, actor));
    }

    public PutResult put(String path, String content) {
        return mutate("put", tx -> tx.put(path, content, Optional.empty(), actor));
    }

    public PutResult put(String path, String content, String expectedContentSha256) {
        Objects.requireNonNull(expectedContentSha256, "expectedContentSha256");
        return mutate("put", tx -> tx.put(path, content, Optional.of(expectedContentSha256), actor));
    }

    public ChangeResult updateByPath(String path, MemoryUpdate update) {
        Objects.requireNonNull(update, "update");
        return mutate("update", tx -> tx.updateByPath(path, update, actor));
    }

    public ChangeResult deleteByPath(String path) {
        return mutate("delete", tx -> tx.deleteByPath(path, Optional.empty(), actor));
    }

    public ChangeResult deleteByPath(String path, String expectedContentSha256) {
        Objects.requireNonNull(expectedContentSha256, "expectedContentSha256");
        return mutate("delete", tx -> tx.deleteByPath(path, Optional.of(expectedContentSha256), actor));
    }

    public String normalizePath(String path) {
        return PathRules.normalize(path, svc.limits());
    }

    public void checkWritable() {
        // An early answer for a write made later (which checks again), so one read of the store is enough: no
        // transaction, no retry.
        if (access == Access.READ_ONLY) {
            mutate("write", tx -> null); // throws the read-only refusal
        }
        if (svc.store(workspaceId, storeId).store().isArchived()) {
            throw new ArchivedException(storeId, "write");
        }
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

    public Stream<SearchMatch> search(SearchQuery query) {
        Objects.requireNonNull(query, "query");
        ContentSearch search = ContentSearch.compile(query, svc.limits());
        checkStore();
        Optional<ContentFilter> filter = search.prefilter();
        int limit = search.limit();
        String prefix = search.prefix();
        Stream<SearchMatch> matches = PagedStream.ofBatches(new java.util.function.Supplier<List<SearchMatch>>() {
            private String from = prefix;
            private boolean exhausted;

            public List<SearchMatch> get() {
                if (exhausted) {
                    return null;
                }
                List<Memory> batch = filter.isPresent()
                        ? svc.backend().scanMemoriesContaining(storeId, prefix, from, SEARCH_BATCH, filter.get())
                        : svc.backend().scanMemories(storeId, prefix, from, SEARCH_BATCH, true);
                exhausted = batch.size() < SEARCH_BATCH;
                List<SearchMatch> out = new ArrayList<>();
                for (Memory m : batch) {
                    if (search.searches(m.path())) {
                        out.addAll(search.matches(m));
                    }
                    from = PathOrder.successor(m.path());
                }
                return out;
            }
        });
        return limit > 0 ? matches.limit(limit) : matches;
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
