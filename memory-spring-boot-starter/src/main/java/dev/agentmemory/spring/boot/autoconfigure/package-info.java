/**
 * The Spring Boot auto-configuration of agent-memory, registered in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}: the {@code AgentMemory}
 * bean, its health indicator, its Micrometer meters and the retention schedule. Each backs off when the application
 * defines the same bean itself.
 */
package dev.agentmemory.spring.boot.autoconfigure;
