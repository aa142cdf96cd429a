package dev.agentmemory.testkit;

import dev.agentmemory.error.MemoryException;
import java.util.Arrays;
import java.util.List;

/**
 * A failure as the reference model predicts it: the exact exception class the library must throw and its key fields
 * (a rule name, a limit with value and maximum, a conflicting memory and path, a precondition's SHA-256 values), with
 * memories and versions named by their model ids. Real exceptions are translated to the same shape to be compared.
 */
final class StatefulModelFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The comparable shape of a failure. */
    record Shape(Class<? extends MemoryException> type, List<Object> fields) {
        @Override
        public String toString() {
            return type.getSimpleName() + fields;
        }
    }

    private final Shape shape;

    private StatefulModelFailure(Shape shape) {
        super(shape.toString(), null, false, false);
        this.shape = shape;
    }

    static StatefulModelFailure of(Class<? extends MemoryException> type, Object... fields) {
        return new StatefulModelFailure(new Shape(type, Arrays.asList(fields)));
    }

    Shape shape() {
        return shape;
    }
}
