package dev.agentmemory.internal;

import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.ChainCheckpoint;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.ChainReport.BrokenLink;
import dev.agentmemory.model.ChainReport.Problem;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.spi.ChainEntry;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spi.VersionSeal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks a store's hash chain from its first link to the head kept with the store, recomputing every link from what
 * storage holds, and stops at the first one that fails. Reads the chain in windows of positions, reporting progress
 * as phase {@code links} (done, total). Confined to one thread.
 */
final class ChainVerifier {

    private static final int WINDOW = 512;

    private final MemoryBackend backend;
    private final StoreId storeId;
    private final ChainHead head;
    private final Optional<ChainCheckpoint> published;
    private final ProgressListener progress;

    private long links;
    private long versions;
    private long gapsSpanned;
    private long versionLinksV1;
    private boolean checkpointSeen;

    ChainVerifier(MemoryBackend backend, StoreId storeId, ChainHead head, Optional<ChainCheckpoint> published,
            ProgressListener progress) {
        this.backend = backend;
        this.storeId = storeId;
        this.head = head;
        this.published = published;
        this.progress = progress;
    }

    ChainReport run() {
        Optional<BrokenLink> broken = walk();
        ChainCheckpoint at = new ChainCheckpoint(storeId, head.length(), head.hash());
        return new ChainReport(storeId, links, versions, versionLinksV1, gapsSpanned, backend.countUnchained(storeId),
                at, published, broken);
    }

    private Optional<BrokenLink> walk() {
        if (published.isPresent()) {
            ChainCheckpoint p = published.get();
            if (!p.storeId().equals(storeId)) {
                return broken(0, Optional.empty(), Problem.CHECKPOINT, "the published checkpoint is of store "
                        + p.storeId() + ", not of " + storeId);
            }
            if (p.length() > head.length()) {
                return broken(head.length(), Optional.empty(), Problem.CHECKPOINT, "the published checkpoint is at"
                        + " link " + p.length() + " but the store's chain has only " + head.length()
                        + " links: links were cut off after it");
            }
        }
        Map<Long, ChainGap> gapsByEnd = new HashMap<>();
        for (ChainGap g : backend.listGaps(storeId)) {
            gapsByEnd.put(g.gapEnd(), g);
        }
        String prev = ChainHead.GENESIS_HASH;
        long expected = 1;
        Optional<BrokenLink> cp = checkpointAt(0, prev);
        if (cp.isPresent()) {
            return cp;
        }
        progress.progress("links", 0, head.length());
        for (long from = 1; from <= head.length(); from += WINDOW) {
            long to = Math.min(head.length(), from + WINDOW - 1);
            List<ChainEntry> page = backend.listChain(storeId, from, to);
            for (ChainEntry e : page) {
                long p = e.position();
                if (p < expected) {
                    return broken(p, versionOf(e), Problem.REORDERED, "two links claim position " + p);
                }
                if (p > expected) {
                    ChainGap g = gapsByEnd.get(p - 1);
                    if (g == null) {
                        return broken(expected, versionOf(e), Problem.MISSING, (p - expected == 1 ? "position "
                                + expected + " has" : "positions " + expected + " to " + (p - 1) + " have")
                                + " no link and no purge recorded removing it; the next link is " + describe(e));
                    }
                    prev = g.gapHash();
                    gapsSpanned++;
                    cp = checkpointAt(p - 1, prev);
                    if (cp.isPresent()) {
                        return cp;
                    }
                }
                Optional<BrokenLink> bad = check(e, prev, page);
                if (bad.isPresent()) {
                    return bad;
                }
                prev = hashOf(e);
                links++;
                expected = p + 1;
                cp = checkpointAt(p, prev);
                if (cp.isPresent()) {
                    return cp;
                }
            }
            progress.progress("links", to, head.length());
        }
        if (expected <= head.length()) {
            return broken(expected, Optional.empty(), Problem.HEAD, "the chain stops after link " + (expected - 1)
                    + " but the store's head says it has " + head.length() + " links");
        }
        if (!prev.equals(head.hash())) {
            return broken(head.length(), Optional.empty(), Problem.HEAD, "the chain ends in " + prev
                    + " but the head kept with the store is " + head.hash());
        }
        if (published.isPresent() && !checkpointSeen) {
            return broken(published.get().length(), Optional.empty(), Problem.CHECKPOINT, "link "
                    + published.get().length() + " of the published checkpoint was purged inside a run of links,"
                    + " so the chain cannot be compared with it; verify against a later checkpoint");
        }
        return checkMemories();
    }

