/**
 * agent-memory's testkit: the contract suite every backend and surface runs (rule tests, a stateful model test, a
 * concurrency test), configured by a fixture and capability flags. Its one package, {@code dev.agentmemory.testkit},
 * is exported, and open so that JUnit and jqwik can run the suites' test methods reflectively.
 */
open module dev.agentmemory.testkit {
    requires transitive dev.agentmemory.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires transitive net.jqwik.api;

    exports dev.agentmemory.testkit;
}
