package dev.agentmemory.spring.boot.autoconfigure;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.spring.boot.AgentMemoryHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code agentMemory} health indicator when the application has Spring Boot's actuator and an
 * {@link AgentMemory} bean (the starter's or its own). Turned off with
 * {@code management.health.agentmemory.enabled=false}.
 */
@AutoConfiguration(after = AgentMemoryAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(AgentMemory.class)
@ConditionalOnEnabledHealthIndicator("agentmemory")
public class AgentMemoryHealthAutoConfiguration {

    /** Created by Spring. */
    public AgentMemoryHealthAutoConfiguration() {
    }

    /**
     * The health indicator.
     *
     * @param memory the service to probe
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "agentMemoryHealthIndicator")
    public AgentMemoryHealthIndicator agentMemoryHealthIndicator(AgentMemory memory) {
        return new AgentMemoryHealthIndicator(memory);
    }
}
