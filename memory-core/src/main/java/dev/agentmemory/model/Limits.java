package dev.agentmemory.model;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The library's limits. The defaults are those of the hosted memory stores; a store may override its content and
 * memory-count limits. Immutable.
 *
 * <pre>{@code
 * Limits limits = Limits.builder().maxContentBytes(256 * 1024).retentionWindow(Duration.ofDays(90)).build();
 * }</pre>
 */
public final class Limits {

    /** Largest per-memory content limit a store may be given: 16 MiB. */
    public static final int CONTENT_BYTES_CEILING = 16 * 1024 * 1024;

    private static final Limits DEFAULTS = builder().build();

    private final int maxContentBytes;
    private final int maxPathBytes;
    private final int maxPathSegments;
    private final int maxAttachments;
    private final int maxInstructionsChars;
    private final int maxStoreNameChars;
    private final int maxDescriptionChars;
    private final int maxMetadataPairs;
    private final int maxMetadataKeyChars;
    private final int maxMetadataValueChars;
    private final int maxMemoriesPerStore;
    private final RetentionPolicy retention;

    private Limits(Builder b) {
        this.maxContentBytes = b.maxContentBytes;
        this.maxPathBytes = b.maxPathBytes;
        this.maxPathSegments = b.maxPathSegments;
        this.maxAttachments = b.maxAttachments;
        this.maxInstructionsChars = b.maxInstructionsChars;
        this.maxStoreNameChars = b.maxStoreNameChars;
        this.maxDescriptionChars = b.maxDescriptionChars;
        this.maxMetadataPairs = b.maxMetadataPairs;
        this.maxMetadataKeyChars = b.maxMetadataKeyChars;
        this.maxMetadataValueChars = b.maxMetadataValueChars;
        this.maxMemoriesPerStore = b.maxMemoriesPerStore;
        this.retention = new RetentionPolicy(b.retentionWindow, b.retentionKeepPerMemory);
    }

    /**
     * Returns the defaults: content 100 KiB; path 1,024 bytes and 32 segments; 8 attachments per session;
     * instructions 4,096 characters; store name 255 and description 1,024 characters; metadata 16 pairs, key 64 and
     * value 512 characters; 10,000 memories per store; retention 30 days keeping the last 10 versions of each memory.
     *
     * @return the defaults
     */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /**
     * Starts from the defaults. Each setting may be made once; a second call fails fast.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the default maximum content size of a memory, in UTF-8 bytes */
    public int maxContentBytes() {
        return maxContentBytes;
    }

    /** @return the maximum length of a path, in UTF-8 bytes */
    public int maxPathBytes() {
        return maxPathBytes;
    }

    /** @return the maximum number of segments in a path */
    public int maxPathSegments() {
        return maxPathSegments;
    }

    /** @return the maximum number of stores attached to one session */
    public int maxAttachments() {
        return maxAttachments;
    }

    /** @return the maximum length of an attachment's instructions, in characters */
    public int maxInstructionsChars() {
        return maxInstructionsChars;
    }

    /** @return the maximum length of a store's name, in characters */
    public int maxStoreNameChars() {
        return maxStoreNameChars;
    }

    /** @return the maximum length of a store's description, in characters */
    public int maxDescriptionChars() {
        return maxDescriptionChars;
    }

    /** @return the maximum number of metadata pairs on a store */
    public int maxMetadataPairs() {
        return maxMetadataPairs;
    }

    /** @return the maximum length of a metadata key, in characters */
    public int maxMetadataKeyChars() {
        return maxMetadataKeyChars;
    }

    /** @return the maximum length of a metadata value, in characters */
    public int maxMetadataValueChars() {
        return maxMetadataValueChars;
    }

    /** @return the default maximum number of memories in a store */
    public int maxMemoriesPerStore() {
        return maxMemoriesPerStore;
    }

    /** @return the default retention policy of {@link dev.agentmemory.StoreAdmin#purge(dev.agentmemory.model.StoreId, ProgressListener)} */
    public RetentionPolicy retention() {
        return retention;
    }

    @Override
    public String toString() {
        return "Limits{content=" + maxContentBytes + "B, path=" + maxPathBytes + "B/" + maxPathSegments
                + " segments, attachments=" + maxAttachments + ", instructions=" + maxInstructionsChars
                + ", name=" + maxStoreNameChars + ", description=" + maxDescriptionChars + ", metadata="
                + maxMetadataPairs + "x(" + maxMetadataKeyChars + "," + maxMetadataValueChars + "), memories="
                + maxMemoriesPerStore + ", retention=" + retention + "}";
    }

