package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.ChainCheckpoint;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.RedactionReport;
import dev.agentmemory.model.RetentionSummary;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.StoreFilter;
import dev.agentmemory.spi.StoreRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores of one workspace: create, list, update, archive, delete, redact, purge, export and import. The API
 * package wraps it as {@code dev.agentmemory.StoreAdmin}. Thread-safe: it holds no mutable state.
 */
public final class StoreAdminEngine {

    private static final Logger LOG = LoggerFactory.getLogger(StoreAdminEngine.class);

    private final MemoryService svc;
    private final WorkspaceId workspaceId;

    StoreAdminEngine(MemoryService svc, WorkspaceId workspaceId) {
        this.svc = svc;
        this.workspaceId = workspaceId;
    }

    public MemoryStore create(NewStore spec) {
        Objects.requireNonNull(spec, "spec");
        StoreRules.checkName(spec.name(), svc.limits());
        StoreRules.checkDescription(spec.description(), svc.limits());
        StoreRules.checkMetadata(spec.metadata(), svc.limits());
        StoreRules.checkLimits(spec.contentLimitBytes(), spec.memoryLimit());
        var now = svc.now();
        MemoryStore store = new MemoryStore(new StoreId(svc.ids().next(StoreId.PREFIX)), workspaceId, spec.name(),
                spec.description(), spec.metadata(), spec.contentLimitBytes(), spec.memoryLimit(), now, now,
                Optional.empty());
        if (!svc.backend().createStore(new StoreRecord(store, 0))) {
            throw new StorageException("store id " + store.id() + " was already taken; retry", null);
        }
        LOG.debug("created store {} in workspace {}", store.id(), workspaceId);
        return store;
    }

    public MemoryStore get(StoreId storeId) {
        return svc.store(workspaceId, storeId).store();
    }

    public Page<MemoryStore> list(StoreQuery q) {
        int limit = Pages.checkLimit(q.limit());
        StoreFilter filter = new StoreFilter(q.includeArchived(), q.createdAtOrAfter(), q.createdAtOrBefore(),
                q.name(), q.metadata());
        String fingerprint = "stores|" + workspaceId + "|" + filter;
        Optional<StoreId> before = q.cursor().map(c -> StoreId.of(Cursors.decode(fingerprint, c)));
        // The backend filters; checking again here means a backend that ignored a condition can never hand out a
        // store that does not pass it (a lookup by owner must not return someone else's store).
        List<MemoryStore> found = svc.backend().listStores(workspaceId, filter, before, limit + 1).stream()
                .filter(filter::accepts).toList();
        return Pages.page(found, limit, s -> Cursors.encode(fingerprint, s.id().value()));
    }

    public MemoryStore update(StoreId storeId, StoreUpdate update) {
        Objects.requireNonNull(update, "update");
        update.name().ifPresent(n -> StoreRules.checkName(n, svc.limits()));
        update.description().ifPresent(d -> StoreRules.checkDescription(d, svc.limits()));
        StoreRules.checkLimits(update.contentLimitBytes(), update.memoryLimit());
        return svc.write(workspaceId, storeId, "store update", true, tx -> {
            MemoryStore cur = tx.store();
            Map<String, String> metadata = new LinkedHashMap<>(cur.metadata());
            update.metadataPatch().forEach((k, v) -> {
                if (v.isPresent()) {
                    metadata.put(k, v.get());
                } else {
                    metadata.remove(k);
                }
            });
            StoreRules.checkMetadata(metadata, svc.limits());
            OptionalInt contentLimit = update.contentLimitBytes().isPresent() ? update.contentLimitBytes()
                    : cur.contentLimitBytes();
            OptionalInt memoryLimit = update.memoryLimit().isPresent() ? update.memoryLimit() : cur.memoryLimit();
            MemoryStore next = new MemoryStore(cur.id(), cur.workspaceId(), update.name().orElse(cur.name()),
                    update.description().orElse(cur.description()), metadata, contentLimit, memoryLimit,
                    cur.createdAt(), cur.updatedAt(), cur.archivedAt());
            if (next.equals(cur)) {
                return cur;
            }
            MemoryStore stamped = stamped(next, tx.now(), next.archivedAt());
            tx.setStore(stamped);
            return stamped;
        });
    }

