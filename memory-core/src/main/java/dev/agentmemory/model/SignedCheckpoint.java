package dev.agentmemory.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A {@link ChainCheckpoint} signed with a host's Ed25519 key, ready to publish (its JSON form is
 * {@code dev.agentmemory.wire.WireJson#signedCheckpoint}). The signature covers the bytes
 * {@code dev.agentmemory.Checkpoints#signedBytes} defines: the store id, the length, the head and the signing time.
 *
 * @param checkpoint the checkpoint
 * @param signedAt when it was signed
 * @param keyId which key signed it: the first 16 hex digits of the SHA-256 of the public key's X.509 encoding
 * @param signature the Ed25519 signature, base64
 */
public record SignedCheckpoint(ChainCheckpoint checkpoint, Instant signedAt, String keyId, String signature) {

    /** Checks that every field is present. */
    public SignedCheckpoint {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(signedAt, "signedAt");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
    }
}
