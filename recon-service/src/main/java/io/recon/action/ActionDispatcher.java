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
                List<Future<ActionStore.Delivered>> sends = due.stream().map(a -> pool.submit(() -> deliver(a))).collect(Collectors.toList());
                List<ActionStore.Delivered> delivered = new java.util.ArrayList<>();
                for (Future<ActionStore.Delivered> send : sends) {
                    ActionStore.Delivered d = send.get();
                    if (d != null) {
                        delivered.add(d);
                    }
                    // Marked done a few at a time, not once per round: a crash re-sends (under the same keys, which
                    // receivers drop) only what was delivered since the last mark, not a whole round of 100.
                    if (delivered.size() >= config.dispatch().parallelism()) {
                        markDone(delivered);
                    }
                }
                markDone(delivered);
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
     * Waits out an outage of the database rather than dropping the marks: an unmarked delivery would be sent
     * again once its lease ran out.
     */
    private void markDone(List<ActionStore.Delivered> delivered) throws InterruptedException {
        long wait = 250;
        while (true) {
            try {
                store.deliveredAll(delivered);
                break;
            } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException e) {
                if (!running) {
                    throw e;
                }
                log.warn("{} delivered alerts cannot be marked done yet ({}); retrying", delivered.size(), e.getMostSpecificCause().getMessage());
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 5_000);
            }
        }
        Instant now = Instant.now();
        delivered.forEach(d -> delay.record(Duration.between(d.action().createdAt(), now)));
        delivered.clear();
    }

    /** @return a delivered alert, for the round's batch update; null when already recorded (repairs, failures) */
    private ActionStore.Delivered deliver(PendingAction action) {
        long start = System.nanoTime();
        boolean repair = "REPAIR".equals(action.kind());
        try {
            if (!repair) {
                return new ActionStore.Delivered(action, alert(action), elapsedMillis(start));
            }
            String answer = repairs.execute(action);
            store.delivered(action, answer, elapsedMillis(start));
            events.publishEvent(new RepairDelivered(action.mismatchId()));
            return null;
        } catch (Exception e) {
            failures.increment();
            String reason = e instanceof ChannelSender.DeliveryFailed ? e.getMessage() : e.toString();
            boolean last = action.attempt() >= config.dispatch().maxAttempts();
            Duration wait = config.dispatch().backoff(action.attempt());
            store.failed(action, reason, elapsedMillis(start), last, wait);
            log.warn("{} via {} attempt {} failed ({}){}", action.idempotencyKey(), action.channel(), action.attempt(), reason,
                    last ? "; giving up" : "; next attempt in " + wait.toMillis() + " ms");
            return null;
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
