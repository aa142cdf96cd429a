package dev.agentmemory.checkout;

import dev.agentmemory.error.MemoryException;

/**
 * A checkout as a whole cannot be created, opened or synchronised: the directory is not empty, is not a checkout,
 * belongs to another session, is already open, the checkout was closed, or its manifest cannot be read or written.
 * Problems with single files never throw: {@link Checkout#sync()} reports them in its {@link SyncReport}.
 */
public class CheckoutException extends MemoryException {

    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception.
     *
     * @param message what was wrong and how to fix it
     * @param cause the underlying failure, or {@code null}
     */
    public CheckoutException(String message, Throwable cause) {
        super(Kind.SURFACE, "checkout_error", message, cause);
    }

    /**
     * Makes the exception without a cause.
     *
     * @param message what was wrong and how to fix it
     */
    public CheckoutException(String message) {
        this(message, null);
    }
}
