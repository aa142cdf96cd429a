package dev.agentmemory.internal;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Makes ids; the value types check their syntax ({@link dev.agentmemory.model.internal.IdRules}).
 *
 * <p>A made id is its prefix followed by 29 characters of lowercase Crockford base32 encoding 145 bits: 48 bits of
 * milliseconds since the epoch, a 16-bit counter that orders ids made in the same millisecond by this process, and
 * 80 bits from a {@link SecureRandom}. Ids therefore sort by creation time as strings and cannot be guessed.
 * Thread-safe.
 */
public final class Ids {

    private static final String DIGITS = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final char[] ALPHABET = DIGITS.toCharArray();
    /** Each character's digit value, or -1 for a character that is no digit (ASCII only). */
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
        }
    }

    private final Clock clock;
    private long lastMillis = -1;
    private int counter;
    private final ThreadLocal<RandomBuffer> random = ThreadLocal.withInitial(RandomBuffer::new);

    /**
     * Creates an id maker.
     *
     * @param clock the clock whose milliseconds lead each id
     */
    public Ids(Clock clock) {
        this.clock = clock;
    }

    /**
     * Makes a new id.
     *
     * @param prefix for example {@code mem_}
     * @return the id string
     */
    public String next(String prefix) {
        return next(prefix, clock.millis(), -1);
    }

    /**
     * Makes a new id led by a time the caller has just read from this maker's clock: a write reads the clock once
     * for its timestamp and its ids alike.
     *
     * @param prefix for example {@code mem_}
     * @param millis milliseconds since the epoch, read from the clock this maker was made with
     * @return the id string
     */
    String next(String prefix, long millis) {
        return next(prefix, millis, -1);
    }

    /**
     * Makes a new id that sorts after {@code floor}, an id made by this class, possibly in another process: a new
     * version of a memory must sort after the version it follows, and the 16-bit counter alone orders only the ids
     * that one process makes in one millisecond. If the id made now would not sort after {@code floor}, it takes the
     * time and counter that come right after the floor's (and the ids this maker makes next sort after it). A floor
     * not made by this class (another length or alphabet) is ignored.
     *
     * @param prefix for example {@code memver_}
     * @param floor an id with the same prefix that the new id must sort after
     * @return the id string
     */
    public String nextAfter(String prefix, String floor) {
        return next(prefix, clock.millis(), timeAndCounter(prefix, floor));
    }

    /**
     * {@link #nextAfter(String, String)} led by a time the caller has just read from this maker's clock.
     *
     * @param prefix for example {@code memver_}
     * @param floor an id with the same prefix that the new id must sort after
     * @param millis milliseconds since the epoch, read from the clock this maker was made with
     * @return the id string
     */
    String nextAfter(String prefix, String floor, long millis) {
        return next(prefix, millis, timeAndCounter(prefix, floor));
    }

    /** The 64 bits of time and counter of an id made by this class, or -1 for any other string. */
    private static long timeAndCounter(String prefix, String id) {
        if (!id.startsWith(prefix) || id.length() != prefix.length() + 29) {
            return -1;
        }
        long hi = 0;
        for (int i = 0; i < 13; i++) {
            char ch = id.charAt(prefix.length() + i);
            int digit = ch < VALUES.length ? VALUES[ch] : -1;
            // the first character holds the leading zero bit and 4 time bits
            if (digit < 0 || i == 0 && digit > 15) {
                return -1;
            }
            hi = (hi << 5) | digit;
        }
        return hi;
    }

    private String next(String prefix, long now, long floor) {
        long millis;
        int count;
        synchronized (this) {
            millis = Math.max(now, lastMillis);
            if (millis == lastMillis) {
                if (++counter > 0xFFFF) {
                    millis = ++lastMillis;
                    counter = 0;
                }
            } else {
                lastMillis = millis;
                counter = 0;
            }
            if (floor >= 0 && (((millis & 0xFFFF_FFFF_FFFFL) << 16) | counter) <= floor) {
                millis = (floor + 1) >>> 16;
                counter = (int) ((floor + 1) & 0xFFFF);
                lastMillis = millis;
            }
            count = counter;
        }
        RandomBuffer rb = random.get();
        byte[] rnd = rb.block;
        int at = rb.take10();
        // 145 bits: 1 zero bit, 48 time bits, 16 counter bits, 80 random bits -> 29 base32 digits.
        long hi = ((millis & 0xFFFF_FFFF_FFFFL) << 16) | count; // 64 bits
        long lo = 0;
        for (int i = at; i < at + 8; i++) {
            lo = (lo << 8) | (rnd[i] & 0xFF);
        }
        int tail = ((rnd[at + 8] & 0xFF) << 8) | (rnd[at + 9] & 0xFF); // 16 bits
        java.util.Arrays.fill(rnd, at, at + 10, (byte) 0); // each random byte is used once
        char[] out = new char[prefix.length() + 29];
        prefix.getChars(0, prefix.length(), out, 0);
        // Bit stream: hi (64) | lo (64) | tail (16) = 144 bits, preceded by one zero bit = 145 = 29 * 5.
        int pos = out.length - 1;
        long a = hi;
        long b = lo;
        int c = tail;
        for (int i = 0; i < 29; i++) {
            out[pos--] = ALPHABET[c & 31];
            // shift the 144-bit number (a:b:c) right by 5
            c = (c >>> 5) | (int) ((b & 31) << 11);
            b = (b >>> 5) | ((a & 31) << 59);
            a = a >>> 5;
        }
        return new String(out);
    }

    /** Random bytes from a per-thread generator ({@link Randoms}), fetched in blocks to keep id making cheap. */
    private static final class RandomBuffer {
        private final SecureRandom random = Randoms.newGenerator();
        private final byte[] block = new byte[1000];
        private int pos = block.length;

        /** @return where the next 10 unused bytes of {@link #block} start; the caller zeroes them once read */
        int take10() {
            if (pos + 10 > block.length) {
                random.nextBytes(block);
                pos = 0;
            }
            int at = pos;
            pos += 10;
            return at;
        }
    }
}
