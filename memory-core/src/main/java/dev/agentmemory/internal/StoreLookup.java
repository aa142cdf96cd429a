package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import dev.agentmemory.error.ConflictException;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.StoreQuery;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Finding the single store a filter names. */
public final class StoreLookup {

    private StoreLookup() {
    }

    /**
     * Returns the only live store that passes a query.
     *
     * @param list lists the workspace's stores that pass a query
     * @param query the filter; its page size is set here
     * @param what the filter, for the message
     * @return the store, or empty
     * @throws ConflictException if more than one passes
     */
    public static Optional<MemoryStore> one(Function<StoreQuery, List<MemoryStore>> list, StoreQuery.Builder query,
            String what) {
        List<MemoryStore> found = list.apply(query.limit(2).build());
        if (found.size() > 1) {
            throw new ConflictException("more than one live store has " + IdRules.printable(what) + " (" + found.get(0).id()
                    + ", " + found.get(1).id() + ", ...); list them with StoreQuery and choose one by id");
        }
        return found.stream().findFirst();
    }
}
