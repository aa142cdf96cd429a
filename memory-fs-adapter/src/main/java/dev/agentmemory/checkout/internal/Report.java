package dev.agentmemory.checkout.internal;

import dev.agentmemory.checkout.SyncReport;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects one sync's entries. Not thread-safe. */
final class Report {
    final List<SyncReport.Pushed> pushed = new ArrayList<>();
    final List<SyncReport.Pulled> pulled = new ArrayList<>();
    final List<SyncReport.Conflict> conflicts = new ArrayList<>();
    final List<SyncReport.Refusal> refused = new ArrayList<>();
    final List<SyncReport.Failure> errors = new ArrayList<>();
    boolean manifestDirty;

    void pushed(String mount, String path, Operation op, Optional<String> previous, MemoryId id,
            Optional<VersionId> version) {
        pushed.add(new SyncReport.Pushed(mount, path, op, previous, id, version));
    }

    void pulled(String mount, String path, Operation op, Optional<String> previous, MemoryId id) {
        pulled.add(new SyncReport.Pulled(mount, path, op, previous, id));
    }

    void conflict(String mount, String path, SyncReport.ConflictKind kind, Optional<Path> copy, String message) {
        conflicts.add(new SyncReport.Conflict(mount, path, kind, copy, message));
    }

    void refused(String mount, String path, SyncReport.RefusalReason reason, boolean restored, Optional<Path> saved,
            String message) {
        refused.add(new SyncReport.Refusal(mount, path, reason, restored, saved, message));
    }

    void failure(String mount, String path, String code, String message) {
        errors.add(new SyncReport.Failure(mount, path, code, message));
    }

    SyncReport build() {
        return new SyncReport(pushed, pulled, conflicts, refused, errors);
    }
}
