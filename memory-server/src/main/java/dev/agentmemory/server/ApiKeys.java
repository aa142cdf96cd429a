package dev.agentmemory.server;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.server.internal.KeyHashing;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * The server's API keys, kept in the server's own table of the memory database: created for one workspace, listed,
 * revoked, and checked on every request. A secret is stored only as a PBKDF2-HMAC-SHA256 hash with a random salt and
 * {@value #ITERATIONS} iterations, so a copy of the database does not yield usable keys.
 *
 * <p>A secret reads {@code amk_<key id suffix>_<random>}: the key's id is found from it without a scan, and only that
 * key's hash is computed. A successful check is remembered in this process (by a SHA-256 of the secret, never the
 * secret itself; at most {@value #MAX_REMEMBERED} keys), so the slow hash runs once per key and process. The key's row
 * is read again when the remembered check is older than the recheck interval ({@link #DEFAULT_RECHECK} unless
 * {@link #recheckingEvery} says otherwise): a key revoked through this object is refused at once, and a key revoked
 * by another process (another server on the same PostgreSQL, {@code memctl keys revoke}) is refused by this one
 * within the interval. An interval of zero reads the row on every check. A check that is in flight while its key is
 * revoked through this object is not remembered (this object keeps the id of each key revoked through it).
 *
 * <p>Thread-safe.
 */
public final class ApiKeys {

    /** The PBKDF2 iteration count of keys created now; each key records its own. */
    public static final int ITERATIONS = 600_000;

    static final String SECRET_PREFIX = "amk_";
    private static final String ID_PREFIX = "apikey_";
    private static final int ID_LENGTH = 20;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    static final int MAX_REMEMBERED = 10_000;

    /** How long a successful check is trusted before the key's row is read again: one second. */
    public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Verified> verified;
    private final ConcurrentHashMap<String, Object> checking;
    private final Set<String> revokedHere;
    private final long recheckNanos;
    private final LongSupplier nanos;

    /** A secret whose hash matched: the key as last read, and when (on {@link #nanos}). */
    private record Verified(ApiKey key, long readAt) {
    }

    /**
     * Uses the server's key table in a database whose server schema is up to date (the server and
     * {@link ServerDatabase} migrate it on open).
     *
     * @param dataSource the database
     * @param clock stamps creation and revocation
     */
    public ApiKeys(DataSource dataSource, Clock clock) {
        this(dataSource, clock, new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet(),
                DEFAULT_RECHECK.toNanos(), System::nanoTime);
    }

    private ApiKeys(DataSource dataSource, Clock clock, ConcurrentHashMap<String, Verified> verified,
            ConcurrentHashMap<String, Object> checking, Set<String> revokedHere, long recheckNanos,
            LongSupplier nanos) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.verified = verified;
        this.checking = checking;
        this.revokedHere = revokedHere;
        this.recheckNanos = recheckNanos;
        this.nanos = nanos;
    }

    /**
     * Returns these keys with another recheck interval, sharing what this object remembers (so a revocation through
     * either is refused by both at once).
     *
     * @param interval how long a successful check is trusted before the key's row is read again; zero reads it on
     *     every check; at most one hour
     * @param nanos the monotonic clock, {@link System#nanoTime()} outside tests
     * @return the keys
     * @throws IllegalArgumentException if the interval is negative or over an hour
     */
    public ApiKeys recheckingEvery(Duration interval, LongSupplier nanos) {
        if (interval.isNegative() || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("the key recheck interval must be 0 to 1 hour, not " + interval);
        }
        return new ApiKeys(dataSource, clock, verified, checking, revokedHere, interval.toNanos(), nanos);
    }

    /**
     * Creates a key for a workspace.
     *
     * @param workspaceId the workspace the key will reach, and no other
     * @param name a label, 1 to 255 characters
     * @return the key and its secret, shown only now
     * @throws InvalidArgumentException if the name is empty or too long
     */
    public NewApiKey create(WorkspaceId workspaceId, String name) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw new InvalidArgumentException("api_key.name", "a key's name must be 1 to 255 characters");
        }
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < ID_LENGTH; i++) {
            suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = SECRET_PREFIX + suffix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String hash = KeyHashing.pbkdf2(secret, salt, ITERATIONS);
        ApiKey key = new ApiKey(ID_PREFIX + suffix, workspaceId, name, clock.instant(), Optional.empty());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO agent_memory_server_api_keys (id, workspace_id, name, algorithm, iterations, salt, hash,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.id());
            ps.setString(2, workspaceId.value());
            ps.setString(3, name);
            ps.setString(4, KeyHashing.ALGORITHM);
            ps.setInt(5, ITERATIONS);
            ps.setString(6, Base64.getEncoder().encodeToString(salt));
            ps.setString(7, hash);
            ps.setLong(8, key.createdAt().toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("cannot store the new key: " + e.getMessage(), e);
        }
        return new NewApiKey(key, secret);
    }

    /**
     * Revokes a key: every later request with it is refused. Revoking a revoked key changes nothing.
     *
     * @param keyId the key's id
     * @return the key as revoked
     * @throws NotFoundException if there is no such key
     */
    public ApiKey revoke(String keyId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE agent_memory_server_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            ps.setLong(1, clock.millis());
            ps.setString(2, keyId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("cannot revoke the key: " + e.getMessage(), e);
        }
        // First marked, then forgotten: a check that read the row before the UPDATE and remembers it afterwards
        // either finds the mark (and forgets itself) or is forgotten here.
        revokedHere.add(keyId);
        verified.values().removeIf(v -> v.key().id().equals(keyId));
        return find(keyId).orElseThrow(() -> new NotFoundException("no API key " + keyId
                + "; 'memctl keys list' shows the keys"));
    }

    /**
     * Returns a key by id.
     *
     * @param keyId the key's id
     * @return the key, or empty
     */
    public Optional<ApiKey> find(String keyId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, workspace_id, name, created_at, revoked_at FROM agent_memory_server_api_keys WHERE id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the key: " + e.getMessage(), e);
        }
    }

    /**
     * Lists keys, oldest first.
     *
     * @param workspaceId only this workspace's keys, or every workspace's if empty
     * @return the keys, revoked ones included
     */
    public List<ApiKey> list(Optional<WorkspaceId> workspaceId) {
        String sql = "SELECT id, workspace_id, name, created_at, revoked_at FROM agent_memory_server_api_keys"
                + (workspaceId.isPresent() ? " WHERE workspace_id = ?" : "") + " ORDER BY created_at, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (workspaceId.isPresent()) {
                ps.setString(1, workspaceId.get().value());
            }
            List<ApiKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("cannot list the keys: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a secret as sent in {@code x-api-key}.
     *
     * @param secret the secret
     * @return the key it belongs to if it is valid and not revoked; empty otherwise (unknown, malformed, wrong or
     *     revoked: the caller cannot tell which)
     */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX) || secret.length() > 200
                || secret.length() < SECRET_PREFIX.length() + ID_LENGTH + 2
                || secret.charAt(SECRET_PREFIX.length() + ID_LENGTH) != '_') {
            return Optional.empty();
        }
        String suffix = secret.substring(SECRET_PREFIX.length(), SECRET_PREFIX.length() + ID_LENGTH);
        for (int i = 0; i < suffix.length(); i++) {
            if (ALPHABET.indexOf(suffix.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String keyId = ID_PREFIX + suffix;
        String fingerprint = KeyHashing.sha256(secret);
        long arrived = nanos.getAsLong();
        Verified known = verified.get(fingerprint);
        if (known != null && known.key().id().equals(keyId) && arrived - known.readAt() < recheckNanos) {
            return Optional.of(known.key());
        }
        // One check of a secret at a time: requests arriving together with the same secret, when its remembered check
        // is missing or due, wait for one read of the key's row (and at most one slow hash) instead of each taking a
        // pooled connection of their own. A waiter takes the result of a read only if that read is within the
        // interval, or began after the waiter arrived (so an interval of zero still reads after every arrival).
        // The lock leaves the map when its check ends, so secrets that never verify (guesses) leave nothing behind;
        // requests already waiting on it still share that check, and a later arrival makes a new one.
        Object lock = checking.computeIfAbsent(fingerprint, f -> new Object());
        try {
            synchronized (lock) {
                Verified meanwhile = verified.get(fingerprint);
                if (meanwhile != null && meanwhile.key().id().equals(keyId)
                        && (meanwhile.readAt() - arrived > 0
                                || nanos.getAsLong() - meanwhile.readAt() < recheckNanos)) {
                    return Optional.of(meanwhile.key());
                }
                return check(secret, keyId, fingerprint, meanwhile);
            }
        } finally {
            checking.remove(fingerprint, lock);
        }
    }

    /** Reads the key's row and, unless {@code known} already vouches for this secret, computes its slow hash. */
    private Optional<ApiKey> check(String secret, String keyId, String fingerprint, Verified known) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, workspace_id, name, created_at, revoked_at, algorithm, iterations, salt, hash"
                        + " FROM agent_memory_server_api_keys WHERE id = ?")) {
            ps.setString(1, keyId);
            long readAt = nanos.getAsLong();
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    verified.remove(fingerprint);
                    return Optional.empty();
                }
                ApiKey key = read(rs);
                if (key.isRevoked()) {
                    verified.remove(fingerprint);
                    return Optional.empty();
                }
                if (known != null && known.key().id().equals(keyId)) {
                    return remember(fingerprint, new Verified(key, readAt));
                }
                if (!KeyHashing.ALGORITHM.equals(rs.getString("algorithm"))) {
                    return Optional.empty();   // fail closed on a row this server cannot check
                }
                byte[] salt = Base64.getDecoder().decode(rs.getString("salt"));
                String expected = rs.getString("hash");
                int iterations = rs.getInt("iterations");
                String actual = KeyHashing.pbkdf2(secret, salt, iterations);
                if (!MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                    return Optional.empty();
                }
                return remember(fingerprint, new Verified(key, readAt));
            }
        } catch (SQLException | IllegalArgumentException e) {
            if (e instanceof SQLException sql) {
                throw new StorageException("cannot check the key: " + sql.getMessage(), sql);
            }
            return Optional.empty();
        }
    }

    /** @return how many secrets are being checked now (each holds a lock object only while its check runs) */
    int checksInFlight() {
        return checking.size();
    }

    /**
     * Remembers a successful check, unless its key was revoked through these keys meanwhile (the row was read before
     * the revocation); past {@value #MAX_REMEMBERED} keys it forgets every other one first (they hash again).
     *
     * @return the key, or empty if it was revoked while it was being checked
     */
    private Optional<ApiKey> remember(String fingerprint, Verified v) {
        if (verified.size() >= MAX_REMEMBERED && !verified.containsKey(fingerprint)) {
            verified.clear();
            checking.clear();
        }
        verified.put(fingerprint, v);
        if (revokedHere.contains(v.key().id())) { // after the put: see revoke()
            verified.remove(fingerprint, v);
            return Optional.empty();
        }
        return Optional.of(v.key());
    }

    private static ApiKey read(ResultSet rs) throws SQLException {
        long revoked = rs.getLong("revoked_at");
        Optional<Instant> revokedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked));
        return new ApiKey(rs.getString("id"), WorkspaceId.of(rs.getString("workspace_id")), rs.getString("name"),
                Instant.ofEpochMilli(rs.getLong("created_at")), revokedAt);
    }
}
