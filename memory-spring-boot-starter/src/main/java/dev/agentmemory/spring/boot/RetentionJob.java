package dev.agentmemory.spring.boot;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.StoreQuery;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges old versions from every store (archived ones excepted: they keep their history) of a fixed list of
 * workspaces, under one retention policy. The starter runs it on the {@code agent-memory.retention.cron} schedule;
 * an application may also call {@link #run()} itself, for example from an operator's endpoint.
 *
 * <p>A store that cannot be purged is logged and counted, and the run goes on with the next. A run whose thread is
 * interrupted stops before its next store and reports what it did. Thread-safe: runs do not overlap; a run asked for
 * while another is in progress is skipped.
 */
public final class RetentionJob {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    private final AgentMemory memory;
    private final List<String> workspaces;
    private final RetentionPolicy policy;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicReference<RetentionReport> last = new AtomicReference<>();

    /**
     * Creates the job.
     *
     * @param memory the service
     * @param workspaces the workspaces whose stores are purged
     * @param policy what each purge keeps
     */
    public RetentionJob(AgentMemory memory, List<String> workspaces, RetentionPolicy policy) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.workspaces = List.copyOf(workspaces);
        this.policy = Objects.requireNonNull(policy, "policy");
        if (this.workspaces.isEmpty()) {
            throw new IllegalArgumentException("retention needs at least one workspace: set"
                    + " agent-memory.retention.workspaces");
        }
    }

    /**
     * Returns the policy each purge applies.
     *
     * @return the policy
     */
    public RetentionPolicy policy() {
        return policy;
    }

    /**
     * Returns the workspaces whose stores are purged.
     *
     * @return the workspace ids
     */
    public List<String> workspaces() {
        return workspaces;
    }

    /**
     * Returns what the last finished run did.
     *
     * @return its report, or empty before the first run ends
     */
    public Optional<RetentionReport> lastReport() {
        return Optional.ofNullable(last.get());
    }

    /**
     * Purges every store of the workspaces once.
     *
     * @return what was done, or empty when another run was in progress and this one was skipped
     */
    public Optional<RetentionReport> run() {
        if (!running.tryLock()) {
            LOG.info("agent-memory retention: a run is in progress; this one is skipped");
            return Optional.empty();
        }
        try {
            int purged = 0;
            int failed = 0;
            long examined = 0;
            long removed = 0;
            boolean interrupted = false;
            workspaces:
            for (String workspace : workspaces) {
                StoreAdmin stores = memory.workspace(workspace).stores();
                StoreQuery query = StoreQuery.builder().limit(100).build();
                while (true) {
                    Page<MemoryStore> page = stores.list(query);
                    for (MemoryStore store : page.items()) {
                        if (Thread.currentThread().isInterrupted()) {
                            interrupted = true;
                            break workspaces;
                        }
                        try {
                            PurgeResult r = stores.purge(store.id(), policy, ProgressListener.NONE);
                            purged++;
                            examined += r.versionsExamined();
                            removed += r.versionsRemoved();
                        } catch (ArchivedException | NotFoundException e) {
                            LOG.debug("agent-memory retention: store {} was archived or deleted meanwhile: {}",
                                    store.id(), e.getMessage());
                        } catch (MemoryException e) {
                            failed++;
                            LOG.warn("agent-memory retention: store {} of workspace {} could not be purged; the run"
                                    + " goes on", store.id(), workspace, e);
                        }
                    }
                    if (page.nextCursor().isEmpty()) {
                        break;
                    }
                    query = query.page(page.nextCursor().get());
                }
            }
            RetentionReport report = new RetentionReport(purged, failed, examined, removed);
            last.set(report);
            LOG.info("agent-memory retention: purged {} stores ({} failed), removed {} of {} versions examined{}",
                    purged, failed, removed, examined, interrupted ? "; interrupted before the remaining stores" : "");
            return Optional.of(report);
        } finally {
            running.unlock();
        }
    }

    @Override
    public String toString() {
        return "RetentionJob{workspaces=" + workspaces + ", " + policy + "}";
    }
}
