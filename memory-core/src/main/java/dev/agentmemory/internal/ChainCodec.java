package dev.agentmemory.internal;

import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.StoreId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The canonical encoding of a store's hash chain, defined once here and in the security guide. All hashes are
 * SHA-256, written as 64 lowercase hex digits; inside an encoding a hash is its 32 raw bytes.
 *
 * <pre>
 * str(s)  = u32 big-endian length of UTF-8(s) ‖ UTF-8(s)
 * opt(s)  = 0x00 if absent, else 0x01 ‖ str(s)
 * u64(n)  = 8 bytes big-endian;   time(t) = u64(microseconds since the epoch)
 * leaf    = SHA-256("agent-memory/leaf/v1" ‖ 0x00 ‖ salt[32] ‖ opt(path) ‖ opt(content))
 * link    = SHA-256(tag ‖ 0x00 ‖ previous link hash[32] ‖ metadata ‖ leaf-or-gap-hash[32])
 *           tag = "agent-memory/link/v2" for a version link, "agent-memory/link/v1" for redaction and gap links
 * metadata of a version   = str("version") ‖ u64(position) ‖ str(store id) ‖ str(version id) ‖ str(memory id)
 *                           ‖ str(operation) ‖ str(actor type) ‖ str(actor id) ‖ time(created at)
 *                           ‖ u32(number of policy redactions) ‖ str(rule id) for each, in the version's order
 * metadata of a redaction = str("redaction") ‖ u64(position) ‖ str(store id) ‖ str(version id)
 *                           ‖ str(redactor type) ‖ str(redactor id) ‖ time(redacted at)      (with the version's leaf)
 * metadata of a gap       = str("gap") ‖ u64(position) ‖ str(store id) ‖ u64(gap end) ‖ time(created at)
 *                                                                                             (with the gap's hash)
 * </pre>
 *
 * <p>Version links sealed before the policy redactions were covered use the tag {@code "agent-memory/link/v1"} and
 * end their metadata at the creation time ({@link #versionLinkV1}); the two tags differ, so a link's stored hash
 * matches at most one encoding, and a verifier tries the current one first, then the first. No stored marker is
 * needed: whichever encoding reproduces the stored hash is the one the link was sealed with, and changing the
 * policy redactions of a version-2 link matches neither.
 *
 * <p>The first link's previous hash is 32 zero bytes. Operations and actor types are their wire names
 * ({@code created}, {@code user_actor}, ...). The path and content are the leaf's, not the metadata's, because
 * redaction erases them: the leaf survives, the salt does not, so nothing is left to test a guess against. Thread-safe.
 */
final class ChainCodec {

    private static final byte[] LEAF_TAG = "agent-memory/leaf/v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINK_TAG = "agent-memory/link/v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION_LINK_TAG = "agent-memory/link/v2\0".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<SaltSource> SALTS = ThreadLocal.withInitial(SaltSource::new);

    private ChainCodec() {
    }

    /** @return a fresh random salt, 32 bytes in hex */
    static String newSalt() {
        return Contents.hex(SALTS.get().take32());
    }

    /** @return a fresh random salt of 32 bytes, the caller's own */
    static byte[] newSaltBytes() {
        return SALTS.get().take32();
    }

    static String leaf(String salt, Optional<String> path, Optional<String> content) {
        return Contents.hex(leaf(Enc.start().raw(LEAF_TAG).hash(salt), path, content));
    }

    /**
     * The leaf as raw bytes, from a raw salt: what a write seals with, without writing the salt in hex and reading it
     * back.
     */
    static byte[] leaf(byte[] salt, Optional<String> path, Optional<String> content) {
        if (salt.length != 32) {
            throw new IllegalArgumentException("a salt is 32 bytes: " + salt.length);
        }
        return leaf(Enc.start().raw(LEAF_TAG).raw(salt), path, content);
    }

    private static byte[] leaf(Enc e, Optional<String> path, Optional<String> content) {
        e.opt(path);
        if (content.isEmpty()) {
            e.u8(0);
        } else {
            // the bytes the write itself encoded or was given, when this is that text: no second encoding
            byte[] bytes = Contents.utf8BytesOf(content.get());
            e.u8(1).u32(bytes.length).raw(bytes);
        }
        return e.digest();
    }

    /** The link of a version as sealed now: its metadata covers the policy redactions (tag link/v2). */
    static String versionLink(String prev, long position, MemoryVersion v, String leaf) {
        return versionLink(versionLinkStart(prev, position, v).hash(leaf));
    }

    /** The same, with the leaf as raw bytes. */
    static String versionLink(String prev, long position, MemoryVersion v, byte[] leaf) {
        if (leaf.length != 32) {
            throw new IllegalArgumentException("a leaf is 32 bytes: " + leaf.length);
        }
        return versionLink(versionLinkStart(prev, position, v).raw(leaf));
    }

    private static Enc versionLinkStart(String prev, long position, MemoryVersion v) {
        Enc e = Enc.start();
        e.raw(VERSION_LINK_TAG).hash(prev);
        versionMetadata(e, position, v).u32(v.policyRedactions().size());
        for (String rule : v.policyRedactions()) {
            e.str(rule);
        }
        return e;
    }

    private static String versionLink(Enc withLeaf) {
        return withLeaf.sha256();
    }

    /**
     * The link of a version as sealed before its policy redactions were covered (tag link/v1): only verified, never
     * sealed any more.
     */
    static String versionLinkV1(String prev, long position, MemoryVersion v, String leaf) {
        Enc e = Enc.start();
        e.raw(LINK_TAG).hash(prev);
        versionMetadata(e, position, v).hash(leaf);
        return e.sha256();
    }

    private static Enc versionMetadata(Enc e, long position, MemoryVersion v) {
        return e.str("version").u64(position).str(v.storeId().value()).str(v.id().value()).str(v.memoryId().value())
                .str(v.operation().wireName()).actor(v.createdBy()).time(v.createdAt());
    }

    static String redactionLink(String prev, long position, MemoryVersion v, String leaf) {
        Enc e = Enc.start();
        e.raw(LINK_TAG).hash(prev).str("redaction").u64(position).str(v.storeId().value()).str(v.id().value())
                .actor(v.redactedBy().orElseThrow()).time(v.redactedAt().orElseThrow()).hash(leaf);
        return e.sha256();
    }

    static String gapLink(String prev, long position, StoreId storeId, long gapEnd, Instant createdAt,
            String gapHash) {
        Enc e = Enc.start();
        e.raw(LINK_TAG).hash(prev).str("gap").u64(position).str(storeId.value()).u64(gapEnd).time(createdAt)
                .hash(gapHash);
        return e.sha256();
    }

    /** Microseconds since the epoch, as every backend stores instants. */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    /**
     * A byte string fed to SHA-256 as it is built, without collecting it first: the content is encoded to UTF-8 once
     * and handed to the digest, and each thread keeps its digest.
     */
    private static final class Enc {
        private static final ThreadLocal<Enc> ENC = ThreadLocal.withInitial(Enc::new);

        private final MessageDigest md;
        private final byte[] scratch = new byte[32];
        /**
         * The last hash this encoder wrote in hex ({@link #sha256()}) and its raw bytes: the next link of a chain
         * starts from the hash of the link before, which is usually that very string, so it is not parsed back.
         * Matched by identity, so the bytes are exact.
         */
        private String lastHex;
        private byte[] lastRaw;
        /** Whether an encoding began and did not reach {@link #sha256()} (it failed half-way): reset before reuse. */
        private boolean dirty;

        private Enc() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        /** @return this thread's encoder, empty */
        static Enc start() {
            Enc e = ENC.get();
            if (e.dirty) {
                e.md.reset();
            }
            e.dirty = true;
            return e;
        }

        Enc raw(byte[] b) {
            md.update(b);
            return this;
        }

        Enc hash(String hex) {
            if (hex == lastHex) {
                md.update(lastRaw, 0, 32);
                return this;
            }
            if (hex.length() != 64) {
                return raw(HEX.parseHex(hex)); // not a SHA-256: encoded as it is, as before
            }
            for (int i = 0; i < 32; i++) {
                scratch[i] = (byte) ((HexFormat.fromHexDigit(hex.charAt(2 * i)) << 4)
                        | HexFormat.fromHexDigit(hex.charAt(2 * i + 1)));
            }
            md.update(scratch, 0, 32);
            return this;
        }

        Enc u8(int n) {
            md.update((byte) n);
            return this;
        }

        Enc u32(int n) {
            scratch[0] = (byte) (n >>> 24);
            scratch[1] = (byte) (n >>> 16);
            scratch[2] = (byte) (n >>> 8);
            scratch[3] = (byte) n;
            md.update(scratch, 0, 4);
            return this;
        }

        Enc u64(long n) {
            u32((int) (n >>> 32));
            return u32((int) n);
        }

        Enc time(Instant t) {
            return u64(micros(t));
        }

        Enc str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            return raw(b);
        }

        Enc opt(Optional<String> s) {
            if (s.isEmpty()) {
                md.update((byte) 0);
                return this;
            }
            md.update((byte) 1);
            return str(s.get());
        }

        Enc actor(Actor a) {
            return str(a.type().wireName()).str(a.id());
        }

        byte[] digest() {
            byte[] out = md.digest(); // digest() leaves the digest reset
            dirty = false;
            return out;
        }

        String sha256() {
            byte[] raw = md.digest(); // digest() leaves the digest reset
            dirty = false;
            String hex = Contents.hex(raw);
            lastRaw = raw;
            lastHex = hex;
            return hex;
        }
    }

    /**
     * Random bytes for salts from a per-thread generator ({@link Randoms}), fetched in blocks; each byte is used once.
     */
    private static final class SaltSource {
        private final SecureRandom random = Randoms.newGenerator();
        private final byte[] block = new byte[32 * 32];
        private int pos = block.length;

        byte[] take32() {
            if (pos + 32 > block.length) {
                random.nextBytes(block);
                pos = 0;
            }
            byte[] out = Arrays.copyOfRange(block, pos, pos + 32);
            Arrays.fill(block, pos, pos + 32, (byte) 0);
            pos += 32;
            return out;
        }
    }
}
