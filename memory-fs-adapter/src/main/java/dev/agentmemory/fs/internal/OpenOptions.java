package dev.agentmemory.fs.internal;

import dev.agentmemory.fs.ExpectedContentSha256;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * The options of one open, normalised in one place with the JDK's rules: {@code READ} with {@code APPEND}, and
 * {@code APPEND} with {@code TRUNCATE_EXISTING}, are rejected; neither {@code READ} nor {@code WRITE} means read
 * (or write with {@code APPEND}); {@code CREATE}, {@code CREATE_NEW} and {@code TRUNCATE_EXISTING} apply to writes only.
 */
final class OpenOptions {

    final boolean read;
    final boolean write;
    final boolean append;
    final boolean create;
    final boolean createNew;
    final boolean truncate;
    final Optional<String> expectedSha256;

    private OpenOptions(boolean read, boolean write, boolean append, boolean create, boolean createNew,
            boolean truncate, Optional<String> expectedSha256) {
        this.read = read;
        this.write = write;
        this.append = append;
        this.create = create;
        this.createNew = createNew;
        this.truncate = truncate;
        this.expectedSha256 = expectedSha256;
    }

    static OpenOptions of(Set<? extends OpenOption> options) {
        boolean read = false;
        boolean write = false;
        boolean append = false;
        boolean create = false;
        boolean createNew = false;
        boolean truncate = false;
        Optional<String> sha = Optional.empty();
        for (OpenOption o : options) {
            if (o == StandardOpenOption.READ) {
                read = true;
            } else if (o == StandardOpenOption.WRITE) {
                write = true;
            } else if (o == StandardOpenOption.APPEND) {
                append = true;
            } else if (o == StandardOpenOption.CREATE) {
                create = true;
            } else if (o == StandardOpenOption.CREATE_NEW) {
                createNew = true;
            } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                truncate = true;
            } else if (o == StandardOpenOption.SPARSE || o == StandardOpenOption.SYNC
                    || o == StandardOpenOption.DSYNC || o == LinkOption.NOFOLLOW_LINKS) {
                continue; // no meaning here: content is committed on close, and there are no links
            } else if (o instanceof ExpectedContentSha256) {
                sha = Optional.of(((ExpectedContentSha256) o).sha256());
            } else if (o == null) {
                throw new NullPointerException("an open option is null");
            } else {
                throw new UnsupportedOperationException("unsupported open option " + o);
            }
        }
        if (read && append) {
            throw new IllegalArgumentException("READ + APPEND not allowed");
        }
        if (append && truncate) {
            throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        }
        if (!read && !write) {
            if (append) {
                write = true;
            } else {
                read = true;
            }
        }
        if (append) {
            write = true;
        }
        if (!write) {
            if (sha.isPresent()) {
                throw new IllegalArgumentException("ExpectedContentSha256 applies to writes; open with WRITE");
            }
            create = false;
            createNew = false;
            truncate = false;
        }
        return new OpenOptions(read, write, append, create, createNew, truncate, sha);
    }
}
