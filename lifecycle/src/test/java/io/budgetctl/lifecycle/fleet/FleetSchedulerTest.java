package io.budgetctl.lifecycle.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.fleet.CustomerJob.Outcome;
import io.budgetctl.lifecycle.fleet.FleetOptions.WindowPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetSchedulerTest {
    /** A Wednesday, 12:00 UTC. */
    private static final String WEDNESDAY_NOON = "2026-12-02T12:00:00Z";

    @TempDir
    Path state;

    private final FakeClock clock = FakeClock.at(WEDNESDAY_NOON);
    private final List<JournalEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    private static List<FleetCustomer> customers(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> FleetCustomer.of("c" + i, "10.0.0." + i + ":22")).toList();
    }

    /** A job that records who ran and fails the customers {@code failing} names. */
    private CustomerJob job(Set<String> failing) {
        return c -> {
            ran.add(c.id());
            return failing.contains(c.id()) ? Outcome.failed("health gate: backend not ready", "/logs/" + c.id())
                    : Outcome.ok("/logs/" + c.id());
        };
    }

    private FleetScheduler scheduler(CustomerJob job) {
        return new FleetScheduler(job, clock, clock.sleeper(), CustomerLocks.none(), List.of(events::add));
    }

    private FleetResult apply(CustomerJob job, List<Wave> waves, FleetOptions options) throws Exception {
        try (Journal j = Journal.create(state, "run1")) {
            return scheduler(job).apply(j, "run1", "ops@test", "--all", waves, options);
        }
    }

    private List<String> customerLines(String state) {
        return events.stream().filter(e -> state.equals(e.state())).map(JournalEvent::customer).toList();
    }

    @Test
    void givenTwoWaves_whenApplied_thenTheSecondWaveStartsOnlyAfterEveryCustomerOfTheFirstFinished() throws Exception {
        // given
        List<Wave> waves = Waves.bySizes(customers(5), "2,rest");

        // when
        FleetResult result = apply(job(Set.of()), waves, FleetOptions.defaults().withParallel(4));

        // then: both ends of wave 1 are journaled before wave 2 begins
        List<String> order = events.stream().filter(e -> !"queued".equals(e.state()))
                .map(e -> e.event() + (e.wave() == null ? "" : ":" + e.wave())
                        + (e.customer() == null ? "" : ":" + e.customer() + ":" + e.state())).toList();
        int wave2 = order.indexOf("wave_start:2");
        assertThat(order.subList(0, wave2)).contains("customer:1:c1:done", "customer:1:c2:done", "wave_end:1");
        assertThat(order.subList(wave2, order.size())).noneMatch(s -> s.startsWith("customer:1:"));
        assertThat(result.exitCode()).isEqualTo(FleetResult.EXIT_OK);
        assertThat(result.count(CustomerState.DONE)).isEqualTo(5);
    }

    @Test
    void givenParallelThree_whenEightCustomersRun_thenAtMostThreeRunAtOnceAndThreeDo() throws Exception {
        // given: each job waits until three are running (or a while), so a missing cap would show as more
        AtomicInteger active = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CustomerJob slow = c -> {
            int now = active.incrementAndGet();
            max.accumulateAndGet(now, Math::max);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (active.get() < 3 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            Thread.sleep(20);
            active.decrementAndGet();
            return Outcome.ok(null);
        };

        // when
        FleetResult result = apply(slow, Waves.single(customers(8)), FleetOptions.defaults().withParallel(3));

        // then
        assertThat(max.get()).isEqualTo(3);
        assertThat(result.count(CustomerState.DONE)).isEqualTo(8);
    }

    @Test
    void givenCustomersSharingAServer_whenRunInParallel_thenNeverTwoOnThatServerAtOnce() throws Exception {
        // given: a, b, c share one SSH endpoint; d and e have their own
        List<FleetCustomer> cs = List.of(FleetCustomer.of("a", "demo.example:22"),
                FleetCustomer.of("b", "demo.example:22"), FleetCustomer.of("c", "demo.example:22", "db.example:22"),
                FleetCustomer.of("d", "10.0.0.4:22"), FleetCustomer.of("e", "10.0.0.5:22"));
        Map<String, AtomicInteger> perServer = new ConcurrentHashMap<>();
        AtomicInteger maxShared = new AtomicInteger();
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        CustomerJob job = c -> {
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            for (String s : c.servers()) {
                maxShared.accumulateAndGet(perServer.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet(),
                        Math::max);
            }
            Thread.sleep(60);
            c.servers().forEach(s -> perServer.get(s).decrementAndGet());
            active.decrementAndGet();
            return Outcome.ok(null);
        };

        // when
        FleetResult result = apply(job, Waves.single(cs), FleetOptions.defaults().withParallel(5));

        // then: one at a time per server, yet the others did run beside them
        assertThat(maxShared.get()).isEqualTo(1);
        assertThat(maxActive.get()).isGreaterThanOrEqualTo(2);
        assertThat(result.count(CustomerState.DONE)).isEqualTo(5);
    }

    @Test
    void givenNoFailuresAllowed_whenTheSecondCustomerFails_thenNothingNewStartsAndTheRestAreListedAsNeverStarted()
            throws Exception {
        // given: two waves, one at a time
        List<Wave> waves = Waves.bySizes(customers(6), "3,rest");

        // when
        FleetResult result = apply(job(Set.of("c2")), waves, FleetOptions.defaults());

        // then
        assertThat(ran).containsExactly("c1", "c2");
        assertThat(result.budgetExceeded()).isTrue();
        assertThat(result.exitCode()).isEqualTo(FleetResult.EXIT_BUDGET);
        assertThat(result.neverStarted()).containsExactly("c3", "c4", "c5", "c6");
        assertThat(result.in(CustomerState.FAILED)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("health gate: backend not ready"))
                .satisfies(e -> assertThat(e.log()).isEqualTo("/logs/c2"));
        assertThat(events).anyMatch(e -> e.event().equals("budget_exceeded"));
        assertThat(events).noneMatch(e -> e.event().equals("wave_start") && e.wave() == 2);
    }

    @Test
    void givenTheBudgetIsExceeded_whenOthersAreRunning_thenTheyFinishInsteadOfBeingAbandoned() throws Exception {
        // given: c1 fails at once while c2 is still deploying
        CountDownLatch c1Failed = new CountDownLatch(1);
        CustomerJob job = c -> {
            ran.add(c.id());
            if (c.id().equals("c1")) {
                c1Failed.countDown();
                return Outcome.failed("migration failed", null);
            }
            c1Failed.await(5, TimeUnit.SECONDS);
            Thread.sleep(100);
            return Outcome.ok(null);
        };

        // when
        FleetResult result = apply(job, Waves.single(customers(5)), FleetOptions.defaults().withParallel(2));

        // then
        assertThat(ran).containsExactlyInAnyOrder("c1", "c2");
        assertThat(result.entry("c2").state()).isEqualTo(CustomerState.DONE);
        assertThat(result.neverStarted()).containsExactly("c3", "c4", "c5");
    }

    @Test
    void givenAPercentageBudget_whenFailuresStayWithinIt_thenTheRunGoesOnAndExitsWithSomeFailed() throws Exception {
        // given: 20% of 10 allows two failures
        FleetOptions opts = FleetOptions.defaults().withBudget(FailureBudget.parse("20%"));

        // when
        FleetResult result = apply(job(Set.of("c3", "c7")), Waves.single(customers(10)), opts);

        // then
        assertThat(ran).hasSize(10);
        assertThat(result.budgetExceeded()).isFalse();
        assertThat(result.exitCode()).isEqualTo(FleetResult.EXIT_FAILED);
    }

    @Test
    void givenACustomerOutsideItsWindow_whenApplied_thenItIsSkippedWithTheReasonAndTheRunIsIncomplete()
            throws Exception {
        // given: a Saturday-only window; it is Wednesday
        MaintenanceWindow sat = MaintenanceWindow.of(List.of("sat"), "01:00", "05:00", null);
        List<FleetCustomer> cs = List.of(FleetCustomer.of("a", "h1:22").withWindow(sat), FleetCustomer.of("b", "h2:22"));

        // when
        FleetResult result = apply(job(Set.of()), Waves.single(cs), FleetOptions.defaults());

        // then
        assertThat(ran).containsExactly("b");
        assertThat(result.entry("a").state()).isEqualTo(CustomerState.SKIPPED);
        assertThat(result.entry("a").reason()).startsWith("outside its maintenance window (sat 01:00-05:00 UTC;"
                + " next opens 2026-12-05T01:00:00Z)");
        assertThat(result.exitCode()).isEqualTo(FleetResult.EXIT_INCOMPLETE);
    }

    @Test
    void givenWaitForWindow_whenTheWindowIsDaysAway_thenTheSchedulerSleepsUntilItOpensAndThenRuns() throws Exception {
        // given
        MaintenanceWindow sat = MaintenanceWindow.of(List.of("sat"), "01:00", "05:00", "Europe/Moscow");
        List<FleetCustomer> cs = List.of(FleetCustomer.of("a", "h1:22").withWindow(sat));
        AtomicReference<String> startedAt = new AtomicReference<>();
        CustomerJob job = c -> {
            startedAt.set(clock.instant().toString());
            return Outcome.ok(null);
        };

        // when
        FleetResult result = apply(job, Waves.single(cs), FleetOptions.defaults().withWindows(WindowPolicy.WAIT));

        // then: Saturday 01:00 in Moscow is Friday 22:00 UTC
        assertThat(startedAt.get()).isEqualTo("2026-12-04T22:00:00Z");
        assertThat(clock.sleeps).containsExactly(Duration.parse("PT58H"));
        assertThat(result.exitCode()).isZero();
        assertThat(events).anyMatch(e -> "a".equals(e.customer()) && "queued".equals(e.state())
                && e.reason() != null && e.reason().startsWith("waiting: outside its maintenance window"));
    }

    @Test
    void givenIgnoreWindows_whenACustomerIsOutsideItsWindow_thenItRunsAndTheJournalSaysWhy() throws Exception {
        // given
        MaintenanceWindow sat = MaintenanceWindow.of(List.of("sat"), "01:00", "05:00", null);
        List<FleetCustomer> cs = List.of(FleetCustomer.of("a", "h1:22").withWindow(sat));

        // when
        apply(job(Set.of()), Waves.single(cs), FleetOptions.defaults().withWindows(WindowPolicy.IGNORE));

        // then
        assertThat(ran).containsExactly("a");
        List<JournalEvent> lines = Journal.read(Journal.path(state, "run1")).events();
        assertThat(lines.get(0).options()).containsEntry("windows", "ignore");
        assertThat(lines).anyMatch(e -> "running".equals(e.state()) && e.reason() != null
                && e.reason().endsWith("started because of --ignore-windows"));
    }

    @Test
    void givenAPause_whenTheFirstWaveEnds_thenTheSchedulerWaitsThatLongBeforeTheNextAndOnlyBetweenWaves()
            throws Exception {
        // when
        apply(job(Set.of()), Waves.bySizes(customers(3), "1"), FleetOptions.defaults()
                .withPause(Duration.ofMinutes(10)));

        // then: three waves, two pauses
        assertThat(clock.sleeps).containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(10));
        assertThat(events.stream().filter(e -> e.event().equals("pause"))).hasSize(2);
    }

    @Test
    void givenAnotherControllerHoldsACustomer_whenApplied_thenThatCustomerIsSkippedNamingTheHolder() throws Exception {
        // given
        CustomerLocks other = new CustomerLocks(state);
        assertThat(other.tryLock("c2", "run other by ops@elsewhere")).isNull();
        FleetScheduler s = new FleetScheduler(job(Set.of()), clock, clock.sleeper(), new CustomerLocks(state),
                List.of(events::add));

        // when
        FleetResult result;
        try (Journal j = Journal.create(state, "run1")) {
            result = s.apply(j, "run1", "ops@test", "--all", Waves.single(customers(3)), FleetOptions.defaults());
        } finally {
            other.unlock("c2");
        }

        // then
        assertThat(ran).containsExactly("c1", "c3");
        assertThat(result.entry("c2").reason()).isEqualTo("another fleet run is working on it: run other by ops@elsewhere");
    }

    @Test
    void givenAJobThatThrows_whenApplied_thenTheCustomerFailsWithTheMessageAndTheRunContinuesWithinBudget()
            throws Exception {
        // given
        CustomerJob job = c -> {
            if (c.id().equals("c1")) {
                throw new IllegalStateException("no route to host");
            }
            return Outcome.ok(null);
        };

        // when
        FleetResult result = apply(job, Waves.single(customers(2)), FleetOptions.defaults()
                .withBudget(FailureBudget.parse("1")));

        // then
        assertThat(result.entry("c1").reason()).isEqualTo("IllegalStateException: no route to host");
        assertThat(result.entry("c2").state()).isEqualTo(CustomerState.DONE);
    }

    @Test
    void givenAControllerKilledMidWaveWithATornLastLine_whenResumed_thenFinishedCustomersAreNotRedeployedAndTheDeadOneIsReported()
            throws Exception {
        // given: c1 done, c2 running when the controller "dies" (its thread interrupted), then a half-written line
        CountDownLatch c2Running = new CountDownLatch(1);
        CustomerJob hanging = c -> {
            if (c.id().equals("c2")) {
                c2Running.countDown();
                Thread.sleep(60_000);
            }
            return Outcome.ok(null);
        };
        Journal first = Journal.create(state, "run1");
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread controller = new Thread(() -> {
            try {
                scheduler(hanging).apply(first, "run1", "ops@test", "--all", Waves.single(customers(4)),
                        FleetOptions.defaults());
            } catch (Throwable t) {
                died.set(t);
            }
        });
        controller.start();
        assertThat(c2Running.await(10, TimeUnit.SECONDS)).isTrue();
        // a second controller cannot take the run over while the first lives
        assertThatThrownBy(() -> Journal.reopen(state, "run1")).isInstanceOf(EngineException.class)
                .hasMessageContaining("still owned by a running controller");
        controller.interrupt();
        controller.join(10_000);
        first.close();
        assertThat(died.get()).isInstanceOf(InterruptedException.class);
        Path file = Journal.path(state, "run1");
        Files.writeString(file, "{\"ts\":\"2026-12-02T12:00:01Z\",\"run\":\"run1\",\"ev", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        // when
        Journal.Contents contents = Journal.read(file);
        ran.clear();
        events.clear();
        Map<String, FleetCustomer> current = new HashMap<>();
        customers(4).forEach(c -> current.put(c.id(), c));
        FleetResult result;
        try (Journal again = Journal.reopen(state, "run1")) {
            result = scheduler(job(Set.of())).resume(again, contents.events(), "ops@second", current, null);
        }

        // then
        assertThat(contents.tornTail()).isTrue();
        assertThat(ran).containsExactly("c3", "c4");
        assertThat(result.entry("c1").state()).isEqualTo(CustomerState.DONE);
        assertThat(result.entry("c2").state()).isEqualTo(CustomerState.INTERRUPTED);
        assertThat(result.entry("c2").reason()).startsWith("died mid-deploy");
        assertThat(result.exitCode()).isEqualTo(FleetResult.EXIT_INCOMPLETE);
        // the torn line was cut off: the journal reads cleanly, with the resume appended
        Journal.Contents after = Journal.read(file);
        assertThat(after.tornTail()).isFalse();
        assertThat(after.events()).extracting(JournalEvent::event).contains("resume");
        assertThat(after.events()).allMatch(e -> e.run().equals("run1"));
    }

    @Test
    void givenAnInterruptedCustomer_whenResumedWithRetryInterrupted_thenOnlyItAndTheUnstartedOnesRun()
            throws Exception {
        // given: a journal in which c1 is done, c2 failed, c3 was running when the controller died, c4 was queued
        Journal.create(state, "run1").close();
        Path file = Journal.path(state, "run1");
        List<String> lines = new ArrayList<>();
        lines.add("{\"ts\":\"t\",\"run\":\"run1\",\"operator\":\"ops\",\"event\":\"run_start\",\"command\":\"apply\","
                + "\"waves\":[{\"name\":\"all\",\"customers\":[\"c1\",\"c2\",\"c3\",\"c4\"]}],"
                + "\"options\":{\"parallel\":1,\"max_failures\":\"1\",\"pause_seconds\":0,\"windows\":\"skip\"}}");
        Function<String, String> line = s -> "{\"ts\":\"t\",\"run\":\"run1\",\"operator\":\"ops\",\"event\":\"customer\","
                + s + "}";
        lines.add(line.apply("\"customer\":\"c1\",\"wave\":1,\"state\":\"done\",\"seconds\":3.0"));
        lines.add(line.apply("\"customer\":\"c2\",\"wave\":1,\"state\":\"failed\",\"reason\":\"health gate\""));
        lines.add(line.apply("\"customer\":\"c3\",\"wave\":1,\"state\":\"running\""));
        Files.write(file, lines, StandardCharsets.UTF_8);
        Map<String, FleetCustomer> current = new HashMap<>();
        customers(4).forEach(c -> current.put(c.id(), c));

        // when
        FleetResult result;
        try (Journal j = Journal.reopen(state, "run1")) {
            result = scheduler(job(Set.of())).resume(j, Journal.read(file).events(), "ops", current,
                    FleetOptions.fromMap(Journal.read(file).events().get(0).options()).withRetryInterrupted(true));
        }

        // then: the budget of 1 absorbs c2's earlier failure; c1 and c2 are not touched again
        assertThat(ran).containsExactly("c3", "c4");
        assertThat(result.entry("c2").state()).isEqualTo(CustomerState.FAILED);
        assertThat(result.entry("c2").reason()).isEqualTo("health gate");
        assertThat(result.exitCode()).isEqualTo(FleetResult.EXIT_FAILED);
    }

    @Test
    void givenEarlierFailuresBeyondTheBudget_whenResumed_thenNothingStarts() throws Exception {
        // given: a run stopped by its budget
        apply(job(Set.of("c1")), Waves.single(customers(3)), FleetOptions.defaults());
        ran.clear();
        Map<String, FleetCustomer> current = new HashMap<>();
        customers(3).forEach(c -> current.put(c.id(), c));

        // when
        FleetResult result;
        try (Journal j = Journal.reopen(state, "run1")) {
            result = scheduler(job(Set.of())).resume(j, Journal.read(j.file()).events(), "ops", current, null);
        }

        // then
        assertThat(ran).isEmpty();
        assertThat(result.exitCode()).isEqualTo(FleetResult.EXIT_BUDGET);
        assertThat(result.neverStarted()).containsExactly("c2", "c3");
    }

    @Test
    void givenACancelWhileTwoRun_whenApplied_thenTheyFinishNothingNewStartsAndTheJournalSaysWhoCancelled()
            throws Exception {
        // given: two waves, two at a time; while c1 deploys an operator cancels the run
        AtomicReference<String> request = new AtomicReference<>();
        CustomerJob job = c -> {
            if (c.id().equals("c1")) {
                request.set("by olga@test at 2026-12-02T12:00:05Z: wrong version");
            }
            ran.add(c.id());
            return Outcome.ok("/logs/" + c.id());
        };
        FleetScheduler scheduler = new FleetScheduler(job, clock, clock.sleeper(), CustomerLocks.none(),
                List.of(events::add), request::get);
        FleetResult result;

        // when
        try (Journal j = Journal.create(state, "run1")) {
            result = scheduler.apply(j, "run1", "ops@test", "--all", Waves.bySizes(customers(6), "3,rest"),
                    FleetOptions.defaults().withParallel(2));
        }

        // then: c1 and c2 had started together and finish; c3 (wave 1) and wave 2 never start
        assertThat(ran).containsExactlyInAnyOrder("c1", "c2");
        assertThat(result.entry("c1").state()).isEqualTo(CustomerState.DONE);
        assertThat(result.entry("c2").state()).isEqualTo(CustomerState.DONE);
        for (String id : List.of("c3", "c4", "c5", "c6")) {
            assertThat(result.entry(id).state()).isEqualTo(CustomerState.SKIPPED);
            assertThat(result.entry(id).reason()).startsWith("never started: the run was cancelled by olga@test")
                    .contains("'budgetctl fleet resume run1' continues it");
        }
        assertThat(result.exitCode()).isEqualTo(FleetResult.EXIT_INCOMPLETE);
        List<JournalEvent> journal = Journal.read(Journal.path(state, "run1")).events();
        assertThat(journal).filteredOn(e -> JournalEvent.CANCEL.equals(e.event())).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("cancelled by olga@test at 2026-12-02T12:00:05Z:"
                        + " wrong version: no new customer starts, running ones finish"));
        assertThat(journal).noneMatch(e -> JournalEvent.WAVE_START.equals(e.event()) && e.wave() == 2);
        assertThat(journal.get(journal.size() - 1).reason()).endsWith("; cancelled by olga@test at"
                + " 2026-12-02T12:00:05Z: wrong version");
    }

    @Test
    void givenACancelledRun_whenResumedWithoutTheRequest_thenOnlyTheCustomersItNeverStartedRun() throws Exception {
        // given: cancelled after c1
        AtomicReference<String> request = new AtomicReference<>();
        CustomerJob job = c -> {
            ran.add(c.id());
            request.set("by olga@test");
            return Outcome.ok("/logs/" + c.id());
        };
        List<Wave> waves = Waves.bySizes(customers(3), "1,rest");
        try (Journal j = Journal.create(state, "run1")) {
            new FleetScheduler(job, clock, clock.sleeper(), CustomerLocks.none(), List.of(events::add), request::get)
                    .apply(j, "run1", "ops@test", "--all", waves, FleetOptions.defaults());
        }
        assertThat(ran).containsExactly("c1");

        // when
        FleetResult result;
        try (Journal j = Journal.reopen(state, "run1")) {
            List<JournalEvent> history = Journal.read(j.file()).events();
            Map<String, FleetCustomer> current = new HashMap<>();
            customers(3).forEach(c -> current.put(c.id(), c));
            result = scheduler(job(Set.of())).resume(j, history, "ops@test", current, null);
        }

        // then
        assertThat(ran).containsExactly("c1", "c2", "c3");
        assertThat(result.exitCode()).isEqualTo(FleetResult.EXIT_OK);
    }
}
