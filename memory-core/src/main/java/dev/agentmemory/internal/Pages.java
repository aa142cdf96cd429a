package dev.agentmemory.internal;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.Page;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Page sizes and the cutting of a fetched list into a page. */
final class Pages {

    static final int MAX_LIMIT = 100;

    private Pages() {
    }

    static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidArgumentException("page.limit",
                    "page size " + limit + " is out of range: use 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** Makes a page of at most {@code limit} items from a list fetched with one extra item, which tells if more follow. */
    static <T> Page<T> page(List<T> fetched, int limit, Function<T, String> cursorOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, Optional.empty());
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, Optional.of(cursorOf.apply(items.get(limit - 1))));
    }
}