    public MemoryStore archive(StoreId storeId) {
        return svc.write(workspaceId, storeId, "archive", false, tx -> {
            MemoryStore cur = tx.store();
            if (cur.isArchived()) {
                return cur;
            }
            MemoryStore archived = stamped(cur, tx.now(), Optional.of(tx.now()));
            tx.setStore(archived);
            return archived;
        });
    }

    /** The store as changed at {@code now}: the same fields, a new updated-at and the given archived-at. */
    private static MemoryStore stamped(MemoryStore s, Instant now, Optional<Instant> archivedAt) {
        return new MemoryStore(s.id(), s.workspaceId(), s.name(), s.description(), s.metadata(),
                s.contentLimitBytes(), s.memoryLimit(), s.createdAt(), now, archivedAt);
    }

    public ErasureStatus delete(StoreId storeId) {
        svc.store(workspaceId, storeId);
        if (!svc.backend().deleteStore(storeId)) {
            throw MemoryService.storeNotFound(workspaceId, storeId);
        }
        LOG.debug("deleted store {} of workspace {}", storeId, workspaceId);
        return svc.awaitErasure(ErasureStatus.CALLER_WAIT);
    }

    public RedactionReport redact(StoreId storeId, VersionId versionId, Actor redactedBy) {
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(redactedBy, "redactedBy");
        MemoryVersion redacted = svc.write(workspaceId, storeId, "redaction", true, tx -> {
            MemoryVersion v = svc.backend().findVersion(storeId, versionId).orElseThrow(() ->
                    new dev.agentmemory.error.NotFoundException("version " + versionId + " does not exist in store "
                            + storeId + "; list the store's versions to find it"));
            if (v.isRedacted()) {
                return v;
            }
            Optional<Memory> live = tx.byId(v.memoryId());
            if (live.isPresent() && live.get().headVersionId().equals(versionId)) {
                throw new InvalidArgumentException("redact.head", "version " + versionId + " is the head of live"
                        + " memory " + v.memoryId() + " and cannot be redacted; write a new version of the memory"
                        + " or delete it first, then redact this version");
            }
            MemoryVersion erased = v.redacted(redactedBy, tx.now());
            tx.replaceVersion(erased);
            return erased;
        });
        return new RedactionReport(redacted, svc.awaitErasure(ErasureStatus.CALLER_WAIT));
    }

    public ErasureStatus erasureStatus() {
        return svc.awaitErasure(Duration.ZERO);
    }