    /**
     * Checks that each live memory is its head version: same path and content. The memories are a copy of their
     * newest versions kept for reads; a change made to the copy alone would otherwise go unseen by the chain.
     */
    private Optional<BrokenLink> checkMemories() {
        long total = backend.countMemories(storeId);
        long done = 0;
        String from = "/";
        while (true) {
            List<Memory> page = backend.scanMemories(storeId, "/", from, WINDOW, true);
            for (Memory m : page) {
                Optional<MemoryVersion> head = backend.findVersion(storeId, m.headVersionId());
                Contents.Encoded enc = Contents.encode(m.text());
                Contents.forgetEncoded(); // no leaf is hashed from this text: do not hold it
                if (head.isEmpty() || !enc.sha256().equals(m.contentSha256())
                        || enc.sizeBytes() != m.contentSizeBytes() || !head.get().content().equals(m.content())
                        || !head.get().path().equals(Optional.of(m.path()))) {
                    long position = head.flatMap(v -> backend.findSeal(storeId, v.id())).map(VersionSeal::position)
                            .orElse(0L);
                    return broken(position, Optional.of(m.headVersionId()), Problem.CONTENT, "memory " + m.id()
                            + " at " + m.path() + " does not hold its head version " + m.headVersionId()
                            + "'s path and content");
                }
                done++;
            }
            progress.progress("memories", done, total);
            if (page.size() < WINDOW) {
                return Optional.empty();
            }
            from = dev.agentmemory.spi.PathOrder.successor(page.get(page.size() - 1).path());
        }
    }

    private Optional<BrokenLink> checkpointAt(long position, String hash) {
        if (published.isEmpty() || published.get().length() != position) {
            return Optional.empty();
        }
        checkpointSeen = true;
        if (!published.get().head().equals(hash)) {
            return broken(position, Optional.empty(), Problem.CHECKPOINT, "the chain's hash at link " + position
                    + " is " + hash + ", not the published " + published.get().head()
                    + ": the history up to the checkpoint was rewritten");
        }
        return Optional.empty();
    }

    private Optional<BrokenLink> check(ChainEntry e, String prev, List<ChainEntry> page) {
        long p = e.position();
        switch (e.kind()) {
            case GAP -> {
                ChainGap g = e.gap().orElseThrow();
                String want = ChainCodec.gapLink(prev, p, storeId, g.gapEnd(), g.createdAt(), g.gapHash());
                if (!want.equals(g.hash())) {
                    return broken(p, Optional.empty(), Problem.METADATA, "the purge record at link " + p
                            + " (gap up to " + g.gapEnd() + ") does not match its hash");
                }
                return Optional.empty();
            }
            case REDACTION -> {
                MemoryVersion v = e.version().orElseThrow();
                VersionSeal s = e.seal().orElseThrow();
                if (!v.isRedacted()) {
                    return broken(p, Optional.of(v.id()), Problem.METADATA, "version " + v.id() + " has a redaction"
                            + " link but is not marked redacted");
                }
                String want = ChainCodec.redactionLink(prev, p, v, s.leaf());
                if (!want.equals(s.redactionHash().orElseThrow())) {
                    return broken(p, Optional.of(v.id()), Problem.FORGED_REDACTION, "the redaction of version "
                            + v.id() + " (by " + v.redactedBy().orElseThrow() + " at " + v.redactedAt().orElseThrow()
                            + ") is not the one its link sealed");
                }
                return Optional.empty();
            }
            default -> {
                return checkVersion(e, prev, page);
            }
        }
    }

