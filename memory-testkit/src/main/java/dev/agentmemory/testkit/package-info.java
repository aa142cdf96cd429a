/**
 * The contract suites every backend runs: {@link dev.agentmemory.testkit.MemoryContract} groups one abstract JUnit 5
 * class per part of the behaviour contract (paths, content, stores, memories, listing, moves and batches, versions
 * and redaction, retention, preconditions, sessions, ids, errors, export and import). A backend module's test extends
 * it and supplies a {@link dev.agentmemory.testkit.BackendFixture}; the {@link dev.agentmemory.testkit.Capabilities}
 * flags say where a backend legitimately differs. Each test breaks one rule and checks the exact exception and that
 * nothing changed, or checks one promised behaviour.
 */
package dev.agentmemory.testkit;
