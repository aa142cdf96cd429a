package dev.agentmemory.model.internal;

import dev.agentmemory.error.InvalidArgumentException;

/**
 * The syntax of ids, checked by the id value types when they are made, and the printable form of a string that a
 * message quotes. Stateless and thread-safe.
 */
public final class IdRules {

    private static final int MAX_LENGTH = 128;

    private IdRules() {
    }

    /**
     * Checks an id made by this library or by the hosted API: the prefix, then at least one letter, digit, {@code _}
     * or {@code -}, and at most 128 characters in all.
     *
     * @param prefix the expected prefix
     * @param value the id
     * @param type the id type's name, for the message
     */
    public static void checkSyntax(String prefix, String value, String type) {
        if (value == null) {
            throw new InvalidArgumentException("id", type + " is required");
        }
        boolean ok = value.startsWith(prefix) && value.length() > prefix.length() && value.length() <= MAX_LENGTH;
        for (int i = prefix.length(); ok && i < value.length(); i++) {
            char ch = value.charAt(i);
            ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'
                    || ch == '-';
        }
        if (!ok) {
            throw new InvalidArgumentException("id", "'" + printable(value) + "' is not a " + type + ": it starts with '" + prefix
                    + "' followed by letters, digits, '_' or '-', at most " + MAX_LENGTH + " characters in all");
        }
    }

    /**
     * Checks an id that belongs to the host application (a workspace, user, API key or service account id): 1 to 255
     * characters, no control or white-space characters.
     *
     * @param value the id
     * @param what the id's kind, for the message
     */
    public static void checkExternal(String value, String what) {
        if (value == null) {
            throw new InvalidArgumentException("id", what + " is required");
        }
        boolean ok = !value.isEmpty() && value.length() <= 255;
        for (int i = 0; ok && i < value.length(); i += Character.charCount(value.codePointAt(i))) {
            int cp = value.codePointAt(i);
            // a paired surrogate is one supplementary character; an unpaired one is not text
            int type = Character.getType(cp);
            ok = type != Character.SURROGATE && type != Character.FORMAT && !Character.isISOControl(cp)
                    && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp);
        }
        if (!ok) {
            throw new InvalidArgumentException("id", "'" + printable(value) + "' is not a valid " + what
                    + ": use 1 to 255 characters without white space, control or format characters");
        }
    }

    /**
     * Shows a string in a message with control and format characters escaped, and cut if long.
     *
     * @param s the string
     * @return a printable form
     */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        int limit = Math.min(s.length(), 200);
        for (int i = 0; i < limit; i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT || Character.isSurrogate(ch)) {
                b.append(String.format("\\u%04X", (int) ch));
            } else {
                b.append(ch);
            }
        }
        if (s.length() > limit) {
            b.append("...");
        }
        return b.toString();
    }
}
