package dev.agentmemory.spring.boot.autoconfigure;

import dev.agentmemory.spring.boot.AgentMemoryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds {@link AgentMemoryMetrics}, the write listener that records Micrometer meters, when the application has a
 * {@link MeterRegistry} (as Spring Boot's actuator gives it). The auto-configured {@code AgentMemory} picks it up
 * with every other {@code WriteListener} bean; an {@code AgentMemory} of the application's own passes it to its
 * builder itself.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"},
        before = AgentMemoryAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class AgentMemoryMetricsAutoConfiguration {

    /** Created by Spring. */
    public AgentMemoryMetricsAutoConfiguration() {
    }

    /**
     * The meters.
     *
     * @param registry the application's registry
     * @return the write listener that records them
     */
    @Bean
    @ConditionalOnMissingBean
    public AgentMemoryMetrics agentMemoryMetrics(MeterRegistry registry) {
        return new AgentMemoryMetrics(registry);
    }
}
