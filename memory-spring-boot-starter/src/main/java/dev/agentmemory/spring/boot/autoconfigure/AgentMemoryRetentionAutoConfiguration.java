package dev.agentmemory.spring.boot.autoconfigure;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.spring.boot.AgentMemoryProperties;
import dev.agentmemory.spring.boot.RetentionJob;
import dev.agentmemory.spring.boot.RetentionSchedule;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Schedules the retention purge when {@code agent-memory.retention.enabled=true}: every store of the workspaces in
 * {@code agent-memory.retention.workspaces}, on {@code agent-memory.retention.cron} (daily at 03:30 by default),
 * keeping what {@code agent-memory.retention.window} and {@code keep-per-memory} say (the library's limits when not
 * set).
 */
@AutoConfiguration(after = AgentMemoryAutoConfiguration.class)
@ConditionalOnBean(AgentMemory.class)
@ConditionalOnProperty(prefix = "agent-memory.retention", name = "enabled", havingValue = "true")
public class AgentMemoryRetentionAutoConfiguration {

    /** Created by Spring. */
    public AgentMemoryRetentionAutoConfiguration() {
    }

    /**
     * The job.
     *
     * @param memory the service
     * @param properties the settings
     * @return the job
     */
    @Bean
    @ConditionalOnMissingBean
    public RetentionJob agentMemoryRetentionJob(AgentMemory memory, AgentMemoryProperties properties) {
        AgentMemoryProperties.Retention r = properties.getRetention();
        if (r.getWorkspaces().isEmpty()) {
            throw new IllegalStateException("agent-memory.retention.enabled is true but"
                    + " agent-memory.retention.workspaces is empty: list the workspaces whose stores to purge");
        }
        RetentionPolicy defaults = memory.limits().retention();
        RetentionPolicy policy = new RetentionPolicy(r.getWindow().orElse(defaults.window()),
                r.getKeepPerMemory().orElse(defaults.keepPerLiveMemory()));
        return new RetentionJob(memory, r.getWorkspaces(), policy);
    }

    /**
     * The schedule that runs it.
     *
     * @param job the job
     * @param properties the settings
     * @return the schedule, started and stopped with the application context
     */
    @Bean
    public RetentionSchedule agentMemoryRetentionSchedule(RetentionJob job, AgentMemoryProperties properties) {
        return new RetentionSchedule(job, properties.getRetention().getCron(), properties.getRetention().getZone());
    }
}
