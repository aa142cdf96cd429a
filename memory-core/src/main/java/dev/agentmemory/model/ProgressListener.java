package dev.agentmemory.model;

/**
 * Told how a long operation (export, import, purge) advances. Called on the thread that runs the operation; keep it
 * quick. Exceptions it throws abort the operation.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (phase, done, total) -> { };

    /**
     * Reports progress.
     *
     * @param phase what is being done, for example {@code versions}
     * @param done how many items of this phase are done
     * @param total how many there are in all, or -1 when not known in advance
     */
    void progress(String phase, long done, long total);
}
