package dev.agentmemory.testkit;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The reference model of one memory store: plain maps and lists, and the rules of paths, content, preconditions,
 * versions and listing written out as simply as possible, each failure checked in the order the library reports
 * them (the request's shape, then the path, then the content, then the stored state). Operations either return their result and change
 * the state, or throw a {@link StatefulModelFailure} and change nothing. Not thread-safe.
 */
final class StatefulModelStore {

    /** Hands out model ids. */
    interface IdMaker {
        String memoryId();

        String versionId();
    }

    /** An entry of a listing: a memory or a directory prefix. */
    sealed interface Entry permits Mem, Dir {
        String path();
    }

    /** A live memory: content, and the versions that created it and produced its current state. */
    record Mem(String id, String path, String content, String createdVid, String headVid) implements Entry {
    }

    /** A directory prefix in a depth-1 listing, ending in '/'. */
    record Dir(String path) implements Entry {
    }

    /**
     * A version. {@code path} is null once redacted; {@code content} is null for deletions and once redacted.
     */
    record Ver(String id, String memId, Operation op, String path, String content, Actor by, Actor redactedBy) {
        boolean isRedacted() {
            return redactedBy != null;
        }

        Ver redacted(Actor who) {
            return new Ver(id, memId, op, null, null, by, who);
        }
    }

    /** What one change did: the memory after it (null after a delete) and its version (null for a no-op). */
    record Change(String memoryId, Mem memory, Ver version) {
    }

    final int index;
    final int contentLimit;
    final int memoryLimit;
    final int maxPathBytes;
    final int maxPathSegments;
    boolean archived;
    private Map<String, Mem> live = new LinkedHashMap<>();
    private List<Ver> versions = new ArrayList<>();
    private List<String> created = new ArrayList<>();

    StatefulModelStore(int index, int contentLimit, int memoryLimit, int maxPathBytes, int maxPathSegments) {
        this.index = index;
        this.contentLimit = contentLimit;
        this.memoryLimit = memoryLimit;
        this.maxPathBytes = maxPathBytes;
        this.maxPathSegments = maxPathSegments;
    }

    private StatefulModelStore copy() {
        StatefulModelStore c = new StatefulModelStore(index, contentLimit, memoryLimit, maxPathBytes,
                maxPathSegments);
        c.archived = archived;
        c.live = new LinkedHashMap<>(live);
        c.versions = new ArrayList<>(versions);
        c.created = new ArrayList<>(created);
        return c;
    }

    /** Runs a change on a copy and keeps the copy only if the change succeeded: all or nothing. */
    <T> T atomically(Function<StatefulModelStore, T> change) {
        StatefulModelStore c = copy();
        T result = change.apply(c);
        live = c.live;
        versions = c.versions;
        created = c.created;
        archived = c.archived;
        return result;
    }

    // ------------------------------------------------------------------ reads

    List<Mem> memories() {
        List<Mem> out = new ArrayList<>(live.values());
        out.sort((a, b) -> StatefulModelRules.compareCodePoints(a.path(), b.path()));
        return out;
    }

    Mem memory(String id) {
        return live.get(id);
    }

    /** Ids of memories created in this store, live or deleted, oldest first. */
    List<String> createdIds() {
        return List.copyOf(created);
    }

    List<String> deletedIds() {
        return created.stream().filter(id -> !live.containsKey(id)).toList();
    }

    /** All versions, oldest first. */
    List<Ver> versions() {
        return List.copyOf(versions);
    }

    Ver version(String vid) {
        for (Ver v : versions) {
            if (v.id().equals(vid)) {
                return v;
            }
        }
        return null;
    }

    Mem byPath(String path) {
        for (Mem m : live.values()) {
            if (m.path().equals(path)) {
                return m;
            }
        }
        return null;
    }

    /** A live memory, or the not-found failure. */
    Mem get(String id) {
        Mem m = live.get(id);
        if (m == null) {
            throw StatefulModelFailure.of(NotFoundException.class);
        }
        return m;
    }

    /** The whole listing of a prefix at a depth, ordered by code point. */
    List<Entry> entries(String prefix, int depth) {
        List<Entry> out = new ArrayList<>();
        Set<String> dirs = new HashSet<>();
        for (Mem m : live.values()) {
            if (!m.path().startsWith(prefix)) {
                continue;
            }
            String rest = m.path().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (depth == 1 && slash >= 0) {
                String dir = prefix + rest.substring(0, slash + 1);
                if (dirs.add(dir)) {
                    out.add(new Dir(dir));
                }
            } else {
                out.add(m);
            }
        }
        out.sort((a, b) -> StatefulModelRules.compareCodePoints(a.path(), b.path()));
        return out;
    }

    // ------------------------------------------------------------------ writes

    Change create(String rawPath, String content, Actor actor, IdMaker ids) {
        String path = StatefulModelRules.path(rawPath, maxPathBytes, maxPathSegments);
        StatefulModelRules.content(content, contentLimit);
        checkPathFree(path, null);
        if (live.size() + 1 > memoryLimit) {
            throw StatefulModelFailure.of(LimitExceededException.class, "memories_per_store",
                    (long) live.size() + 1, (long) memoryLimit);
        }
        String id = ids.memoryId();
        String vid = ids.versionId();
        Mem m = new Mem(id, path, content, vid, vid);
        Ver v = new Ver(vid, id, Operation.CREATED, path, content, actor, null);
        live.put(id, m);
        created.add(id);
        versions.add(v);
        return new Change(id, m, v);
    }

    Change update(String id, String rawPath, String content, String sha, Actor actor, IdMaker ids) {
        String newPath = rawPath == null ? null : StatefulModelRules.path(rawPath, maxPathBytes, maxPathSegments);
        if (content != null) {
            StatefulModelRules.content(content, contentLimit);
        }
        if (sha != null) {
            StatefulModelRules.sha(sha);
        }
        if (newPath == null && content == null) {
            throw StatefulModelFailure.of(InvalidArgumentException.class, "update.empty");
        }
        Mem cur = get(id);
        String path = newPath == null ? cur.path() : newPath;
        boolean samePath = path.equals(cur.path());
        boolean sameContent = content == null || content.equals(cur.content());
        if (samePath && sameContent) {
            return new Change(id, cur, null);
        }
        checkPrecondition(cur, sha);
        if (!samePath) {
            checkPathFree(path, id);
        }
        String vid = ids.versionId();
        Mem m = new Mem(id, path, sameContent ? cur.content() : content, cur.createdVid(), vid);
        Ver v = new Ver(vid, id, Operation.MODIFIED, path, m.content(), actor, null);
        live.put(id, m);
        versions.add(v);
        return new Change(id, m, v);
    }

    Change delete(String id, String sha, Actor actor, IdMaker ids) {
        if (sha != null) {
            StatefulModelRules.sha(sha);
        }
        Mem cur = get(id);
        checkPrecondition(cur, sha);
        String vid = ids.versionId();
        Ver v = new Ver(vid, id, Operation.DELETED, cur.path(), null, actor, null);
        live.remove(id);
        versions.add(v);
        return new Change(id, null, v);
    }

    List<Mem> move(String rawFrom, String rawTo, Actor actor, IdMaker ids) {
        String from = StatefulModelRules.prefix(rawFrom, maxPathBytes, maxPathSegments);
        String to = StatefulModelRules.prefix(rawTo, maxPathBytes, maxPathSegments);
        if (from.equals("/") || to.equals("/")) {
            throw StatefulModelFailure.of(InvalidArgumentException.class, "move.root");
        }
        if (to.startsWith(from) && !to.equals(from)) {
            throw StatefulModelFailure.of(InvalidArgumentException.class, "move.into_itself");
        }
        List<Mem> moving = memories().stream().filter(m -> m.path().startsWith(from)).toList();
        if (moving.isEmpty()) {
            throw StatefulModelFailure.of(NotFoundException.class);
        }
        if (to.equals(from)) {
            return moving;
        }
        Set<String> movingIds = new HashSet<>();
        moving.forEach(m -> movingIds.add(m.id()));
        String toDir = to.substring(0, to.length() - 1);
        List<String> blockers = new ArrayList<>(StatefulModelRules.ancestors(toDir));
        blockers.add(toDir);
        for (String p : blockers) {
            Mem b = byPath(p);
            if (b != null && !movingIds.contains(b.id())) {
                throw conflict(toDir, b);
            }
        }
        for (Mem m : memories()) {
            if (m.path().startsWith(to) && !movingIds.contains(m.id())) {
                throw conflict(toDir, m);
            }
        }
        List<String> newPaths = new ArrayList<>();
        for (Mem m : moving) {
            String p = to + m.path().substring(from.length());
            StatefulModelRules.checkSize(p, maxPathBytes, maxPathSegments);
            newPaths.add(p);
        }
        List<Mem> moved = new ArrayList<>();
        for (int i = 0; i < moving.size(); i++) {
            Mem cur = moving.get(i);
            String vid = ids.versionId();
            Mem m = new Mem(cur.id(), newPaths.get(i), cur.content(), cur.createdVid(), vid);
            versions.add(new Ver(vid, m.id(), Operation.MODIFIED, m.path(), m.content(), actor, null));
            live.put(m.id(), m);
            moved.add(m);
        }
        return moved;
    }

    /** Redacts a version given by model id; null means a version this store does not have. */
    Ver redact(String vid, Actor who) {
        int at = -1;
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).id().equals(vid)) {
                at = i;
            }
        }
        if (at < 0) {
            throw StatefulModelFailure.of(NotFoundException.class);
        }
        Ver v = versions.get(at);
        if (v.isRedacted()) {
            return v;
        }
        Mem m = live.get(v.memId());
        if (m != null && m.headVid().equals(vid)) {
            throw StatefulModelFailure.of(InvalidArgumentException.class, "redact.head");
        }
        Ver r = v.redacted(who);
        versions.set(at, r);
        return r;
    }

    // ------------------------------------------------------------------ rules

    private void checkPrecondition(Mem cur, String sha) {
        String current = StatefulModelRules.sha256(cur.content());
        if (sha != null && !sha.equals(current)) {
            throw StatefulModelFailure.of(PreconditionFailedException.class, cur.id(), sha, current, cur.headVid());
        }
    }

    /** Exact path, then ancestors shortest first, then the first memory below in code point order. */
    private void checkPathFree(String path, String self) {
        Mem same = byPath(path);
        if (same != null && !same.id().equals(self)) {
            throw conflict(path, same);
        }
        for (String a : StatefulModelRules.ancestors(path)) {
            Mem m = byPath(a);
            if (m != null && !m.id().equals(self)) {
                throw conflict(path, m);
            }
        }
        for (Mem m : memories()) {
            if (m.path().startsWith(path + "/") && !m.id().equals(self)) {
                throw conflict(path, m);
            }
        }
    }

    private static StatefulModelFailure conflict(String path, Mem in) {
        return StatefulModelFailure.of(PathConflictException.class, path, in.id(), in.path());
    }
}