    private Optional<BrokenLink> checkVersion(ChainEntry e, String prev, List<ChainEntry> page) {
        long p = e.position();
        MemoryVersion v = e.version().orElseThrow();
        VersionSeal s = e.seal().orElseThrow();
        Optional<VersionId> id = Optional.of(v.id());
        if (v.isRedacted()) {
            if (s.redactionPosition().isEmpty()) {
                return broken(p, id, Problem.FORGED_REDACTION, "version " + v.id() + " is marked redacted but no"
                        + " redaction link was ever sealed for it");
            }
            if (v.content().isPresent() || v.path().isPresent() || s.salt().isPresent()) {
                return broken(p, id, Problem.CONTENT, "version " + v.id() + " is redacted but storage still holds"
                        + " its path, content or salt");
            }
        } else {
            if (s.salt().isEmpty()) {
                return broken(p, id, Problem.FORGED_REDACTION, "version " + v.id() + " lost its salt without a"
                        + " redaction");
            }
            boolean contentless = v.operation() == Operation.DELETED;
            if (v.content().isPresent() == contentless || v.path().isEmpty()) {
                return broken(p, id, contentless ? Problem.CONTENT : Problem.FORGED_REDACTION, "version " + v.id()
                        + (contentless ? " is a deletion but holds content" : " lost its path or content without a"
                        + " redaction"));
            }
            if (v.content().isPresent()) {
                Contents.Encoded enc = Contents.encode(v.content().get());
                if (!Optional.of(enc.sha256()).equals(v.contentSha256())
                        || !Optional.of(enc.sizeBytes()).equals(v.contentSizeBytes())) {
                    return broken(p, id, Problem.CONTENT, "version " + v.id() + "'s recorded SHA-256 or size does"
                            + " not match its content");
                }
            }
            String leaf = ChainCodec.leaf(s.salt().get(), v.path(), v.content());
            if (!leaf.equals(s.leaf())) {
                return broken(p, id, Problem.CONTENT, "version " + v.id() + "'s path or content is not what its"
                        + " link sealed");
            }
        }
        int encoding = sealedWith(prev, p, v, s);
        if (encoding == 0) {
            for (ChainEntry other : page) {
                if (other != e && other.kind() != ChainEntry.Kind.GAP) {
                    String otherHash = hashOf(other);
                    for (long q : new long[] {other.position(), other.position() + 1}) {
                        if (q != p && sealedWith(otherHash, q, v, s) != 0) {
                            return broken(p, id, Problem.REORDERED, "version " + v.id() + " is at link " + p
                                    + " but was sealed at link " + q);
                        }
                    }
                }
            }
            return broken(p, id, Problem.METADATA, "version " + v.id() + "'s metadata (actor, time, operation, ids,"
                    + " position or policy redactions) is not what its link sealed, or the link before it changed");
        }
        if (encoding == 1) {
            versionLinksV1++;
        }
        versions++;
        return Optional.empty();
    }

    /**
     * Which encoding of a version link reproduces its stored hash: 2 (the current one, covering the policy
     * redactions), 1 (the first, sealed before they were covered), or 0 (neither: the link does not verify). The two
     * encodings begin with different tags, so at most one can match.
     */
    private static int sealedWith(String prev, long position, MemoryVersion v, VersionSeal s) {
        if (ChainCodec.versionLink(prev, position, v, s.leaf()).equals(s.hash())) {
            return 2;
        }
        return ChainCodec.versionLinkV1(prev, position, v, s.leaf()).equals(s.hash()) ? 1 : 0;
    }

    private static String hashOf(ChainEntry e) {
        return switch (e.kind()) {
            case VERSION -> e.seal().orElseThrow().hash();
            case REDACTION -> e.seal().orElseThrow().redactionHash().orElseThrow();
            case GAP -> e.gap().orElseThrow().hash();
        };
    }

    private static Optional<VersionId> versionOf(ChainEntry e) {
        return e.version().map(MemoryVersion::id);
    }

    private static String describe(ChainEntry e) {
        return e.version().map(v -> (e.kind() == ChainEntry.Kind.REDACTION ? "the redaction of version "
                : "version ") + v.id()).orElse("a purge record") + " at link " + e.position();
    }

    private static Optional<BrokenLink> broken(long position, Optional<VersionId> id, Problem problem,
            String detail) {
        return Optional.of(new BrokenLink(position, id, problem, detail));
    }
}
