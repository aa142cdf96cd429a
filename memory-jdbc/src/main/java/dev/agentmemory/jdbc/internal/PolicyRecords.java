package dev.agentmemory.jdbc.internal;

import static dev.agentmemory.jdbc.internal.Statements.exists;

import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.StoreId;
import java.util.List;
import java.util.Optional;

/**
 * The write policies' records as units of work: policy events and held writes, each written in its own transaction
 * (whose outcome, after a broken connection, is told by whether the row is there) or read in auto-commit. The
 * statements are {@link PolicyTables}'. Thread-safe.
 */
final class PolicyRecords {

    private final Transactions tx;
    private final Runnable afterErase;

    /**
     * @param tx the transaction runner
     * @param afterErase run after a held write is discarded: the erasure finisher makes its bytes leave storage
     */
    PolicyRecords(Transactions tx, Runnable afterErase) {
        this.tx = tx;
        this.afterErase = afterErase;
    }

    boolean recordEvent(PolicyEvent e) {
        return tx.write("record policy event " + e.id(), c -> PolicyTables.insertEvent(c, e, tx.dialect()),
                c -> exists(c, "SELECT 1 FROM am_policy_event WHERE store_id = ? AND id = ?", e.storeId().value(),
                        e.id()) ? Optional.of(true) : Optional.empty());
    }

    List<PolicyEvent> events(StoreId store, Optional<String> before, int limit) {
        return tx.read("list policy events", c -> PolicyTables.events(c, store, before, limit));
    }

    boolean hold(QuarantinedWrite w) {
        return tx.write("hold write " + w.id(), c -> PolicyTables.insertQuarantined(c, w, tx.dialect()),
                c -> exists(c, "SELECT 1 FROM am_quarantine WHERE store_id = ? AND id = ?", w.storeId().value(),
                        w.id()) ? Optional.of(true) : Optional.empty());
    }

    Optional<QuarantinedWrite> held(StoreId store, String id) {
        return tx.read("read held write", c -> PolicyTables.quarantined(c, store, Optional.of(id), Optional.empty(), 1))
                .stream().findFirst();
    }

    List<QuarantinedWrite> heldWrites(StoreId store, Optional<String> before, int limit) {
        return tx.read("list held writes", c -> PolicyTables.quarantined(c, store, Optional.empty(), before, limit));
    }

    boolean discard(StoreId store, String id) {
        boolean removed = tx.write("discard held write", c -> {
            boolean gone = PolicyTables.removeQuarantined(c, store.value(), id) == 1;
            if (gone) {
                PhysicalErasure.recordRequest(c);
            }
            return gone;
        });
        if (removed) {
            afterErase.run();
        }
        return removed;
    }
}
