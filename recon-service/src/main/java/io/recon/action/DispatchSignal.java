package io.recon.action;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Wakes the dispatcher when a transaction has committed new actions, so that alerts do not wait for the next poll. */
@Component
class DispatchSignal {

    private final Semaphore signal = new Semaphore(0);

    void wake() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    /** Wakes the dispatcher once the current transaction has committed (its actions are not visible before). */
    void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    /** Waits up to {@code millis} for a wake-up; either way the dispatcher then looks for due actions. */
    void await(long millis) throws InterruptedException {
        signal.tryAcquire(millis, TimeUnit.MILLISECONDS);
        signal.drainPermits();
    }
}
