package dev.agentmemory.spring.boot;

import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;

/**
 * Runs a {@link RetentionJob} on a cron schedule, on one daemon thread of its own (so the application needs no
 * {@code @EnableScheduling}), from when the application context starts until it stops. An exception of a run is
 * logged and the schedule goes on. Stopping interrupts a run in progress, which ends after the store it is purging.
 * Thread-safe.
 */
public final class RetentionSchedule implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSchedule.class);

    private final RetentionJob job;
    private final CronTrigger trigger;
    private ThreadPoolTaskScheduler scheduler;
    private ScheduledFuture<?> future;

    /**
     * Creates the schedule; nothing runs before {@link #start()}.
     *
     * @param job the job
     * @param cron a Spring cron expression: second minute hour day month weekday
     * @param zone the expression's time zone
     * @throws IllegalStateException if the expression is malformed
     */
    public RetentionSchedule(RetentionJob job, String cron, ZoneId zone) {
        this.job = Objects.requireNonNull(job, "job");
        if (!CronExpression.isValidExpression(cron)) {
            throw new IllegalStateException("agent-memory.retention.cron is not a valid cron expression: '" + cron
                    + "'; it has six fields, second minute hour day month weekday, for example 0 30 3 * * *");
        }
        this.trigger = new CronTrigger(cron, zone);
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        ThreadPoolTaskScheduler s = new ThreadPoolTaskScheduler();
        s.setPoolSize(1);
        s.setThreadNamePrefix("agent-memory-retention-");
        s.setDaemon(true);
        // On stop, a run in progress is interrupted (it stops before its next store) and given this long to finish
        // the store it is purging, before the AgentMemory it uses is closed.
        s.setAwaitTerminationSeconds(10);
        s.setErrorHandler(e -> LOG.error("agent-memory retention run failed; the schedule goes on", e));
        s.initialize();
        future = s.schedule(job::run, trigger);
        scheduler = s;
        LOG.info("agent-memory retention scheduled ({}): {}", trigger.getExpression(), job);
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        future.cancel(false);
        scheduler.shutdown();
        scheduler = null;
        future = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public String toString() {
        return "RetentionSchedule{" + trigger.getExpression() + ", " + job + "}";
    }
}
