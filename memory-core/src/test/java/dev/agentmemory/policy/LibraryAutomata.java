package dev.agentmemory.policy;

import dev.agentmemory.policy.internal.KeywordAutomaton;
import java.util.ArrayList;
import java.util.List;

/** The library's own keyword automata (the default secret rules' and the injection detector's), for tests elsewhere. */
public final class LibraryAutomata {

    private LibraryAutomata() {
    }

    /**
     * Returns the automaton of the library's secret rules' keywords.
     *
     * @return the automaton
     */
    public static KeywordAutomaton secrets() {
        return SecretScanner.defaults().automaton();
    }

    /**
     * Returns the injection detector's phrase automaton.
     *
     * @return the automaton
     */
    public static KeywordAutomaton injections() {
        return InjectionDetector.AUTOMATON;
    }

    /**
     * Returns an automaton's keywords, in lower case.
     *
     * @param automaton the automaton
     * @return its keywords, in order
     */
    public static List<String> keywords(KeywordAutomaton automaton) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < automaton.size(); k++) {
            out.add(automaton.keyword(k));
        }
        return out;
    }
}
