package dev.agentmemory.internal;

import dev.agentmemory.model.Page;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A listing as a sequential {@link Stream} that reads page after page: the first page when the stream is made (so a
 * bad query fails at once), each following page only when the items before it have been consumed.
 */
public final class PagedStream {

    private PagedStream() {
    }

    /**
     * Streams a listing.
     *
     * @param first the first page
     * @param next reads the page a cursor names
     * @param <T> the item type
     * @return the items of every page, in the listing's order
     */
    public static <T> Stream<T> of(Page<T> first, Function<String, Page<T>> next) {
        Iterator<T> it = new Iterator<>() {
            private Page<T> page = first;
            private int index;

            @Override
            public boolean hasNext() {
                while (index >= page.items().size()) {
                    if (page.nextCursor().isEmpty()) {
                        return false;
                    }
                    page = next.apply(page.nextCursor().get());
                    index = 0;
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.items().get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /**
     * Streams items produced batch by batch: {@code nextBatch} is called when the items before have been consumed,
     * until it returns null.
     *
     * @param nextBatch the next batch (possibly empty), or null at the end
     * @param <T> the item type
     * @return the items
     */
    static <T> Stream<T> ofBatches(java.util.function.Supplier<List<T>> nextBatch) {
        Iterator<T> it = new Iterator<>() {
            private List<T> batch = List.of();
            private int index;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (!done && index >= batch.size()) {
                    List<T> b = nextBatch.get();
                    if (b == null) {
                        done = true;
                    } else {
                        batch = b;
                        index = 0;
                    }
                }
                return !done;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }
}
