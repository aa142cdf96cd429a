package dev.agentmemory.policy;

import dev.agentmemory.policy.internal.CombinedScan;
import java.util.List;

/**
 * The one pass over a write's content that the library's secret rules and the injection detector share: whether any
 * secret keyword occurs, whether any injection phrase occurs, and whether a character that may be hidden Unicode
 * occurs ({@link CombinedScan}). Within one {@link WritePolicyChain#evaluate}, the pass runs once per content and both
 * policies read its answer; outside a chain each policy runs it on its own. Thread-safe: the remembered answer is the
 * calling thread's, and is dropped when the chain's evaluation ends.
 */
final class DefaultScan {

    /** Set when a keyword of the library's secret rules occurs. */
    static final int SECRET_KEYWORD = 1;
    /** Set when an injection phrase occurs. */
    static final int INJECTION_PHRASE = 2;
    /** Set when a character that may be hidden Unicode occurs. */
    static final int HIDDEN_CANDIDATE = CombinedScan.HIDDEN_CANDIDATE;

    private DefaultScan() {
    }

    /** Built on first use, after both policies' classes are. */
    private static final class Shared {
        static final CombinedScan SCAN = new CombinedScan(List.of(SecretScanner.defaults().automaton(),
                InjectionDetector.AUTOMATON));
    }

    /** The calling thread's chain evaluation: how deep, and the last content scanned within it. */
    private static final class Memo {
        int depth;
        String text;
        int bits;
    }

    private static final ThreadLocal<Memo> MEMO = ThreadLocal.withInitial(Memo::new);

    /** Marks the start of a chain's evaluation on this thread; within it, a content is scanned once. */
    static void enter() {
        MEMO.get().depth++;
    }

    /** Marks its end; the remembered content is let go when the outermost evaluation ends. */
    static void exit() {
        Memo m = MEMO.get();
        if (--m.depth <= 0) {
            m.depth = 0;
            m.text = null;
        }
    }

    /**
     * Returns the pass's answer for a content.
     *
     * @param text the content
     * @return {@link #SECRET_KEYWORD}, {@link #INJECTION_PHRASE} and {@link #HIDDEN_CANDIDATE}, as they apply
     */
    static int bits(String text) {
        Memo m = MEMO.get();
        if (m.depth > 0 && m.text == text) {
            return m.bits; // the same content object, already scanned in this evaluation
        }
        int bits = Shared.SCAN.scan(text);
        if (m.depth > 0) {
            m.text = text;
            m.bits = bits;
        }
        return bits;
    }
}
