package dev.agentmemory.internal;

import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spi.VersionFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A retention purge of one store. It walks the versions newest first, counting each memory's versions as it goes,
 * and removes those older than the window unless they belong to a live memory and are its head or among its most
 * recent {@code keepPerLiveMemory}. Removals are committed in chunks, each as its own write, so a purge never holds
 * up writers for long; concurrent writes only make it keep more than it could have (new versions are newer than all
 * it has seen, and a head never moves back to an old version).
 */
final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final int PAGE = 1000;
    private static final int CHUNK = 500;

    private final MemoryService svc;
    private final WorkspaceId workspaceId;
    private final StoreId storeId;
    private final RetentionPolicy policy;
    private final ProgressListener progress;

    Retention(MemoryService svc, WorkspaceId workspaceId, StoreId storeId, RetentionPolicy policy,
            ProgressListener progress) {
        this.svc = svc;
        this.workspaceId = workspaceId;
        this.storeId = storeId;
        this.policy = policy;
        this.progress = progress;
    }

    PurgeResult run() {
        if (svc.store(workspaceId, storeId).store().isArchived()) {
            throw new ArchivedException(storeId, "retention purge");
        }
        MemoryBackend backend = svc.backend();
        Instant cutoff = svc.now().minus(policy.window());
        Map<MemoryId, Integer> seen = new HashMap<>();
        Map<MemoryId, Optional<VersionId>> heads = new HashMap<>();
        List<VersionId> pending = new ArrayList<>();
        long examined = 0;
        long removed = 0;
        Optional<VersionId> before = Optional.empty();
        while (true) {
            List<MemoryVersion> page = backend.listVersions(storeId, VersionFilter.ALL, before, PAGE, false);
            for (MemoryVersion v : page) {
                examined++;
                int rank = seen.merge(v.memoryId(), 1, Integer::sum) - 1;
                if (!v.createdAt().isBefore(cutoff)) {
                    continue;
                }
                Optional<VersionId> head = heads.computeIfAbsent(v.memoryId(),
                        id -> backend.findMemory(storeId, id).map(Memory::headVersionId));
                boolean keep = head.isPresent() && (rank < policy.keepPerLiveMemory() || head.get().equals(v.id()));
                if (!keep) {
                    pending.add(v.id());
                }
            }
            while (pending.size() >= CHUNK) {
                removed += flush(pending.subList(0, CHUNK));
            }
            progress.progress("versions", examined, -1);
            if (page.size() < PAGE) {
                break;
            }
            before = Optional.of(page.get(page.size() - 1).id());
        }
        removed += flush(pending);
        progress.progress("versions", examined, examined);
        LOG.debug("purge of store {}: examined {}, removed {}", storeId, examined, removed);
        return new PurgeResult(examined, removed,
                svc.awaitErasure(removed == 0 ? java.time.Duration.ZERO : dev.agentmemory.model.ErasureStatus.CALLER_WAIT));
    }

    /** Commits the removal of some versions as one write and clears them from the list. */
    private int flush(List<VersionId> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        List<VersionId> chunk = List.copyOf(ids);
        svc.write(workspaceId, storeId, "retention purge", true, tx -> {
            chunk.forEach(tx::removeVersion);
            return null;
        });
        ids.clear();
        return chunk.size();
    }
}
