package io.recon.action;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends what the outbox holds. One thread claims due actions (leased, so that a crashed sender's
 * actions come back after the lease), delivers them on a small pool, records every attempt and
 * marks each action done, retried later with exponential back-off, or failed. Delivery is at least
 * once; the idempotency key on every request makes it exactly once for the receiver.
 */
@Component
class ActionDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ActionDispatcher.class);
    private static final long SUMMARIZE_EVERY_MS = 1000;

    private final ActionStore store;
    private final HeldAlertSummaries summaries;
    private final DispatchSignal signal;
    private final AlertsProperties config;
    private final Map<AlertsProperties.Kind, ChannelSender> senders;
    private final RepairExecutor repairs;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final Timer delay;
    private final Counter failures;

    private volatile boolean running;
    private Thread loop;
    private ExecutorService pool;

    ActionDispatcher(ActionStore store, HeldAlertSummaries summaries, DispatchSignal signal, AlertsProperties config,
                     List<ChannelSender> senders, RepairExecutor repairs, org.springframework.context.ApplicationEventPublisher events,
                     MeterRegistry metrics) {
        this.repairs = repairs;
        this.events = events;
        this.store = store;
        this.summaries = summaries;
        this.signal = signal;
        this.config = config;
        this.senders = senders.stream().collect(Collectors.toMap(ChannelSender::kind, Function.identity()));
        this.delay = Timer.builder("recon.alert.delay").description("from the action's commit to its delivery")
                .publishPercentileHistogram().register(metrics);
        this.failures = Counter.builder("recon.alert.failed.attempts").register(metrics);
    }

    @Override
    public void start() {
        if (!config.dispatch().enabled()) {
            log.warn("action dispatch is off (recon.alerts.dispatch.enabled=false): alerts stay in the outbox");
            return;
        }
        running = true;
        java.util.concurrent.atomic.AtomicInteger senders = new java.util.concurrent.atomic.AtomicInteger();
        pool = Executors.newFixedThreadPool(config.dispatch().parallelism(), r -> {
            Thread t = new Thread(r, "recon-actions-send-" + senders.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        loop = new Thread(this::run, "recon-actions");
        loop.start();
    }

    @Override
    public void stop() {
        running = false;
        if (loop != null) {
            signal.wake();
            loop.interrupt();
            try {
                loop.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pool.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the sessions: stop before them is not needed, the outbox keeps whatever is unsent. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void run() {
        long lastSummary = 0;
        while (running) {
            try {
                if (System.currentTimeMillis() - lastSummary >= SUMMARIZE_EVERY_MS) {
                    summaries.summarizeDue();
                    lastSummary = System.currentTimeMillis();
                }
                List<PendingAction> due = store.claimDue(config.dispatch().batchSize(), leaseFor());
                if (due.isEmpty()) {
                    signal.await(config.dispatch().poll().toMillis());
                    continue;
                }
                List<Future<Attempt>> sends = due.stream().map(a -> pool.submit(() -> deliver(a))).collect(Collectors.toList());
                List<Attempt> attempts = new java.util.ArrayList<>();
                for (Future<Attempt> send : sends) {
                    attempts.add(send.get());
                    // Recorded a few at a time, not once per round: a crash re-sends (under the same keys, which
                    // receivers drop) only what was delivered since the last record, not a whole round of 100.
                    if (attempts.size() >= config.dispatch().parallelism()) {
                        record(attempts);
                    }
                }
                record(attempts);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                log.warn("action dispatch round failed, retrying: {}", e.toString());
                sleepQuietly(config.dispatch().poll().toMillis());
            }
        }
    }

    /**
     * What became of one delivery. The senders only deliver; the loop alone records, after the round's sends are
     * back: a delivery that failed while the database was down used to throw from its own record and abandon the
     * round, so the deliveries that had succeeded in it were never marked done and went out again once their lease
     * ran out.
     */
    private sealed interface Attempt permits Sent, RepairSent, Failed {
    }

    private record Sent(ActionStore.Delivered delivered) implements Attempt {
    }

    private record RepairSent(PendingAction action, String answer, int millis) implements Attempt {
    }

    private record Failed(PendingAction action, String reason, int millis, boolean last, Duration backoff) implements Attempt {
    }

    /**
     * Records every attempt of the list and empties it, waiting out an outage of the database rather than dropping
     * a record: an unrecorded delivery would be sent again once its lease ran out, an unrecorded failure would be
     * retried without its back-off. What is recorded leaves the list at once, so a retry records nothing twice.
     */
    private void record(List<Attempt> attempts) throws InterruptedException {
        long wait = 250;
        while (!attempts.isEmpty()) {
            try {
                recordOnce(attempts);
            } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException e) {
                if (!running) {
                    throw e;
                }
                log.warn("{} delivery attempts cannot be recorded yet ({}); retrying", attempts.size(), e.getMostSpecificCause().getMessage());
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 5_000);
            }
        }
    }

    private void recordOnce(List<Attempt> attempts) {
        List<ActionStore.Delivered> alerts = attempts.stream().filter(Sent.class::isInstance).map(a -> ((Sent) a).delivered()).toList();
        store.deliveredAll(alerts);
        attempts.removeIf(Sent.class::isInstance);
        Instant now = Instant.now();
        alerts.forEach(d -> delay.record(Duration.between(d.action().createdAt(), now)));
        for (java.util.Iterator<Attempt> it = attempts.iterator(); it.hasNext(); ) {
            Attempt attempt = it.next();
            if (attempt instanceof RepairSent r) {
                store.delivered(r.action(), r.answer(), r.millis());
                it.remove();
                try {
                    events.publishEvent(new RepairDelivered(r.action().mismatchId()));
                } catch (RuntimeException e) {
                    log.warn("after repair {}: the second check could not be scheduled: {}", r.action().idempotencyKey(), e.toString());
                }
            } else if (attempt instanceof Failed f) {
                store.failed(f.action(), f.reason(), f.millis(), f.last(), f.backoff());
                it.remove();
            }
        }
    }

    /** Delivers one action and says how it went; never throws and never writes to the database. */
    private Attempt deliver(PendingAction action) {
        long start = System.nanoTime();
        try {
            if (!"REPAIR".equals(action.kind())) {
                return new Sent(new ActionStore.Delivered(action, alert(action), elapsedMillis(start)));
            }
            return new RepairSent(action, repairs.execute(action), elapsedMillis(start));
        } catch (Exception e) {
            failures.increment();
            String reason = e instanceof ChannelSender.DeliveryFailed ? e.getMessage() : e.toString();
            boolean last = action.attempt() >= config.dispatch().maxAttempts();
            Duration wait = config.dispatch().backoff(action.attempt());
            log.warn("{} via {} attempt {} failed ({}){}", action.idempotencyKey(), action.channel(), action.attempt(), reason,
                    last ? "; giving up" : "; next attempt in " + wait.toMillis() + " ms");
            return new Failed(action, reason, elapsedMillis(start), last, wait);
        }
    }

    private String alert(PendingAction action) throws Exception {
        AlertsProperties.Channel channel = config.channels().get(action.channel());
        if (channel == null) {
            throw new ChannelSender.DeliveryFailed("channel '" + action.channel() + "' is no longer configured under recon.alerts.channels");
        }
        return senders.get(channel.kind()).send(action, channel, AlertMessage.of(action));
    }

    private Duration leaseFor() {
        return config.dispatch().timeout().multipliedBy(3).plusSeconds(5);
    }

    private static int elapsedMillis(long startNanos) {
        return (int) ((System.nanoTime() - startNanos) / 1_000_000);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
