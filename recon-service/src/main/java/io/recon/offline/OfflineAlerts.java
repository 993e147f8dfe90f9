package io.recon.offline;

import io.recon.system.Incident;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A scheduled run that disagrees with the live path, or fails, is an incident: operators are alerted through the
 * outbox where the task's P1 and P2 alerts go, once while it lasts; the next scheduled run that agrees closes it.
 * Runs started by hand alert nobody: whoever started one reads its result.
 */
@Component
class OfflineAlerts {

    private final ApplicationEventPublisher events;

    OfflineAlerts(ApplicationEventPublisher events) {
        this.events = events;
    }

    @EventListener
    void on(RunFinished run) {
        if (!run.scheduled() || "CANCELLED".equals(run.status())) {
            return;
        }
        // the rules' runs and the SQL check are two witnesses: each has its own incident, one agreeing does not close the other's
        boolean check = OfflineRuns.SQL.equals(run.kind());
        String subject = (check ? "sql check " : "offline run ") + run.task();
        String what = check ? "SQL check run " : "Offline run ";
        String link = " (GET /api/runs/" + run.id() + ")";
        if ("FAILED".equals(run.status())) {
            events.publishEvent(new Incident(subject, run.task(), true, "Scheduled " + (check ? "SQL check run " : "offline run ") + run.id() + " of task " + run.task()
                    + " failed", run.error() + link));
        } else if (!run.comparison().empty()) {
            events.publishEvent(new Incident(subject, run.task(), true, what + run.id() + " of task " + run.task()
                    + " disagrees with the live path", run.comparison().missedByLive().size() + " mismatch(es) the live path missed, "
                    + run.comparison().onlyLive().size() + " only the live path reported" + link));
        } else {
            events.publishEvent(new Incident(subject, run.task(), false, what + run.id() + " of task " + run.task()
                    + " agrees with the live path", run.comparison().matched() + " mismatch(es) found on both paths" + link));
        }
    }
}
