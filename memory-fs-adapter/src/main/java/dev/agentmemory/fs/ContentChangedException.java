package dev.agentmemory.fs;

import java.nio.file.FileSystemException;
import java.util.Objects;

/**
 * A conditional write ({@link ExpectedContentSha256}) found other content than expected: someone else wrote first.
 * Nothing was written. Re-read the file and retry with {@link #currentSha256()}.
 */
public final class ContentChangedException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    private final String expectedSha256;
    private final String currentSha256;
    private final String currentVersionId;

    /**
     * Creates the exception.
     *
     * @param file the file's path
     * @param expectedSha256 the SHA-256 the caller expected
     * @param currentSha256 the SHA-256 of the stored content
     * @param currentVersionId the memory's head version id
     */
    public ContentChangedException(String file, String expectedSha256, String currentSha256,
            String currentVersionId) {
        super(file, null, "content changed: expected content_sha256 " + expectedSha256 + " but the stored content has "
                + currentSha256 + " (version " + currentVersionId + "); re-read the file and retry");
        this.expectedSha256 = Objects.requireNonNull(expectedSha256, "expectedSha256");
        this.currentSha256 = Objects.requireNonNull(currentSha256, "currentSha256");
        this.currentVersionId = Objects.requireNonNull(currentVersionId, "currentVersionId");
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
     * Returns the memory's head version id now.
     *
     * @return for example {@code memver_...}
     */
    public String currentVersionId() {
        return currentVersionId;
    }
}
