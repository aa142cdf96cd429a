package dev.agentmemory.cli.internal;

import dev.agentmemory.error.MemoryException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.SessionId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses option values; a bad value is a usage error (exit code 2) that says what would be valid. */
final class Converters {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhdw])");

    private Converters() {
    }

    /**
     * Parses {@code user:ID}, {@code api_key:ID} or {@code service_account:ID}: who an operator's writes are
     * attributed to.
     */
    static Actor operatorActor(String value) {
        Actor a = anyActor(value);
        if (a.type() == Actor.Type.SESSION) {
            throw new TypeConversionException("'" + value + "': operator writes are attributed to user:ID, api_key:ID"
                    + " or service_account:ID, not to a session");
        }
        return a;
    }

    static Actor anyActor(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new TypeConversionException("'" + value + "' is not an actor; expected TYPE:ID, for example"
                    + " user:alice, api_key:key_1, service_account:ci or session:sesn_...");
        }
        String type = value.substring(0, colon).toLowerCase(Locale.ROOT);
        String id = value.substring(colon + 1);
        try {
            return switch (type) {
                case "user", "user_actor" -> Actor.user(id);
                case "api_key", "apikey", "api", "api_actor" -> Actor.apiKey(id);
                case "service_account", "svac", "service_account_actor" -> Actor.serviceAccount(id);
                case "session", "session_actor" -> Actor.session(SessionId.of(id));
                default -> throw new TypeConversionException("unknown actor type '" + type
                        + "'; expected user, api_key, service_account or session");
            };
        } catch (MemoryException | IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a valid actor: " + e.getMessage());
        }
    }

    /** Formats an actor as memctl reads it: {@code user:alice}, {@code session:sesn_...}. */
    static String format(Actor a) {
        String type = switch (a.type()) {
            case SESSION -> "session";
            case API_KEY -> "api_key";
            case USER -> "user";
            case SERVICE_ACCOUNT -> "service_account";
        };
        return type + ":" + a.id();
    }

    /** Parses an instant: {@code 2026-11-25T10:00:00Z}, an offset date-time, or a date (midnight UTC). */
    static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a time; expected 2026-11-25T10:00:00Z,"
                    + " 2026-11-25T12:00:00+02:00 or 2026-11-25 (midnight UTC)");
        }
    }

    /** Parses a duration: {@code 30d}, {@code 12h}, {@code 15m}, {@code 45s}, {@code 2w} or ISO-8601 ({@code P30D}). */
    static Duration duration(String value) {
        Matcher m = SHORT_DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative; a duration must be 0 or more");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; expected for example 30d, 12h,"
                    + " 15m, 45s, 2w or P30D");
        }
    }

    /** Picocli converter for {@link #operatorActor}. */
    static final class OperatorActor implements ITypeConverter<Actor> {
        @Override
        public Actor convert(String value) {
            return operatorActor(value);
        }
    }

    /** Picocli converter for {@link #anyActor}. */
    static final class AnyActor implements ITypeConverter<Actor> {
        @Override
        public Actor convert(String value) {
            return anyActor(value);
        }
    }

    /** Picocli converter for {@link #instant}. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return instant(value);
        }
    }

    /** Picocli converter for {@link #duration}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value);
        }
    }
}
