package io.budgetctl.lifecycle.fleet;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.fleet.CustomerJob.Outcome;
import io.budgetctl.lifecycle.fleet.FleetOptions.WindowPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link CustomerJob} over waves of customers (docs/fleet.md). One coordinating thread (the caller's) decides
 * what starts and writes every state change to the {@link Journal} before telling the listeners; up to
 * {@code --parallel} worker threads run jobs. A customer starts when:
 * <ul>
 *   <li>its wave has begun: a wave begins once the previous one has finished, within the failure budget, and after
 *       {@code --pause};</li>
 *   <li>a worker is free, none of its servers is in use by a running customer, and its advisory lock
 *       ({@link CustomerLocks}) is free - else it is skipped, naming the holder;</li>
 *   <li>its maintenance window is open - else it is skipped with the reason, waits ({@code --wait-for-window}), or
 *       starts anyway with the override recorded ({@code --ignore-windows});</li>
 *   <li>the failure budget is not exceeded - once it is, nothing new starts, running jobs finish, and the rest are
 *       skipped as never started;</li>
 *   <li>the run is not cancelled ({@link Cancellation}) - once it is, the request is journaled ({@code cancel}),
 *       nothing new starts, running jobs finish, and the rest are skipped naming the request.</li>
 * </ul>
 * Time comes from the {@link Clock} and waiting goes through the {@link Sleeper}, so tests drive both.
 */
public final class FleetScheduler {
    /** How long the coordinator waits for a finished job before looking at the windows again. */
    private static final long WINDOW_POLL_MILLIS = 1000;

    private final CustomerJob job;
    private final Clock clock;
    private final Sleeper sleeper;
    private final CustomerLocks locks;
    private final List<FleetListener> listeners;
    private final Cancellation cancellation;

    public FleetScheduler(CustomerJob job, Clock clock, Sleeper sleeper, CustomerLocks locks,
                          List<FleetListener> listeners) {
        this(job, clock, sleeper, locks, listeners, Cancellation.none());
    }

    public FleetScheduler(CustomerJob job, Clock clock, Sleeper sleeper, CustomerLocks locks,
                          List<FleetListener> listeners, Cancellation cancellation) {
        this.job = job;
        this.clock = clock;
        this.sleeper = sleeper;
        this.locks = locks;
        this.listeners = List.copyOf(listeners);
        this.cancellation = cancellation;
    }

    /** A new run id: UTC time and a random suffix, e.g. {@code 20261204T172712Z-3f2a}. */
    public static String newRunId(Clock clock) {
        String t = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(clock.instant());
        return t + "-" + String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));
    }

    /**
     * Starts a new run: records it and queues every customer, then runs the waves.
     *
     * @throws InterruptedException when the caller's thread is interrupted; the journal then shows the customers
     *                              that were running, which a later {@link #resume} reports
     */
    public FleetResult apply(Journal journal, String runId, String operator, String selection, List<Wave> waves,
                             FleetOptions options) throws InterruptedException {
        Run run = new Run(journal, runId, operator, options, waves);
        List<JournalEvent.WaveEntry> entries = waves.stream()
                .map(w -> new JournalEvent.WaveEntry(w.name(), w.ids())).toList();
        run.emit(run.base(JournalEvent.RUN_START).start("apply", selection, entries, options.toMap()));
        for (Wave w : waves) {
            for (FleetCustomer c : w.customers()) {
                run.record(c.id(), w.number(), CustomerState.QUEUED, null, null, null);
            }
        }
        return run.execute();
    }

    /**
     * Continues a run from its journal: done and failed customers are not run again; customers that were
     * {@code running} when the controller died are reported {@code interrupted} and run again only with
     * {@code retryInterrupted}; queued and skipped customers are queued again. Failures so far count against the
     * budget. The waves are the run's own (from its first line); each customer is looked up in {@code current}.
     *
     * @param options the options to continue with; null keeps the run's
     * @throws EngineException when the journal has no {@code run_start} line
     */
    public FleetResult resume(Journal journal, List<JournalEvent> history, String operator,
                              Map<String, FleetCustomer> current, FleetOptions options) throws InterruptedException {
        JournalEvent start = history.isEmpty() ? null : history.get(0);
        if (start == null || !JournalEvent.RUN_START.equals(start.event()) || start.waves() == null) {
            throw new EngineException(SourceLocation.of(journal.file().toString()),
                    "the journal does not start with a run_start line", "it is not a fleet journal, or it was cut");
        }
        FleetOptions opts = options != null ? options : FleetOptions.fromMap(start.options());
        Map<String, JournalEvent> last = lastCustomerEvents(history);
        List<Wave> waves = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (JournalEvent.WaveEntry we : start.waves()) {
            List<FleetCustomer> cs = new ArrayList<>();
            for (String id : we.customers()) {
                FleetCustomer c = current.get(id);
                if (c == null) {
                    missing.add(id);
                    c = FleetCustomer.of(id);
                }
                cs.add(c);
            }
            waves.add(new Wave(waves.size() + 1, we.name(), cs));
        }
        Run run = new Run(journal, start.run(), operator, opts, waves);
        JournalEvent resume = run.base(JournalEvent.RESUME).start("resume", start.selection(), null, opts.toMap());
        run.emit(resume);
        for (Wave w : waves) {
            for (FleetCustomer c : w.customers()) {
                JournalEvent e = last.get(c.id());
                CustomerState s = e == null ? CustomerState.QUEUED : e.customerState();
                Double secs = e == null ? null : e.seconds();
                if (s.finished()) {
                    run.keep(c.id(), w.number(), s, e.reason(), e.log(), secs);
                    if (s == CustomerState.FAILED) {
                        run.failures++;
                    }
                } else if (missing.contains(c.id())) {
                    run.record(c.id(), w.number(), CustomerState.SKIPPED,
                            "no longer in the deployments repository", null, null);
                    run.done.add(c.id());
                } else if (s == CustomerState.RUNNING || s == CustomerState.INTERRUPTED) {
                    String why = "died mid-deploy: the controller stopped while it ran"
                            + (e.log() == null ? "" : " (log " + e.log() + ")");
                    if (opts.retryInterrupted()) {
                        run.record(c.id(), w.number(), CustomerState.QUEUED, "re-queued (--retry-interrupted); it "
                                + why, e.log(), null);
                    } else {
                        run.record(c.id(), w.number(), CustomerState.INTERRUPTED, why + "; check its host lock and"
                                + " state ('budgetctl status --client " + c.id() + "'), then resume with"
                                + " --retry-interrupted", e.log(), null);
                        run.done.add(c.id());
                    }
                } else {
                    run.record(c.id(), w.number(), CustomerState.QUEUED, "resumed", null, null);
                }
            }
        }
        run.checkBudget();
        return run.execute();
    }

    /** The last customer line of each customer, in journal order. */
    public static Map<String, JournalEvent> lastCustomerEvents(List<JournalEvent> history) {
        Map<String, JournalEvent> last = new LinkedHashMap<>();
        for (JournalEvent e : history) {
            if (JournalEvent.CUSTOMER.equals(e.event()) && e.customer() != null) {
                last.put(e.customer(), e);
            }
        }
        return last;
    }

    private record Finished(FleetCustomer customer, int wave, Outcome outcome, Instant started) {
    }

    /** One run's mutable state, touched only by the coordinating thread. */
    private final class Run {
        final Journal journal;
        final String runId;
        final String operator;
        final FleetOptions options;
        final List<Wave> waves;
        final int total;
        final Map<String, FleetResult.Entry> entries = new LinkedHashMap<>();
        final Set<String> done = new HashSet<>();
        final Set<String> busyServers = new HashSet<>();
        final Set<String> announcedWaits = new HashSet<>();
        final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        final Instant began = clock.instant();
        int failures;
        int running;
        boolean budgetExceeded;
        /** Who cancelled the run, once the request has been seen; null before. */
        String cancelled;

        Run(Journal journal, String runId, String operator, FleetOptions options, List<Wave> waves) {
            this.journal = journal;
            this.runId = runId;
            this.operator = operator;
            this.options = options;
            this.waves = waves;
            this.total = waves.stream().mapToInt(w -> w.customers().size()).sum();
        }

        JournalEvent base(String event) {
            return JournalEvent.of(clock.instant().toString(), runId, operator, event);
        }

        void emit(JournalEvent e) {
            journal.append(e);
            for (FleetListener l : listeners) {
                l.event(e);
            }
        }

        void record(String id, int wave, CustomerState s, String reason, String log, Double secs) {
            emit(base(JournalEvent.CUSTOMER).customer(id, wave, s, reason, log, secs));
            keep(id, wave, s, reason, log, secs);
        }

        void keep(String id, int wave, CustomerState s, String reason, String log, Double secs) {
            FleetResult.Entry old = entries.get(id);
            String l = log != null ? log : old == null ? null : old.log();
            entries.put(id, new FleetResult.Entry(id, wave, s, reason, l, secs, false));
            if (s.finished()) {
                done.add(id);
            }
        }

        FleetResult execute() throws InterruptedException {
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(options.parallel(), r -> {
                Thread t = new Thread(r, "fleet-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            try {
                boolean ranBefore = false;
                for (Wave w : waves) {
                    List<FleetCustomer> todo = w.customers().stream().filter(c -> !done.contains(c.id())).toList();
                    if (todo.isEmpty()) {
                        continue;
                    }
                    if (budgetExceeded) {
                        todo.forEach(c -> neverStarted(c, w));
                        continue;
                    }
                    if (checkCancel()) {
                        todo.forEach(c -> cancelled(c, w));
                        continue;
                    }
                    if (ranBefore && !options.pause().isZero()) {
                        emit(base(JournalEvent.PAUSE).seconds(options.pause().toMillis() / 1000.0));
                        sleeper.sleep(options.pause());
                    }
                    ranBefore = true;
                    emit(base(JournalEvent.WAVE_START).wave(w.number(), w.name()));
                    runWave(pool, w, new ArrayList<>(todo));
                    emit(base(JournalEvent.WAVE_END).wave(w.number(), w.name()));
                }
            } finally {
                pool.shutdownNow();
            }
            FleetResult result = new FleetResult(runId, journal.file().toString(), orderedEntries(), budgetExceeded,
                    Duration.between(began, clock.instant()).toMillis() / 1000.0);
            Map<CustomerState, Long> c = result.counts();
            emit(base(JournalEvent.RUN_END).reason(c.get(CustomerState.DONE) + " done, "
                    + c.get(CustomerState.FAILED) + " failed, " + c.get(CustomerState.SKIPPED) + " skipped, "
                    + c.get(CustomerState.INTERRUPTED) + " interrupted" + (budgetExceeded
                    ? "; failure budget exceeded, never started: " + String.join(", ", result.neverStarted()) : "")
                    + (cancelled != null ? "; cancelled " + cancelled : "")));
            return result;
        }

        private List<FleetResult.Entry> orderedEntries() {
            List<FleetResult.Entry> out = new ArrayList<>();
            for (Wave w : waves) {
                for (FleetCustomer c : w.customers()) {
                    out.add(entries.get(c.id()));
                }
            }
            return out;
        }

        private void neverStarted(FleetCustomer c, Wave w) {
            String why = "never started: the failure budget was exceeded (" + failures + " failed, "
                    + options.budget().allowed(total) + " allowed)";
            emit(base(JournalEvent.CUSTOMER).customer(c.id(), w.number(), CustomerState.SKIPPED, why, null, null));
            entries.put(c.id(), new FleetResult.Entry(c.id(), w.number(), CustomerState.SKIPPED, why, null, null,
                    true));
        }

        /** True once the run is cancelled; the first time, journals who asked. */
        private boolean checkCancel() {
            if (cancelled == null) {
                String who = cancellation.requested();
                if (who != null) {
                    cancelled = who;
                    emit(base(JournalEvent.CANCEL).reason("cancelled " + who + ": no new customer starts, running ones"
                            + " finish"));
                }
            }
            return cancelled != null;
        }

        private void cancelled(FleetCustomer c, Wave w) {
            record(c.id(), w.number(), CustomerState.SKIPPED, "never started: the run was cancelled " + cancelled
                    + "; 'budgetctl fleet resume " + runId + "' continues it", null, null);
        }

        private void runWave(ExecutorService pool, Wave w, List<FleetCustomer> pending) throws InterruptedException {
            while (!pending.isEmpty() || running > 0) {
                if (budgetExceeded) {
                    pending.forEach(c -> neverStarted(c, w));
                    pending.clear();
                } else if (!pending.isEmpty() && checkCancel()) {
                    pending.forEach(c -> cancelled(c, w));
                    pending.clear();
                } else {
                    startWhatCan(pool, w, pending);
                }
                if (running > 0) {
                    Finished f = pending.isEmpty() ? finished.take()
                            : finished.poll(WINDOW_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (f != null) {
                        finish(f);
                    }
                } else if (!pending.isEmpty()) {
                    // nothing runs and nothing could start: every pending customer waits for its window
                    Instant now = clock.instant();
                    Instant next = pending.stream().map(c -> c.window().nextOpening(now)).min(Instant::compareTo)
                            .orElse(now);
                    sleeper.sleep(Duration.between(now, next));
                }
            }
        }

        private void startWhatCan(ExecutorService pool, Wave w, List<FleetCustomer> pending) {
            Instant now = clock.instant();
            for (Iterator<FleetCustomer> it = pending.iterator(); it.hasNext() && running < options.parallel(); ) {
                FleetCustomer c = it.next();
                String note = null;
                if (c.window() != null && !c.window().isOpen(now)) {
                    String outside = "outside its maintenance window (" + c.window() + "; next opens "
                            + c.window().nextOpening(now) + ")";
                    if (options.windows() == WindowPolicy.SKIP) {
                        record(c.id(), w.number(), CustomerState.SKIPPED, outside
                                + "; --wait-for-window waits for it, --ignore-windows runs anyway", null, null);
                        it.remove();
                        continue;
                    }
                    if (options.windows() == WindowPolicy.WAIT) {
                        if (announcedWaits.add(c.id())) {
                            record(c.id(), w.number(), CustomerState.QUEUED, "waiting: " + outside, null, null);
                        }
                        continue;
                    }
                    note = outside + ": started because of --ignore-windows";
                }
                if (c.servers().stream().anyMatch(busyServers::contains)) {
                    continue;
                }
                String holder = locks.tryLock(c.id(), "run " + runId + " by " + operator + " (pid "
                        + ProcessHandle.current().pid() + ") since " + now);
                if (holder != null) {
                    record(c.id(), w.number(), CustomerState.SKIPPED, "another fleet run is working on it: " + holder,
                            null, null);
                    it.remove();
                    continue;
                }
                it.remove();
                busyServers.addAll(c.servers());
                running++;
                record(c.id(), w.number(), CustomerState.RUNNING, note, null, null);
                Instant started = clock.instant();
                pool.execute(() -> finished.add(new Finished(c, w.number(), call(c), started)));
            }
        }

        private Outcome call(FleetCustomer c) {
            try {
                Outcome o = job.run(c);
                return o != null ? o : Outcome.failed("the job returned no outcome", null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.failed("interrupted", null);
            } catch (Exception e) {
                return Outcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
            }
        }

        private void finish(Finished f) {
            running--;
            busyServers.removeAll(f.customer().servers());
            locks.unlock(f.customer().id());
            double secs = Duration.between(f.started(), clock.instant()).toMillis() / 1000.0;
            Outcome o = f.outcome();
            if (o.ok()) {
                record(f.customer().id(), f.wave(), CustomerState.DONE, o.reason(), o.log(), secs);
                return;
            }
            failures++;
            record(f.customer().id(), f.wave(), CustomerState.FAILED, o.reason() == null ? "failed" : o.reason(),
                    o.log(), secs);
            checkBudget();
        }

        void checkBudget() {
            if (!budgetExceeded && options.budget().exceeded(failures, total)) {
                budgetExceeded = true;
                emit(base(JournalEvent.BUDGET_EXCEEDED).reason(failures + " of " + total + " customers failed; --max-failures "
                        + options.budget() + " allows " + options.budget().allowed(total)
                        + ": no new customer starts, running ones finish"));
            }
        }
    }
}
