package dev.agentmemory.internal;

import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.WriteBlockedException;
import dev.agentmemory.error.WriteQuarantinedException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.policy.StorePolicies;
import dev.agentmemory.policy.Verdict;
import dev.agentmemory.policy.WritePolicy;
import dev.agentmemory.policy.WritePolicyChain;
import dev.agentmemory.policy.WriteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured write policies inside the write pipeline. A {@link WriteTx} asks {@link #screen} about each
 * change after the core's own checks and before staging it, and stores the content it returns; the service then asks
 * the gate what to do with the finished transaction: hold it for review ({@link #quarantine}), tell the policies it
 * was stored ({@link #committed}), or record the refusal ({@link #refused}). The per-transaction state lives in a
 * {@link Screening} the transaction carries. Thread-safe: the gate itself holds no mutable state.
 */
final class PolicyGate {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyGate.class);

    /** What {@link #screen} returns for a change that is stored as asked. */
    static final Screened AS_ASKED = new Screened(Optional.empty(), List.of());

    private final MemoryService svc;
    private final Optional<StorePolicies> policies;

    PolicyGate(MemoryService svc, Optional<StorePolicies> policies) {
        this.svc = svc;
        this.policies = policies;
    }

    /**
     * What a change is to store.
     *
     * @param content the content to store instead of the one asked for (with markers), or empty for as asked
     * @param policyRedactions the rules whose matches were replaced, for the version to record
     */
    record Screened(Optional<String> content, List<String> policyRedactions) {
    }

    /**
     * One evaluated change: what {@link WritePolicy#committed} is told, and what a held write keeps of it. The held
     * change itself is built only if the transaction is quarantined, which few are.
     *
     * @param request what the policies were asked (its operation, path and previous path are the change's)
     * @param verdict what they answered
     * @param memoryId the memory changed (empty for a create)
     * @param stored the content the change stores (after redaction), when it sets content
     * @param expectedSha the precondition the change was made under
     * @param policyRedactions the rules whose matches were replaced
     */
    private record Evaluated(WriteRequest request, Verdict verdict, Optional<MemoryId> memoryId,
            Optional<String> stored, Optional<String> expectedSha, List<String> policyRedactions) {

        QuarantinedWrite.HeldChange held() {
            return new QuarantinedWrite.HeldChange(change(request.operation(), memoryId, request.path(),
                    request.previousPath(), stored, expectedSha), policyRedactions);
        }
    }

    /** What the policies decided about the changes of one transaction. Confined to the transaction's thread. */
    static final class Screening {
        private WritePolicy policy;
        private boolean chosen;
        private final List<Evaluated> evaluated = new ArrayList<>(2);
        private WriteRequest blockedRequest;
        private Verdict.Block block;
        private WriteRequest quarantinedRequest;
        private Verdict.Quarantine quarantine;
        private QuarantinedWrite releasing;
        private int released;

        /** @return the held write this transaction releases, if it is a release */
        Optional<String> releases() {
            return releasing == null ? Optional.empty() : Optional.of(releasing.id());
        }

        /** @return true if a policy asked to hold this transaction's write for review */
        boolean quarantined() {
            return quarantine != null;
        }
    }

    /**
     * Marks a transaction as the release of a held write: its changes are applied without asking the policies again
     * (an operator reviewed them), and each version records the redactions made when the write was held.
     *
     * @param tx the transaction
     * @param write the held write
     */
    static void releasing(WriteTx tx, QuarantinedWrite write) {
        tx.screening().releasing = write;
    }

    /**
     * Asks the store's policies about one change. Blocks by throwing; records a quarantine in the transaction.
     *
     * @param tx the transaction
     * @param op what the change does
     * @param memoryId the memory changed (empty for a create)
     * @param path the path after the change
     * @param previousPath the path before, when the change moves the memory
     * @param content the new content, when the change sets content
     * @param expectedSha the precondition the change was made under
     * @param actor who writes
     * @return what to store
     * @throws WriteBlockedException if a policy refuses the change
     */
    Screened screen(WriteTx tx, Operation op, Optional<MemoryId> memoryId, String path, Optional<String> previousPath,
            Optional<String> content, Optional<String> expectedSha, Actor actor) {
        if (policies.isEmpty() && tx.screeningOrNull() == null) {
            return AS_ASKED;
        }
        Screening s = tx.screening();
        if (s.releasing != null) {
            List<String> rules = s.releasing.changes().get(s.released++).policyRedactions();
            return rules.isEmpty() ? AS_ASKED : new Screened(Optional.empty(), rules);
        }
        if (!s.chosen) {
            s.chosen = true;
            WritePolicyChain chain = policies.get().forStore(tx.store());
            s.policy = chain == null || chain.policies().isEmpty() ? null : chain;
        }
        if (s.policy == null) {
            return AS_ASKED;
        }
        WriteRequest request = new WriteRequest(tx.store().id(), tx.store().metadata(), path, previousPath, content,
                actor, op);
        Verdict v = s.policy.evaluate(request);
        Screened out;
        if (v instanceof Verdict.Block b) {
            s.blockedRequest = request;
            s.block = b;
            throw b.toException();
        } else if (v instanceof Verdict.Redact r) {
            out = new Screened(Optional.of(r.content()), r.rules());
        } else if (v instanceof Verdict.Quarantine q) {
            if (s.quarantine == null) {
                s.quarantine = q;
                s.quarantinedRequest = request;
            }
            List<String> rules = q.redactions().stream().map(f -> f.rule()).distinct().toList();
            out = rules.isEmpty() ? AS_ASKED : new Screened(Optional.of(q.content()), rules);
        } else {
            out = AS_ASKED;
        }
        Optional<String> stored = out.content().isPresent() ? out.content() : content;
        s.evaluated.add(new Evaluated(request, v, memoryId, stored, expectedSha, out.policyRedactions()));
        return out;
    }

    private static Change change(Operation op, Optional<MemoryId> memoryId, String path, Optional<String> previousPath,
            Optional<String> content, Optional<String> expectedSha) {
        if (op == Operation.CREATED) {
            return new Change.Create(path, content.orElseThrow());
        } else if (op == Operation.DELETED) {
            return new Change.Delete(memoryId.orElseThrow(), expectedSha);
        }
        return new Change.Update(memoryId.orElseThrow(), new MemoryUpdate(content,
                previousPath.isPresent() ? Optional.of(path) : Optional.empty(), expectedSha));
    }

    /**
     * Keeps a transaction's write in quarantine instead of committing it, records the event and fails the write.
     *
     * @param tx a transaction for which {@link Screening#quarantined()} is true
     * @throws WriteQuarantinedException always, once the write is held
     */
    void quarantine(WriteTx tx) {
        Screening s = tx.screening();
        StoreId store = tx.store().id();
        List<QuarantinedWrite.HeldChange> held = new ArrayList<>(s.evaluated.size());
        for (Evaluated e : s.evaluated) {
            held.add(e.held());
        }
        QuarantinedWrite w = new QuarantinedWrite(svc.ids().next(QuarantinedWrite.PREFIX), store,
                s.quarantinedRequest.actor(), tx.now(), s.quarantine.policy(), s.quarantine.rule(),
                s.quarantine.reason(), held);
        if (!svc.backend().addQuarantined(w)) {
            throw new NotFoundException("memory store " + store + " was deleted while the write was held; nothing"
                    + " was written");
        }
        record(tx, s.quarantinedRequest, PolicyEvent.Outcome.QUARANTINED, s.quarantine.policy(),
                s.quarantine.rule());
        LOG.info("write to {} by {} held for review as {} (policy {}, rule {})", s.quarantinedRequest.path(),
                w.actor(), w.id(), w.policy(), w.rule());
        throw new WriteQuarantinedException(w.policy(), w.rule(), w.reason(), w.id());
    }

    /**
     * Tells the policies that a transaction's changes were stored.
     *
     * @param tx the transaction, after its commit succeeded
     */
    void committed(WriteTx tx) {
        Screening s = tx.screeningOrNull();
        if (s == null) {
            return;
        }
        for (Evaluated e : s.evaluated) {
            try {
                s.policy.committed(e.request(), e.verdict());
            } catch (RuntimeException ex) {
                LOG.warn("write policy {} failed after {} was stored; the write itself is unaffected",
                        s.policy.name(), e.request(), ex);
            }
        }
    }

    /**
     * Records the refusal of a transaction's write, if a policy refused it.
     *
     * @param tx the transaction
     * @param failure why its body failed
     */
    void refused(WriteTx tx, RuntimeException failure) {
        Screening s = tx.screeningOrNull();
        if (s == null || s.block == null || !(failure instanceof WriteBlockedException)) {
            return;
        }
        record(tx, s.blockedRequest, PolicyEvent.Outcome.BLOCKED, s.block.policy(), s.block.rule());
    }

    private void record(WriteTx tx, WriteRequest request, PolicyEvent.Outcome outcome, String policy, String rule) {
        PolicyEvent event = new PolicyEvent(svc.ids().next(PolicyEvent.PREFIX), request.store(), request.path(),
                request.actor(), outcome, policy, rule, tx.now());
        try {
            svc.backend().recordPolicyEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("could not record policy event {}; the write was refused all the same", event, e);
        }
    }
}