    /** Builds {@link Limits}. Each setting may be made once. Not thread-safe. */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private int maxContentBytes = 100 * 1024;
        private int maxPathBytes = 1024;
        private int maxPathSegments = 32;
        private int maxAttachments = 8;
        private int maxInstructionsChars = 4096;
        private int maxStoreNameChars = 255;
        private int maxDescriptionChars = 1024;
        private int maxMetadataPairs = 16;
        private int maxMetadataKeyChars = 64;
        private int maxMetadataValueChars = 512;
        private int maxMemoriesPerStore = 10_000;
        private Duration retentionWindow = Duration.ofDays(30);
        private int retentionKeepPerMemory = 10;

        private Builder() {
        }

        private int once(String name, int value, int min, int max) {
            if (set.contains(name)) {
                throw new IllegalStateException(name + " was already set");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
            }
            set.add(name);
            return value;
        }

        /**
         * @param bytes default maximum content size, 1 byte to 16 MiB
         * @return this builder
         */
        public Builder maxContentBytes(int bytes) {
            maxContentBytes = once("maxContentBytes", bytes, 1, CONTENT_BYTES_CEILING);
            return this;
        }

        /**
         * @param bytes maximum path length in UTF-8 bytes, 2 to 4,096
         * @return this builder
         */
        public Builder maxPathBytes(int bytes) {
            maxPathBytes = once("maxPathBytes", bytes, 2, 4096);
            return this;
        }

        /**
         * @param segments maximum path depth, 1 to 256
         * @return this builder
         */
        public Builder maxPathSegments(int segments) {
            maxPathSegments = once("maxPathSegments", segments, 1, 256);
            return this;
        }

        /**
         * @param count maximum attachments per session, 1 to 64
         * @return this builder
         */
        public Builder maxAttachments(int count) {
            maxAttachments = once("maxAttachments", count, 1, 64);
            return this;
        }

        /**
         * @param chars maximum instructions length, 0 to 65,536
         * @return this builder
         */
        public Builder maxInstructionsChars(int chars) {
            maxInstructionsChars = once("maxInstructionsChars", chars, 0, 65_536);
            return this;
        }

        /**
         * @param chars maximum store name length, 1 to 4,096
         * @return this builder
         */
        public Builder maxStoreNameChars(int chars) {
            maxStoreNameChars = once("maxStoreNameChars", chars, 1, 4096);
            return this;
        }

        /**
         * @param chars maximum store description length, 0 to 65,536
         * @return this builder
         */
        public Builder maxDescriptionChars(int chars) {
            maxDescriptionChars = once("maxDescriptionChars", chars, 0, 65_536);
            return this;
        }

        /**
         * @param pairs maximum metadata pairs, 0 to 1,024
         * @return this builder
         */
        public Builder maxMetadataPairs(int pairs) {
            maxMetadataPairs = once("maxMetadataPairs", pairs, 0, 1024);
            return this;
        }

        /**
         * @param chars maximum metadata key length, 1 to 1,024
         * @return this builder
         */
        public Builder maxMetadataKeyChars(int chars) {
            maxMetadataKeyChars = once("maxMetadataKeyChars", chars, 1, 1024);
            return this;
        }

        /**
         * @param chars maximum metadata value length, 0 to 65,536
         * @return this builder
         */
        public Builder maxMetadataValueChars(int chars) {
            maxMetadataValueChars = once("maxMetadataValueChars", chars, 0, 65_536);
            return this;
        }

        /**
         * @param count default maximum memories per store, 1 to 10,000,000
         * @return this builder
         */
        public Builder maxMemoriesPerStore(int count) {
            maxMemoriesPerStore = once("maxMemoriesPerStore", count, 1, 10_000_000);
            return this;
        }

        /**
         * @param window how old a version must be before a purge may remove it; not negative
         * @return this builder
         */
        public Builder retentionWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (set.contains("retentionWindow")) {
                throw new IllegalStateException("retentionWindow was already set");
            }
            if (window.isNegative()) {
                throw new IllegalArgumentException("retentionWindow cannot be negative: " + window);
            }
            set.add("retentionWindow");
            retentionWindow = window;
            return this;
        }

        /**
         * @param count how many most recent versions of each live memory a purge keeps, 0 to 1,000,000
         * @return this builder
         */
        public Builder retentionKeepPerMemory(int count) {
            retentionKeepPerMemory = once("retentionKeepPerMemory", count, 0, 1_000_000);
            return this;
        }

        /**
         * Returns the limits.
         *
         * @return the limits
         */
        public Limits build() {
            return new Limits(this);
        }
    }
}
