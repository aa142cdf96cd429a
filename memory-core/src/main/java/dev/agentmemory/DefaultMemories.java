package dev.agentmemory;

import dev.agentmemory.internal.MemoriesEngine;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ArchivedException;
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
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.model.WorkspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** The {@link Memories} of one store for one actor: the service's engine seen through the API. Thread-safe. */
final class DefaultMemories implements Memories {

    private final MemoriesEngine engine;

    DefaultMemories(MemoriesEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public StoreId storeId() {
        return engine.storeId();
    }

    @Override
    public Actor actor() {
        return engine.actor();
    }

    @Override
    public Access access() {
        return engine.access();
    }

    @Override
    public MemoryStore store() {
        return engine.store();
    }

    @Override
    public long revision() {
        return engine.revision();
    }

    @Override
    public Memory create(String path, String content) {
        return engine.create(path, content);
    }

    @Override
    public Memory update(MemoryId memoryId, MemoryUpdate update) {
        return engine.update(memoryId, update);
    }

    @Override
    public Memory create(String path, byte[] content) {
        return engine.create(path, content);
    }

    @Override
    public Memory update(MemoryId memoryId, byte[] content) {
        return engine.update(memoryId, content);
    }

    @Override
    public Memory update(MemoryId memoryId, byte[] content, String expectedContentSha256) {
        return engine.update(memoryId, content, expectedContentSha256);
    }

    @Override
    public void delete(MemoryId memoryId) {
        engine.delete(memoryId);
    }

    @Override
    public void delete(MemoryId memoryId, String expectedContentSha256) {
        engine.delete(memoryId, expectedContentSha256);
    }

    @Override
    public List<Memory> move(String fromPrefix, String toPrefix) {
        return engine.move(fromPrefix, toPrefix);
    }

    @Override
    public List<ChangeResult> apply(Batch batch) {
        return engine.apply(batch);
    }

    @Override
    public ChangeResult apply(Change change) {
        return engine.apply(change);
    }

    @Override
    public ChangeResult edit(String path, UnaryOperator<String> edit) {
        return engine.edit(path, edit);
    }

    @Override
    public ChangeResult edit(EditTarget target, UnaryOperator<byte[]> edit) {
        return engine.edit(target, edit);
    }

    @Override
    public void checkWrite(String path, byte[] content) {
        engine.checkWrite(path, content);
    }

    @Override
    public void checkContent(byte[] content) {
        engine.checkContent(content);
    }

    @Override
    public List<ChangeResult> deleteDirectory(String prefix) {
        return engine.deleteDirectory(prefix);
    }

    @Override
    public PutResult put(String path, String content) {
        return engine.put(path, content);
    }

    @Override
    public PutResult put(String path, String content, String expectedContentSha256) {
        return engine.put(path, content, expectedContentSha256);
    }

    @Override
    public ChangeResult updateByPath(String path, MemoryUpdate update) {
        return engine.updateByPath(path, update);
    }

    @Override
    public ChangeResult deleteByPath(String path) {
        return engine.deleteByPath(path);
    }

    @Override
    public ChangeResult deleteByPath(String path, String expectedContentSha256) {
        return engine.deleteByPath(path, expectedContentSha256);
    }

    @Override
    public String normalizePath(String path) {
        return engine.normalizePath(path);
    }

    @Override
    public void checkWritable() {
        engine.checkWritable();
    }

    @Override
    public void checkWritable(MemoryId memoryId, String expectedContentSha256) {
        engine.checkWritable(memoryId, expectedContentSha256);
    }

    @Override
    public Memory get(MemoryId memoryId) {
        return engine.get(memoryId);
    }

    @Override
    public Memory getByPath(String path) {
        return engine.getByPath(path);
    }

    @Override
    public Optional<Memory> findByPath(String path) {
        return engine.findByPath(path);
    }

    @Override
    public Page<ListEntry> list(ListQuery q) {
        return engine.list(q);
    }

    @Override
    public Stream<SearchMatch> search(SearchQuery query) {
        return engine.search(query);
    }

    @Override
    public Page<MemoryVersion> versions(VersionQuery q) {
        return engine.versions(q);
    }

    @Override
    public MemoryVersion version(VersionId versionId) {
        return engine.version(versionId);
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
