package dev.agentmemory.server.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's query parameters, decoded strictly (percent-escapes must be complete and spell valid UTF-8) and checked
 * against the parameters the endpoint knows. Typed getters answer a 400 naming the parameter. Not thread-safe.
 */
public final class Query {

    private final Map<String, String> params;

    private Query(Map<String, String> params) {
        this.params = params;
    }

    /**
     * Parses a raw query string.
     *
     * @param raw the query, without {@code ?}, possibly null
     * @param known the parameters the endpoint accepts
     * @return the parameters
     * @throws ApiError 400 for a malformed escape, invalid UTF-8, an unknown or a repeated parameter
     */
    public static Query parse(String raw, Set<String> known) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
                if (!known.contains(name)) {
                    throw ApiError.invalid("unknown query parameter '" + name + "' (this endpoint accepts "
                            + String.join(", ", known.stream().sorted().toList()) + ")");
                }
                if (out.put(name, value) != null) {
                    throw ApiError.invalid("query parameter '" + name + "' is given twice");
                }
            }
        }
        return new Query(out);
    }

    /**
     * Percent-decodes one URL component strictly.
     *
     * @param s the component
     * @param plusIsSpace whether {@code +} means a space (query strings) or itself (paths)
     * @return the text
     * @throws ApiError 400 for an incomplete escape or bytes that are not UTF-8
     */
    public static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw ApiError.invalid("malformed percent-escape in the URL");
                }
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.invalid("the URL holds bytes that are not valid UTF-8");
        }
    }

    /**
     * @param name the parameter
     * @return its value, or empty
     */
    public Optional<String> string(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /**
     * @param name the parameter
     * @return its integer value, or empty
     * @throws ApiError 400 if it is not an integer
     */
    public Optional<Integer> integer(String name) {
        String v = params.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw ApiError.invalid(name + ": Input should be a valid integer, not '" + v + "'");
        }
    }

    /**
     * @param name the parameter
     * @return its boolean value, or empty
     * @throws ApiError 400 unless it is {@code true} or {@code false}
     */
    public Optional<Boolean> bool(String name) {
        String v = params.get(name);
        if (v == null) {
            return Optional.empty();
        }
        return switch (v) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw ApiError.invalid(name + ": Input should be true or false, not '" + v + "'");
        };
    }

    /**
     * @param name the parameter
     * @return its value as an instant, or empty
     * @throws ApiError 400 unless it is an RFC 3339 timestamp
     */
    public Optional<Instant> instant(String name) {
        String v = params.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiError.invalid(name + ": Input should be an RFC 3339 timestamp such as"
                    + " 2026-01-31T12:00:00Z, not '" + v + "'");
        }
    }

    /**
     * @param name the {@code view} parameter
     * @param full the default when absent
     * @return whether the view is {@code full}
     * @throws ApiError 400 unless it is {@code basic} or {@code full}
     */
    public boolean fullView(String name, boolean full) {
        String v = params.get(name);
        if (v == null) {
            return full;
        }
        return switch (v) {
            case "full" -> true;
            case "basic" -> false;
            default -> throw ApiError.invalid(name + ": Input should be 'basic' or 'full', not '" + v + "'");
        };
    }
}
