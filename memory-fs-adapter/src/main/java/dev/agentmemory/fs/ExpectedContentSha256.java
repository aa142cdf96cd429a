package dev.agentmemory.fs;

import java.nio.file.OpenOption;
import java.util.Objects;

/**
 * An {@link OpenOption} that makes a write conditional: the file's stored content must still have this SHA-256 when
 * the channel or stream is opened and when it is closed, or the write fails with a {@link ContentChangedException}
 * that names the current SHA-256, and nothing is written. The file must exist.
 *
 * <pre>{@code
 * String sha = Files.readAttributes(path, MemoryFileAttributes.class).contentSha256().orElseThrow();
 * Files.writeString(path, "new text", ExpectedContentSha256.of(sha));
 * }</pre>
 *
 * @param sha256 lowercase hex SHA-256 of the content the caller last read
 */
public record ExpectedContentSha256(String sha256) implements OpenOption {

    /** Checks that the SHA-256 is present. */
    public ExpectedContentSha256 {
        Objects.requireNonNull(sha256, "sha256");
    }

    /**
     * Returns the option.
     *
     * @param sha256 lowercase hex SHA-256
     * @return the option
     */
    public static ExpectedContentSha256 of(String sha256) {
        return new ExpectedContentSha256(sha256);
    }
}
