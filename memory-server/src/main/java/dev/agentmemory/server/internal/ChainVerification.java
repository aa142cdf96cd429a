package dev.agentmemory.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.model.ChainCheckpoint;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.StoreId;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The server's own operator endpoint {@code POST /v1/memory_stores/{store}/verify}: verifies the store's hash chain
 * through {@link StoreAdmin#verify} and answers with the report as a {@code memory_chain_verification} object. A
 * broken chain is a finding, not a failed request: the answer is 200 with {@code intact: false} and the first broken
 * link. Stateless and thread-safe.
 *
 * <p>The optional body {@code {"checkpoint": {"length": n, "head": "<64 hex digits>"}}} also checks that the chain
 * passes through a published checkpoint. The server does not check a checkpoint's signature: whoever publishes
 * checkpoints checks the signature with the public key before sending its length and head here.
 */
final class ChainVerification {

    private ChainVerification() {
    }

    /**
     * Parses the request's body, verifies, and writes the report.
     *
     * @param stores the caller's workspace's stores
     * @param storeId the store
     * @param body the request body (empty or a JSON object)
     * @return the {@code memory_chain_verification} object
     * @throws ApiError 400 for a malformed body
     */
    static ObjectNode verify(StoreAdmin stores, StoreId storeId, byte[] body) {
        Body b = Body.parse(body, Set.of("checkpoint"));
        Optional<ChainCheckpoint> published = b.optObject("checkpoint", Set.of("length", "head"))
                .map(cp -> checkpoint(storeId, cp));
        ChainReport report = published.isPresent() ? stores.verify(storeId, published.get(),
                dev.agentmemory.model.ProgressListener.NONE) : stores.verify(storeId);
        return json(report);
    }

    private static ChainCheckpoint checkpoint(StoreId storeId, Body cp) {
        JsonNode length = cp.json().get("length");
        if (length == null || !length.canConvertToExactIntegral() || !length.canConvertToLong()
                || length.asLong() < 0) {
            throw ApiError.invalid("checkpoint.length: Input should be a non-negative integer");
        }
        String head = cp.optString("head").orElseThrow(() -> ApiError.invalid("checkpoint.head: Field required"));
        if (!head.matches("[0-9a-f]{64}")) {
            throw ApiError.invalid("checkpoint.head: Input should be 64 lowercase hex digits");
        }
        return new ChainCheckpoint(storeId, length.asLong(), head);
    }

    /**
     * The report as a {@code memory_chain_verification} object: {@code memory_store_id}, {@code intact},
     * {@code links_verified}, {@code versions_verified}, {@code version_links_v1}, {@code gaps_spanned},
     * {@code unchained_versions}, {@code head_length}, {@code head}, {@code checkpoint_length} (or null) and
     * {@code broken} (null, or {@code position}, {@code memory_version_id} (or null), {@code problem} in lower case,
     * {@code detail}).
     */
    static ObjectNode json(ChainReport r) {
        ObjectNode n = Wire.MAPPER.createObjectNode();
        n.put("type", "memory_chain_verification");
        n.put("memory_store_id", r.storeId().value());
        n.put("intact", r.intact());
        n.put("links_verified", r.linksVerified());
        n.put("versions_verified", r.versionsVerified());
        n.put("version_links_v1", r.versionLinksV1());
        n.put("gaps_spanned", r.gapsSpanned());
        n.put("unchained_versions", r.unchainedVersions());
        n.put("head_length", r.head().length());
        n.put("head", r.head().head());
        if (r.checkpoint().isPresent()) {
            n.put("checkpoint_length", r.checkpoint().get().length());
        } else {
            n.putNull("checkpoint_length");
        }
        if (r.broken().isEmpty()) {
            n.putNull("broken");
        } else {
            ChainReport.BrokenLink bl = r.broken().get();
            ObjectNode o = n.putObject("broken");
            o.put("position", bl.position());
            if (bl.versionId().isPresent()) {
                o.put("memory_version_id", bl.versionId().get().value());
            } else {
                o.putNull("memory_version_id");
            }
            o.put("problem", bl.problem().name().toLowerCase(Locale.ROOT));
            o.put("detail", bl.detail());
        }
        return n;
    }
}
