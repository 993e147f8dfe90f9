package io.recon.action;

import io.recon.mismatch.MismatchOpenedListener;
import io.recon.mismatch.OpenedMismatch;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What Recon does about an actionable mismatch: alert the routed channels and start the configured
 * repair. Runs in the transaction that opened it, or, when a second check must confirm it first, in
 * the transaction that confirms it ({@link #actOn}).
 */
@Component
public class MismatchActions implements MismatchOpenedListener {

    private final AlertOutbox alerts;
    private final RepairPlanner repairs;
    private final List<AlertDeferral> deferrals;

    MismatchActions(AlertOutbox alerts, RepairPlanner repairs, ObjectProvider<AlertDeferral> deferrals) {
        this.alerts = alerts;
        this.repairs = repairs;
        this.deferrals = deferrals.orderedStream().toList();
    }

    @Override
    public void opened(OpenedMismatch m) {
        if (deferrals.stream().noneMatch(d -> d.defers(m))) {
            actOn(m);
        }
    }

    public void actOn(OpenedMismatch m) {
        alerts.alert(m);
        repairs.plan(m);
    }
}
