package dev.agentmemory.internal;

import java.util.Locale;
import java.util.Set;

/** Mount slugs: a store's name lowercased, each run of characters other than a-z and 0-9 turned into one '-'. */
public final class Slugs {

    private Slugs() {
    }

    /**
     * Makes the slug of a name. Leading and trailing dashes are dropped; a name with no letter or digit gives
     * {@code memory}.
     *
     * @param name the store's name
     * @return for "Demo Memory", {@code demo-memory}
     */
    public static String of(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        boolean dash = false;
        for (int i = 0; i < lower.length(); i++) {
            char ch = lower.charAt(i);
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                if (dash && b.length() > 0) {
                    b.append('-');
                }
                dash = false;
                b.append(ch);
            } else {
                dash = true;
            }
        }
        return b.length() == 0 ? "memory" : b.toString();
    }

    /**
     * Makes a slug unique among those taken: {@code name}, else {@code name-2}, {@code name-3}, ...
     *
     * @param slug the wanted slug
     * @param taken the slugs taken so far
     * @return a slug not in {@code taken}
     */
    public static String unique(String slug, Set<String> taken) {
        if (!taken.contains(slug)) {
            return slug;
        }
        for (int n = 2; ; n++) {
            String candidate = slug + "-" + n;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }
}
