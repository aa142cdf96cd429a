package dev.agentmemory;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.ProgressListener;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.model.ChainCheckpoint;
import dev.agentmemory.model.SignedCheckpoint;
import dev.agentmemory.model.StoreId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Signed checkpoints of a store's hash chain: Ed25519 (built into the JDK) over the store id, the chain length and
 * head, and the signing time, with a host key. An operator signs the head of a verified chain, publishes the result
 * somewhere the database's users cannot change (a ticket, a transparency log, another system), and later verifies the
 * store against it with {@link StoreAdmin#verify(dev.agentmemory.model.StoreId, ChainCheckpoint, ProgressListener)}.
 * Keys are kept as PEM text: PKCS#8 for the private key, X.509 for the public key. Thread-safe: it holds no state.
 */
public final class Checkpoints {

    /** The signature algorithm. */
    public static final String ALGORITHM = "Ed25519";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    /**
     * Makes a new host key pair.
     *
     * @return an Ed25519 key pair
     */
    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519 (Java 15 and later do)", e);
        }
    }

    /**
     * The bytes a signature covers, in UTF-8: {@code agent-memory checkpoint v1}, then the store id, the length in
     * decimal, the head in hex and the signing time in ISO-8601 (microseconds at most), each on a line of its own
     * ending in {@code \n}.
     *
     * @param checkpoint the checkpoint
     * @param signedAt when it is signed
     * @return the bytes
     */
    public static byte[] signedBytes(ChainCheckpoint checkpoint, Instant signedAt) {
        return ("agent-memory checkpoint v1\n" + checkpoint.storeId().value() + "\n" + checkpoint.length() + "\n"
                + checkpoint.head() + "\n" + signedAt + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Signs a checkpoint.
     *
     * @param checkpoint the checkpoint, for example {@link dev.agentmemory.model.ChainReport#head()} of a verified
     *     chain
     * @param keys the host key pair
     * @param signedAt when it is signed (truncated to microseconds)
     * @return the signed checkpoint
     * @throws InvalidArgumentException if the key is not an Ed25519 key
     */
    public static SignedCheckpoint sign(ChainCheckpoint checkpoint, KeyPair keys, Instant signedAt) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(keys, "keys");
        Instant at = signedAt.truncatedTo(ChronoUnit.MICROS);
        try {
            Signature sig = Signature.getInstance(ALGORITHM);
            sig.initSign(keys.getPrivate());
            sig.update(signedBytes(checkpoint, at));
            return new SignedCheckpoint(checkpoint, at, keyId(keys.getPublic()),
                    Base64.getEncoder().encodeToString(sig.sign()));
        } catch (GeneralSecurityException e) {
            throw new InvalidArgumentException("checkpoint.key", "cannot sign with this key (" + e.getMessage()
                    + "); checkpoints are signed with an Ed25519 key");
        }
    }

    /**
     * Checks a signed checkpoint's signature.
     *
     * @param signed the signed checkpoint
     * @param publicKey the host's public key
     * @return true if the key signed exactly this checkpoint and time
     */
    public static boolean verifySignature(SignedCheckpoint signed, PublicKey publicKey) {
        try {
            Signature sig = Signature.getInstance(ALGORITHM);
            sig.initVerify(publicKey);
            sig.update(signedBytes(signed.checkpoint(), signed.signedAt()));
            return sig.verify(Base64.getDecoder().decode(signed.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Names a public key: the first 16 hex digits of the SHA-256 of its X.509 encoding.
     *
     * @param publicKey the key
     * @return the id
     */
    public static String keyId(PublicKey publicKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Writes a host key pair as PEM text: the private key ({@code PRIVATE KEY}, PKCS#8) followed by the public key
     * ({@code PUBLIC KEY}, X.509). Keep it secret; publish only {@link #publicKeyPem(PublicKey)}.
     *
     * @param keys the key pair
     * @return the PEM text
     */
    public static String keyPairPem(KeyPair keys) {
        return pem("PRIVATE KEY", keys.getPrivate().getEncoded()) + publicKeyPem(keys.getPublic());
    }

    /**
     * Writes a public key as PEM ({@code PUBLIC KEY}, X.509).
     *
     * @param key the key
     * @return the PEM text
     */
    public static String publicKeyPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /**
     * Reads a host key pair written by {@link #keyPairPem(KeyPair)}.
     *
     * @param pem both PEM blocks
     * @return the key pair
     * @throws InvalidArgumentException if either key is missing or not an Ed25519 key
     */
    public static KeyPair readKeyPair(String pem) {
        try {
            PrivateKey priv = KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(unpem("PRIVATE KEY", pem)));
            return new KeyPair(readPublicKey(pem), priv);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidArgumentException("checkpoint.key", "not an Ed25519 host key (a PKCS#8 PRIVATE KEY"
                    + " block and an X.509 PUBLIC KEY block): " + e.getMessage());
        }
    }

    /**
     * Reads a public key from PEM text.
     *
     * @param pem the public key, X.509 PEM
     * @return the key
     * @throws InvalidArgumentException if it is not an Ed25519 public key
     */
    public static PublicKey readPublicKey(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem("PUBLIC KEY", pem)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidArgumentException("checkpoint.key", "not an Ed25519 public key in X.509 PEM: "
                    + e.getMessage());
        }
    }

    /**
     * Reads a signed checkpoint from its JSON form ({@link dev.agentmemory.wire.WireJson#signedCheckpoint}).
     *
     * @param json one JSON object
     * @return the signed checkpoint
     * @throws InvalidArgumentException if it is malformed
     */
    public static SignedCheckpoint parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject() || !"memory_chain_checkpoint".equals(n.path("type").asText())) {
                throw bad("expected an object of type memory_chain_checkpoint");
            }
            if (!ALGORITHM.equals(n.path("algorithm").asText())) {
                throw bad("algorithm must be " + ALGORITHM);
            }
            if (!n.path("length").isIntegralNumber()) {
                throw bad("length must be an integer");
            }
            ChainCheckpoint cp = new ChainCheckpoint(StoreId.of(text(n, "memory_store_id")),
                    n.get("length").asLong(), text(n, "head"));
            return new SignedCheckpoint(cp, Instant.parse(text(n, "signed_at")), text(n, "key_id"),
                    text(n, "signature"));
        } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
            if (e instanceof InvalidArgumentException iae) {
                throw iae;
            }
            throw bad(e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw bad("field " + field + " must be a string");
        }
        return v.asText();
    }

    private static InvalidArgumentException bad(String why) {
        return new InvalidArgumentException("checkpoint.malformed", "not a signed checkpoint: " + why);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String type, String pem) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("no " + begin + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    }
}
