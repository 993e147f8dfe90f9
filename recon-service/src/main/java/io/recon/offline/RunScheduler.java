package io.recon.offline;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the scheduled offline runs: every {@code recon.offline.schedule-check} (15 s) it looks for a schedule whose
 * next firing has come and runs the business day before the firing's date, in the schedule's zone. One firing per
 * schedule and look (the task's SQL check, when it has one, runs beside its rules), so firings missed while the service was down are caught up one by one, none twice (the firing
 * is claimed in the database before the run starts).
 */
@Component
public class RunScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunScheduler.class);

    private final RunSchedules schedules;
    private final OfflineRuns runs;
    private final Duration every;
    private volatile Thread loop;

    RunScheduler(RunSchedules schedules, OfflineRuns runs, @Value("${recon.offline.schedule-check:15s}") Duration every) {
        this.schedules = schedules;
        this.runs = runs;
        this.every = every;
    }

    /**
     * Acts on the firings due at {@code now}; @return how many runs it started. The loop calls it with the wall clock;
     * a test may call it with a clock of its own.
     */
    public int tick(Instant now) {
        int started = 0;
        for (RunSchedules.Schedule s : schedules.list()) {
            if (!s.enabled()) {
                continue;
            }
            ZonedDateTime next = s.expression().next(s.lastFired().atZone(s.zoneId()));
            if (next == null || next.toInstant().isAfter(now) || !schedules.claim(s.task(), s.lastFired(), next.toInstant())) {
                continue;
            }
            LocalDate day = next.toLocalDate().minusDays(1);
            try {
                long id = runs.start(s.task(), day.atStartOfDay(s.zoneId()).toInstant(), day.plusDays(1).atStartOfDay(s.zoneId()).toInstant(),
                        null, RunFinished.SCHEDULE);
                log.info("scheduled offline run {} of task '{}' for {} ({})", id, s.task(), day, s.zone());
                started++;
                if (runs.hasCheck(s.task())) {
                    long check = runs.startCheck(s.task(), day.atStartOfDay(s.zoneId()).toInstant(),
                            day.plusDays(1).atStartOfDay(s.zoneId()).toInstant(), RunFinished.SCHEDULE);
                    log.info("scheduled SQL check run {} of task '{}' for {} ({})", check, s.task(), day, s.zone());
                    started++;
                }
            } catch (RunRefusal e) {
                log.warn("the scheduled offline run of task '{}' for {} cannot start: {}", s.task(), day, e.getMessage());
            }
        }
        return started;
    }

    @Override
    public void start() {
        Thread t = new Thread(() -> {
            while (loop == Thread.currentThread()) {
                try {
                    tick(Instant.now());
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("offline run schedules could not be checked: {}", e.getMessage());
                }
            }
        }, "offline-schedules");
        t.setDaemon(true);
        loop = t;
        t.start();
    }

    @Override
    public void stop() {
        Thread t = loop;
        loop = null;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
