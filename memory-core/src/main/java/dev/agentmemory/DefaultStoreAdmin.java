package dev.agentmemory;

import dev.agentmemory.internal.StoreAdminEngine;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ChainCheckpoint;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.RedactionReport;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.RetentionSummary;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

/** The {@link StoreAdmin} of one workspace: the service's engine seen through the API. Thread-safe. */
final class DefaultStoreAdmin implements StoreAdmin {

    private final StoreAdminEngine engine;

    DefaultStoreAdmin(StoreAdminEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public MemoryStore create(NewStore spec) {
        return engine.create(spec);
    }

    @Override
    public MemoryStore get(StoreId storeId) {
        return engine.get(storeId);
    }

    @Override
    public Page<MemoryStore> list(StoreQuery q) {
        return engine.list(q);
    }

    @Override
    public MemoryStore update(StoreId storeId, StoreUpdate update) {
        return engine.update(storeId, update);
    }

    @Override
    public MemoryStore archive(StoreId storeId) {
        return engine.archive(storeId);
    }

    @Override
    public ErasureStatus delete(StoreId storeId) {
        return engine.delete(storeId);
    }

    @Override
    public RedactionReport redact(StoreId storeId, VersionId versionId, Actor redactedBy) {
        return engine.redact(storeId, versionId, redactedBy);
    }

    @Override
    public ErasureStatus erasureStatus() {
        return engine.erasureStatus();
    }

    @Override
    public ErasureStatus awaitErasure(Duration timeout) {
        return engine.awaitErasure(timeout);
    }

    @Override
    public PurgeResult purge(StoreId storeId, ProgressListener progress) {
        return engine.purge(storeId, progress);
    }

    @Override
    public PurgeResult purge(StoreId storeId, RetentionPolicy policy, ProgressListener progress) {
        return engine.purge(storeId, policy, progress);
    }

    @Override
    public RetentionSummary purgeAll(RetentionPolicy policy, ProgressListener progress) {
        return engine.purgeAll(policy, progress);
    }

    @Override
    public TransferSummary exportStore(StoreId storeId, OutputStream out, ProgressListener progress) {
        return engine.exportStore(storeId, out, progress);
    }

    @Override
    public TransferSummary importStore(InputStream in, ProgressListener progress) {
        return engine.importStore(in, progress);
    }

    @Override
    public Page<PolicyEvent> policyEvents(StoreId storeId, Optional<String> cursor, int limit) {
        return engine.policyEvents(storeId, cursor, limit);
    }

    @Override
    public Page<QuarantinedWrite> quarantined(StoreId storeId, Optional<String> cursor, int limit) {
        return engine.quarantined(storeId, cursor, limit);
    }

    @Override
    public QuarantinedWrite quarantinedWrite(StoreId storeId, String quarantineId) {
        return engine.quarantinedWrite(storeId, quarantineId);
    }

    @Override
    public List<ChangeResult> releaseQuarantined(StoreId storeId, String quarantineId) {
        return engine.releaseQuarantined(storeId, quarantineId);
    }

    @Override
    public void discardQuarantined(StoreId storeId, String quarantineId) {
        engine.discardQuarantined(storeId, quarantineId);
    }

    @Override
    public ChainReport verify(StoreId storeId, ProgressListener progress) {
        return engine.verify(storeId, progress);
    }

    @Override
    public ChainReport verify(StoreId storeId, ChainCheckpoint published, ProgressListener progress) {
        return engine.verify(storeId, published, progress);
    }

    @Override
    public ChainCheckpoint checkpoint(StoreId storeId) {
        return engine.checkpoint(storeId);
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
