package dev.agentmemory.spring.boot.internal;

import dev.agentmemory.model.WriteListener;
import dev.agentmemory.model.WriteEvent;
import java.util.List;

/**
 * Tells several write listeners in turn. An exception of one does not keep the others from being told. Thread-safe
 * when the listeners are.
 */
public final class CompositeWriteListener implements WriteListener {

    private final List<WriteListener> listeners;

    private CompositeWriteListener(List<WriteListener> listeners) {
        this.listeners = listeners;
    }

    /**
     * Returns one listener for all of them.
     *
     * @param listeners the listeners, in the order they are told
     * @return {@link WriteListener#NONE} for none, the listener itself for one, else a composite
     */
    public static WriteListener of(List<WriteListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> WriteListener.NONE;
            case 1 -> listeners.get(0);
            default -> new CompositeWriteListener(List.copyOf(listeners));
        };
    }

    @Override
    public void onWrite(WriteEvent event) {
        RuntimeException first = null;
        for (WriteListener l : listeners) {
            try {
                l.onWrite(event);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "CompositeWriteListener" + listeners;
    }
}
