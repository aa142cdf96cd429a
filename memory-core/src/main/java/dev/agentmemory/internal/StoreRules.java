package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.LimitExceededException.Limit;
import dev.agentmemory.model.Limits;
import java.util.Map;
import java.util.OptionalInt;

/** The rules of store fields: names, descriptions, metadata and limits. Lengths count Unicode code points. */
final class StoreRules {

    private StoreRules() {
    }

    static void checkName(String name, Limits limits) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("store.name.required", "a store needs a name of 1 to "
                    + limits.maxStoreNameChars() + " characters");
        }
        checkText(name, "store name", "store.name", false);
        checkLength(name, limits.maxStoreNameChars(), Limit.STORE_NAME_CHARS, "use a shorter name");
    }

    static void checkDescription(String description, Limits limits) {
        checkText(description, "store description", "store.description", true);
        checkLength(description, limits.maxDescriptionChars(), Limit.STORE_DESCRIPTION_CHARS,
                "shorten the description; it goes into every session's system prompt");
    }

    static void checkMetadata(Map<String, String> metadata, Limits limits) {
        if (metadata.size() > limits.maxMetadataPairs()) {
            throw new LimitExceededException(Limit.STORE_METADATA_PAIRS, metadata.size(), limits.maxMetadataPairs(),
                    "keep fewer metadata pairs on a store");
        }
        metadata.forEach((k, v) -> {
            if (k.isEmpty()) {
                throw new InvalidArgumentException("store.metadata.key", "a metadata key cannot be empty");
            }
            checkText(k, "metadata key", "store.metadata.key", false);
            checkLength(k, limits.maxMetadataKeyChars(), Limit.STORE_METADATA_KEY_CHARS, "use a shorter key");
            checkText(v, "metadata value of '" + k + "'", "store.metadata.value", true);
            checkLength(v, limits.maxMetadataValueChars(), Limit.STORE_METADATA_VALUE_CHARS,
                    "use a shorter value for '" + IdRules.printable(k) + "'");
        });
    }

    static void checkLimits(OptionalInt contentLimitBytes, OptionalInt memoryLimit) {
        contentLimitBytes.ifPresent(n -> {
            if (n < 1 || n > Limits.CONTENT_BYTES_CEILING) {
                throw new InvalidArgumentException("store.content_limit", "a store's content limit must be 1 to "
                        + Limits.CONTENT_BYTES_CEILING + " bytes: " + n);
            }
        });
        memoryLimit.ifPresent(n -> {
            if (n < 1 || n > 10_000_000) {
                throw new InvalidArgumentException("store.memory_limit",
                        "a store's memory limit must be 1 to 10,000,000: " + n);
            }
        });
    }

    static void checkLength(String text, int max, Limit limit, String advice) {
        int n = text.codePointCount(0, text.length());
        if (n > max) {
            throw new LimitExceededException(limit, n, max, advice);
        }
    }

    /** Refuses unpaired surrogates, and control characters (but for tab and line breaks where {@code multiline}). */
    static void checkText(String text, String what, String rule, boolean multiline) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                throw new InvalidArgumentException(rule, what + " '" + IdRules.printable(text)
                        + "' has an unpaired surrogate, which is not valid Unicode");
            } else if (Character.getType(ch) == Character.CONTROL
                    && !(multiline && (ch == '\n' || ch == '\r' || ch == '\t'))) {
                throw new InvalidArgumentException(rule, String.format("%s '%s' contains the control character"
                        + " U+%04X; %s", what, IdRules.printable(text), (int) ch,
                        multiline ? "only tabs and line breaks are allowed" : "use printable characters only"));
            }
        }
    }
}
