package dev.agentmemory.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several policies combined into one, with a fixed, documented outcome whatever the order of their verdicts.
 *
 * <p>Every policy sees the same, original request. The chain's verdict is the most severe of theirs, ranked
 * <b>block &gt; quarantine &gt; redact &gt; allow</b>:
 *
 * <ul>
 *   <li>The first policy (in chain order) that blocks decides: its {@link Verdict.Block} is returned and the policies
 *       after it are not asked. Blocking comes first because nothing is stored, so nothing else matters.
 *   <li>Otherwise, if any policy quarantines, the first such policy's {@link Verdict.Quarantine} is returned, with
 *       every redaction the other policies asked for applied to the quarantined content: quarantine hides a write
 *       from sessions, but an operator reviewing it must not be shown a credential either.
 *   <li>Otherwise, if any policy redacts, the findings of all of them are merged into one {@link Verdict.Redact} over
 *       the original content (overlapping spans become one marker).
 *   <li>Otherwise the write is allowed.
 * </ul>
 *
 * <p>The order of the policies therefore only decides <em>which</em> block or quarantine is reported when several
 * apply; put the cheapest and most decisive first. Immutable and thread-safe when its policies are.
 */
public final class WritePolicyChain implements WritePolicy {

    private final List<WritePolicy> policies;

    private WritePolicyChain(List<WritePolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    /**
     * Combines policies, asked in the order given.
     *
     * @param policies the policies; none is allowed too, and gives a chain that allows everything
     * @return the chain
     */
    public static WritePolicyChain of(List<? extends WritePolicy> policies) {
        List<WritePolicy> copy = new ArrayList<>();
        for (WritePolicy p : policies) {
            copy.add(Objects.requireNonNull(p, "policy"));
        }
        return new WritePolicyChain(copy);
    }

    /**
     * Combines policies, asked in the order given.
     *
     * @param policies the policies
     * @return the chain
     */
    public static WritePolicyChain of(WritePolicy... policies) {
        return of(List.of(policies));
    }

    /**
     * Returns the default chain: {@link ReferenceStorePolicy#defaults()}, {@link SessionQuota} with
     * {@link QuotaLimits#defaults()}, {@link SecretScanner#defaults()} (redacts) and
     * {@link InjectionDetector#defaults()} (quarantines).
     *
     * @param clock the clock the quota reads
     * @return a new chain; its quota counters start empty
     */
    public static WritePolicyChain defaults(Clock clock) {
        return of(ReferenceStorePolicy.defaults(), new SessionQuota(QuotaLimits.defaults(), clock),
                SecretScanner.defaults(), InjectionDetector.defaults());
    }

    /**
     * Returns the policies, in the order they are asked.
     *
     * @return the policies
     */
    public List<WritePolicy> policies() {
        return policies;
    }

    @Override
    public String name() {
        return "chain";
    }

    @Override
    public Verdict evaluate(WriteRequest request) {
        DefaultScan.enter(); // the built-in scanners share one pass over the content
        try {
            return decide(request);
        } finally {
            DefaultScan.exit();
        }
    }

    private Verdict decide(WriteRequest request) {
        Verdict.Quarantine quarantine = null;
        List<Finding> redactions = null;
        for (WritePolicy p : policies) {
            Verdict v = p.evaluate(request);
            if (v instanceof Verdict.Block b) {
                return b;
            } else if (v instanceof Verdict.Quarantine q) {
                if (quarantine == null) {
                    quarantine = q;
                }
                if (!q.redactions().isEmpty()) {
                    redactions = add(redactions, q.redactions());
                }
            } else if (v instanceof Verdict.Redact r) {
                redactions = add(redactions, r.findings());
            }
        }
        String original = request.content().orElse("");
        if (quarantine != null) {
            if (redactions == null) {
                return quarantine;
            }
            return new Verdict.Quarantine(quarantine.policy(), quarantine.rule(), quarantine.reason(), redactions,
                    Verdict.applyRedactions(original, redactions));
        }
        if (redactions != null) {
            return Verdict.Redact.of(original, redactions);
        }
        return Verdict.allow();
    }

    private static List<Finding> add(List<Finding> to, List<Finding> more) {
        List<Finding> l = to == null ? new ArrayList<>() : to;
        for (Finding f : more) {
            if (!l.contains(f)) {
                l.add(f);
            }
        }
        return l;
    }

    @Override
    public void committed(WriteRequest request, Verdict verdict) {
        for (WritePolicy p : policies) {
            p.committed(request, verdict);
        }
    }

    @Override
    public String toString() {
        return "WritePolicyChain" + policies.stream().map(WritePolicy::name).toList();
    }
}
