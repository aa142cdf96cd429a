package dev.agentmemory.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** The slow hash API key secrets are stored as (PBKDF2-HMAC-SHA256 from the JDK), and a fast fingerprint. */
public final class KeyHashing {

    /** The algorithm name recorded beside each hash. */
    public static final String ALGORITHM = "PBKDF2WithHmacSHA256";

    private KeyHashing() {
    }

    /**
     * Hashes a secret.
     *
     * @param secret the secret
     * @param salt its salt
     * @param iterations the iteration count
     * @return the 256-bit hash, base64
     */
    public static String pbkdf2(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
        try {
            return Base64.getEncoder().encodeToString(
                    SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * Returns a SHA-256 fingerprint of a text, in hex.
     *
     * @param text the text
     * @return the fingerprint
     */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
