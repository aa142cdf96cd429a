/**
 * agent-memory in a Spring Boot application: the {@code agent-memory.*} settings
 * ({@link dev.agentmemory.spring.boot.AgentMemoryProperties}), the health indicator, the Micrometer meters of writes
 * ({@link dev.agentmemory.spring.boot.AgentMemoryMetrics}) and the retention job. The auto-configuration in
 * {@code dev.agentmemory.spring.boot.autoconfigure} wires them; applications use these types to override or call
 * them.
 */
package dev.agentmemory.spring.boot;
