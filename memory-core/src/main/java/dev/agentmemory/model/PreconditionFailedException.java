package dev.agentmemory.model;

import dev.agentmemory.error.ConflictException;

/**
 * A conditional write found other content than the caller expected: someone else wrote first. Re-read the memory,
 * apply the change to what is there now, and retry with the new SHA-256. Nothing was written.
 */
public class PreconditionFailedException extends ConflictException {

    private final MemoryId memoryId;
    private final String expectedSha256;
    private final String currentSha256;
    private final VersionId currentVersionId;

    /**
     * Creates the exception.
     *
     * @param memoryId the memory
     * @param expectedSha256 the SHA-256 the caller expected
     * @param currentSha256 the SHA-256 of the stored content
     * @param currentVersionId the memory's head version
     */
    public PreconditionFailedException(
            MemoryId memoryId, String expectedSha256, String currentSha256, VersionId currentVersionId) {
        super(Kind.PRECONDITION_FAILED, "precondition failed for memory " + memoryId
                + ": expected content_sha256 " + expectedSha256 + " but the stored content has " + currentSha256
                + " (version " + currentVersionId + "); re-read the memory and retry against its current content");
        this.memoryId = memoryId;
        this.expectedSha256 = expectedSha256;
        this.currentSha256 = currentSha256;
        this.currentVersionId = currentVersionId;
    }

    /**
     * Returns the memory.
     *
     * @return its id
     */
    public MemoryId memoryId() {
        return memoryId;
    }

    /**
     * Returns the SHA-256 the caller expected.
     *
     * @return lowercase hex
     */
    public String expectedSha256() {
        return expectedSha256;
    }

    /**
     * Returns the SHA-256 of the content stored now.
     *
     * @return lowercase hex
     */
    public String currentSha256() {
        return currentSha256;
    }

    /**
     * Returns the memory's head version now.
     *
     * @return the version id
     */
    public VersionId currentVersionId() {
        return currentVersionId;
    }
}
