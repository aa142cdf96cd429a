package dev.agentmemory.model;


/**
 * Told about every write the service finishes, successful or not, for metrics and auditing outside the library (the
 * Spring Boot starter's Micrometer meters are one). Register it with
 * {@link dev.agentmemory.AgentMemory.Builder#writeListener}.
 *
 * <p>Called on the thread that made the write, after it committed or failed, and before the call returns to its
 * caller; keep it quick and do not write to the same store from it. It must be thread-safe: writes to different
 * stores run in parallel. An exception it throws is logged and otherwise ignored; it never changes the write's
 * result.
 */
@FunctionalInterface
public interface WriteListener {

    /** A listener that ignores every event. */
    WriteListener NONE = event -> { };

    /**
     * Reports a finished write.
     *
     * @param event what was written, how it ended and how long it took
     */
    void onWrite(WriteEvent event);
}
