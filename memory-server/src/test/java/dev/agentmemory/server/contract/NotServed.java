package dev.agentmemory.server.contract;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * A call the hosted REST API has no endpoint for. {@link RestMemories} throws it and records it; the JUnit extension
 * {@link Handler} then reports the failing test as aborted ("not served over REST: ..."), because the test needed an
 * operation this surface does not offer. A test that fails for any other reason, or that used no unserved call, is
 * reported as it failed. The suite's summary lists every aborted test with the operation it needed. A limit of this:
 * a test that caught an unserved call's exception and then failed on something else is also reported aborted.
 */
final class NotServed extends UnsupportedOperationException {

    private static final long serialVersionUID = 1L;

    /** The first unserved call of the running test (tests of one class run one at a time). */
    private static final AtomicReference<String> USED = new AtomicReference<>();

    private NotServed(String operation) {
        super("not served by the hosted REST API: " + operation);
    }

    static NotServed by(String operation) {
        USED.compareAndSet(null, operation);
        return new NotServed(operation);
    }

    /** Resets the record before each test and turns a failure after an unserved call into an aborted test. */
    static final class Handler implements BeforeEachCallback, TestExecutionExceptionHandler {

        @Override
        public void beforeEach(ExtensionContext context) {
            USED.set(null);
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
            String used = USED.get();
            if (used != null) {
                throw new TestAbortedException("not served over REST: " + used);
            }
            throw thrown;
        }
    }
}
