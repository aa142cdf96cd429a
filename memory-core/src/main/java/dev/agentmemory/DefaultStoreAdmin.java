package dev.agentmemory;

import dev.agentmemory.internal.StoreAdminEngine;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.RetentionSummary;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionId;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

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
    public Page<MemoryStore> list(StoreQuery query) {
        return engine.list(query);
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
    public void delete(StoreId storeId) {
        engine.delete(storeId);
    }

    @Override
    public MemoryVersion redact(StoreId storeId, VersionId versionId, Actor redactedBy) {
        return engine.redact(storeId, versionId, redactedBy);
    }

    @Override
    public PurgeResult purge(StoreId storeId, ProgressListener progress) {
        return engine.purge(storeId, progress);
    }

    @Override
    public RetentionSummary purgeAll(RetentionPolicy policy, ProgressListener progress) {
        return engine.purgeAll(policy, progress);
    }

    @Override
    public PurgeResult purge(StoreId storeId, RetentionPolicy policy, ProgressListener progress) {
        return engine.purge(storeId, policy, progress);
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
    public String toString() {
        return engine.toString();
    }
}
