package dev.agentmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The canonical encoding of the hash chain, checked against the documented layout built here byte by byte, separately
 * from the library's encoder: a verifier written from the security guide computes the same hashes.
 */
class ChainCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String SALT = "11".repeat(32);
    private static final String PREV = "22".repeat(32);
    private static final Instant AT = Instant.parse("2026-03-01T12:00:00.123456Z");

    private static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes ascii(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Bytes b(int... bytes) {
            for (int x : bytes) {
                out.write(x);
            }
            return this;
        }

        Bytes hex(String h) {
            out.writeBytes(HEX.parseHex(h));
            return this;
        }

        Bytes str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        Bytes u64(long n) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(n).array());
            return this;
        }

        String sha256() throws Exception {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        }
    }

    private static MemoryVersion version(Optional<String> content) {
        return new MemoryVersion(VersionId.of("memver_01"), StoreId.of("memstore_01"), MemoryId.of("mem_01"),
                content.isPresent() ? Operation.MODIFIED : Operation.DELETED, Optional.of("/notes/é.md"), content,
                Optional.empty(), Optional.empty(), Actor.user("ada"), AT, Optional.empty(), Optional.empty());
    }

    @Test
    void leafIsTheSaltedPathAndContent() throws Exception {
        String expected = new Bytes().ascii("agent-memory/leaf/v1").b(0).hex(SALT).b(1).str("/notes/é.md").b(1)
                .str("hello").sha256();
        assertThat(ChainCodec.leaf(SALT, Optional.of("/notes/é.md"), Optional.of("hello"))).isEqualTo(expected);
        String deletion = new Bytes().ascii("agent-memory/leaf/v1").b(0).hex(SALT).b(1).str("/notes/é.md").b(0)
                .sha256();
        assertThat(ChainCodec.leaf(SALT, Optional.of("/notes/é.md"), Optional.empty())).isEqualTo(deletion);
        assertThat(ChainCodec.leaf(SALT, Optional.of("/notes/é.md"), Optional.of(""))).isNotEqualTo(deletion);
    }

    @Test
    void versionLinkCoversPreviousMetadataPolicyRedactionsAndLeaf() throws Exception {
        String leaf = "33".repeat(32);
        String none = new Bytes().ascii("agent-memory/link/v2").b(0).hex(PREV).str("version").u64(7)
                .str("memstore_01").str("memver_01").str("mem_01").str("modified").str("user_actor").str("ada")
                .u64(1772366400123456L).b(0, 0, 0, 0).hex(leaf).sha256();
        assertThat(ChainCodec.versionLink(PREV, 7, version(Optional.of("x")), leaf)).isEqualTo(none);

        MemoryVersion redacted = version(Optional.of("x")).withPolicyRedactions(List.of("github-token", "jwt"));
        String two = new Bytes().ascii("agent-memory/link/v2").b(0).hex(PREV).str("version").u64(7)
                .str("memstore_01").str("memver_01").str("mem_01").str("modified").str("user_actor").str("ada")
                .u64(1772366400123456L).b(0, 0, 0, 2).str("github-token").str("jwt").hex(leaf).sha256();
        assertThat(ChainCodec.versionLink(PREV, 7, redacted, leaf)).isEqualTo(two);
        // every change to the rules changes the link: removed, added, reordered, renamed
        for (List<String> other : List.of(List.<String>of(), List.of("github-token"), List.of("jwt", "github-token"),
                List.of("github-token", "jwt", "jwt"), List.of("github-token", "jwx"))) {
            assertThat(ChainCodec.versionLink(PREV, 7, redacted.withPolicyRedactions(other), leaf))
                    .as("rules %s", other).isNotEqualTo(two);
        }
    }

    @Test
    void firstVersionLinkEncodingStopsAtTheCreationTime() throws Exception {
        String leaf = "33".repeat(32);
        String expected = new Bytes().ascii("agent-memory/link/v1").b(0).hex(PREV).str("version").u64(7)
                .str("memstore_01").str("memver_01").str("mem_01").str("modified").str("user_actor").str("ada")
                .u64(1772366400123456L).hex(leaf).sha256();
        MemoryVersion v = version(Optional.of("x"));
        assertThat(ChainCodec.versionLinkV1(PREV, 7, v, leaf)).isEqualTo(expected);
        // the first encoding ignores the policy redactions, and never equals the current one
        assertThat(ChainCodec.versionLinkV1(PREV, 7, v.withPolicyRedactions(List.of("jwt")), leaf))
                .isEqualTo(expected);
        assertThat(ChainCodec.versionLink(PREV, 7, v, leaf)).isNotEqualTo(expected);
    }

    @Test
    void redactionAndGapLinks() throws Exception {
        String leaf = "44".repeat(32);
        MemoryVersion redacted = version(Optional.of("x")).redacted(Actor.serviceAccount("sa_ops"), AT);
        String expected = new Bytes().ascii("agent-memory/link/v1").b(0).hex(PREV).str("redaction").u64(9)
                .str("memstore_01").str("memver_01").str("service_account_actor").str("sa_ops")
                .u64(1772366400123456L).hex(leaf).sha256();
        assertThat(ChainCodec.redactionLink(PREV, 9, redacted, leaf)).isEqualTo(expected);

        String gapHash = "55".repeat(32);
        String gap = new Bytes().ascii("agent-memory/link/v1").b(0).hex(PREV).str("gap").u64(12).str("memstore_01")
                .u64(10).u64(1772366400123456L).hex(gapHash).sha256();
        assertThat(ChainCodec.gapLink(PREV, 12, StoreId.of("memstore_01"), 10, AT, gapHash)).isEqualTo(gap);
    }

    @Test
    void theRawByteLeafAndLinkAreTheHexOnes() {
        byte[] salt = java.util.HexFormat.of().parseHex(SALT);
        for (Optional<String> content : List.of(Optional.of("hello"), Optional.of(""), Optional.<String>empty())) {
            byte[] leaf = ChainCodec.leaf(salt, Optional.of("/notes/é.md"), content);
            String hexLeaf = ChainCodec.leaf(SALT, Optional.of("/notes/é.md"), content);
            assertThat(Contents.hex(leaf)).isEqualTo(hexLeaf).isEqualTo(java.util.HexFormat.of().formatHex(leaf));
            MemoryVersion v = version(content);
            assertThat(ChainCodec.versionLink(PREV, 7, v, leaf)).isEqualTo(ChainCodec.versionLink(PREV, 7, v, hexLeaf));
        }
        byte[] salt2 = ChainCodec.newSaltBytes();
        assertThat(salt2).hasSize(32).isNotEqualTo(ChainCodec.newSaltBytes());
        assertThatThrownBy(() -> ChainCodec.leaf(new byte[31], Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLinkOnTheLinkJustMadeIsEncodedFromThatLinksBytes() throws Exception {
        String leaf = "33".repeat(32);
        MemoryVersion v = version(Optional.of("x"));
        String first = ChainCodec.versionLink(PREV, 7, v, leaf);
        String expected = new Bytes().ascii("agent-memory/link/v2").b(0).hex(first).str("version").u64(8)
                .str("memstore_01").str("memver_01").str("mem_01").str("modified").str("user_actor").str("ada")
                .u64(1772366400123456L).b(0, 0, 0, 0).hex(leaf).sha256();
        // the encoder's last hash, as the next write of a chain passes it
        assertThat(ChainCodec.versionLink(first, 8, v, leaf)).isEqualTo(expected);
        // an equal string that is not the last one made, and the same string once another hash was made since
        String copy = new String(first.toCharArray());
        ChainCodec.versionLink(PREV, 7, v, leaf);
        assertThat(ChainCodec.versionLink(copy, 8, v, leaf)).isEqualTo(expected);
        ChainCodec.versionLink("66".repeat(32), 3, v, leaf);
        assertThat(ChainCodec.versionLink(first, 8, v, leaf)).isEqualTo(expected);
    }

    @Test
    void saltsAreFreshAndHex() {
        String a = ChainCodec.newSalt();
        assertThat(a).hasSize(64).matches("[0-9a-f]+");
        assertThat(ChainCodec.newSalt()).isNotEqualTo(a);
    }
}