    public ErasureStatus awaitErasure(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new InvalidArgumentException("timeout", "the erasure wait cannot be negative: " + timeout);
        }
        return svc.awaitErasure(timeout);
    }

    public PurgeResult purge(StoreId storeId, ProgressListener progress) {
        return purge(storeId, svc.limits().retention(), progress);
    }

    public PurgeResult purge(StoreId storeId, RetentionPolicy policy, ProgressListener progress) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(progress, "progress");
        return new Retention(svc, workspaceId, storeId, policy, progress).run();
    }

    public RetentionSummary purgeAll(RetentionPolicy policy, ProgressListener progress) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(progress, "progress");
        List<StoreId> ids = new java.util.ArrayList<>();
        Optional<StoreId> before = Optional.empty();
        while (true) {
            List<MemoryStore> page = svc.backend().listStores(workspaceId,
                    new StoreFilter(true, Optional.empty(), Optional.empty()), before, 200);
            page.forEach(s -> ids.add(s.id()));
            if (page.size() < 200) {
                break;
            }
            before = Optional.of(page.get(page.size() - 1).id());
        }
        RetentionSummary sum = RetentionSummary.EMPTY;
        int done = 0;
        progress.progress("stores", 0, ids.size());
        for (StoreId id : ids) {
            Optional<StoreRecord> rec = svc.backend().findStore(id);
            if (rec.isEmpty()) {
                sum = sum.plus(RetentionSummary.EMPTY); // deleted meanwhile: nothing to keep or remove
            } else if (rec.get().store().isArchived()) {
                sum = sum.plus(new RetentionSummary(0, 1, 0, 0));
            } else {
                try {
                    PurgeResult r = new Retention(svc, workspaceId, id, policy, progress).run();
                    sum = sum.plus(new RetentionSummary(1, 0, r.versionsExamined(), r.versionsRemoved()));
                } catch (dev.agentmemory.model.ArchivedException e) {
                    sum = sum.plus(new RetentionSummary(0, 1, 0, 0)); // archived meanwhile
                } catch (dev.agentmemory.error.NotFoundException e) {
                    LOG.debug("store {} was deleted while retention ran", id);
                }
            }
            progress.progress("stores", ++done, ids.size());
        }
        return sum;
    }

    public TransferSummary exportStore(StoreId storeId, OutputStream out, ProgressListener progress) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(progress, "progress");
        return new JsonLines(svc, workspaceId).export(storeId, out, progress);
    }

    public TransferSummary importStore(InputStream in, ProgressListener progress) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(progress, "progress");
        return new JsonLines(svc, workspaceId).importStore(in, progress);
    }

    public Page<PolicyEvent> policyEvents(StoreId storeId, Optional<String> cursor, int limit) {
        Objects.requireNonNull(cursor, "cursor");
        Pages.checkLimit(limit);
        svc.store(workspaceId, storeId);
        String fingerprint = "policy-events|" + storeId;
        Optional<String> before = cursor.map(c -> Cursors.decode(fingerprint, c));
        return Pages.page(svc.backend().listPolicyEvents(storeId, before, limit + 1), limit,
                e -> Cursors.encode(fingerprint, e.id()));
    }

    public Page<QuarantinedWrite> quarantined(StoreId storeId, Optional<String> cursor, int limit) {
        Objects.requireNonNull(cursor, "cursor");
        Pages.checkLimit(limit);
        svc.store(workspaceId, storeId);
        String fingerprint = "quarantined|" + storeId;
        Optional<String> before = cursor.map(c -> Cursors.decode(fingerprint, c));
        return Pages.page(svc.backend().listQuarantined(storeId, before, limit + 1), limit,
                w -> Cursors.encode(fingerprint, w.id()));
    }

    public QuarantinedWrite quarantinedWrite(StoreId storeId, String quarantineId) {
        Objects.requireNonNull(quarantineId, "quarantineId");
        svc.store(workspaceId, storeId);
        return svc.backend().findQuarantined(storeId, quarantineId)
                .orElseThrow(() -> quarantineNotFound(storeId, quarantineId));
    }

    public List<ChangeResult> releaseQuarantined(StoreId storeId, String quarantineId) {
        Objects.requireNonNull(quarantineId, "quarantineId");
        return svc.write(workspaceId, storeId, "release", true, tx -> {
            QuarantinedWrite w = svc.backend().findQuarantined(storeId, quarantineId)
                    .orElseThrow(() -> quarantineNotFound(storeId, quarantineId));
            PolicyGate.releasing(tx, w);
            List<ChangeResult> out = new java.util.ArrayList<>();
            for (QuarantinedWrite.HeldChange h : w.changes()) {
                out.add(tx.apply(h.change(), w.actor()));
            }
            return List.copyOf(out);
        });
    }

    public void discardQuarantined(StoreId storeId, String quarantineId) {
        Objects.requireNonNull(quarantineId, "quarantineId");
        svc.store(workspaceId, storeId);
        if (!svc.backend().removeQuarantined(storeId, quarantineId)) {
            throw quarantineNotFound(storeId, quarantineId);
        }
        LOG.info("discarded held write {} of store {}", quarantineId, storeId);
    }

    private static dev.agentmemory.error.NotFoundException quarantineNotFound(StoreId storeId, String id) {
        return new dev.agentmemory.error.NotFoundException("store " + storeId + " holds no write " + IdRules.printable(id)
                + " in quarantine (it may have been released or discarded); list the store's quarantine to find it");
    }

    public ChainReport verify(StoreId storeId, ProgressListener progress) {
        Objects.requireNonNull(progress, "progress");
        StoreRecord rec = svc.store(workspaceId, storeId);
        return new ChainVerifier(svc.backend(), storeId, rec.chain(), Optional.empty(), progress).run();
    }

    public ChainReport verify(StoreId storeId, ChainCheckpoint published, ProgressListener progress) {
        Objects.requireNonNull(published, "published");
        Objects.requireNonNull(progress, "progress");
        StoreRecord rec = svc.store(workspaceId, storeId);
        return new ChainVerifier(svc.backend(), storeId, rec.chain(), Optional.of(published), progress).run();
    }

    public ChainCheckpoint checkpoint(StoreId storeId) {
        StoreRecord rec = svc.store(workspaceId, storeId);
        return new ChainCheckpoint(storeId, rec.chain().length(), rec.chain().hash());
    }
}
