package dev.agentmemory.model;

import java.util.Objects;

/**
 * What a redaction achieved. The version's content is unreachable through every surface as soon as the report exists
 * ({@link #version()} is the redacted version); {@link #erasure()} says whether its bytes have also left storage, or
 * are still there and why. A pending erasure finishes by itself; wait for it with
 * {@link dev.agentmemory.StoreAdmin#awaitErasure(java.time.Duration)}.
 *
 * @param version the redacted version (without content, SHA-256, size or path)
 * @param erasure where the physical erasure stood when the call returned
 */
public record RedactionReport(MemoryVersion version, ErasureStatus erasure) {

    /** Checks the fields. */
    public RedactionReport {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(erasure, "erasure");
        if (!version.isRedacted()) {
            throw new IllegalArgumentException("a redaction report carries a redacted version: " + version.id());
        }
    }
}
