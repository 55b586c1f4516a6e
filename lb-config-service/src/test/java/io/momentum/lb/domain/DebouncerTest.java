package io.momentum.lb.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Driven by a hand-moved clock: no sleeping, no timing assumptions. */
class DebouncerTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicInteger runs = new AtomicInteger();
    private final Debouncer debouncer = new Debouncer(scheduler, Duration.ofMillis(500), Duration.ofSeconds(5),
            runs::incrementAndGet);

    @Test
    void runsOnceAfterTheQuietPeriod() {
        debouncer.trigger();
        scheduler.advance(Duration.ofMillis(499));
        assertThat(runs).hasValue(0);

        scheduler.advance(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
    }

    @Test
    void coalescesABurstIntoOneRun() {
        for (int i = 0; i < 10; i++) {
            debouncer.trigger();
            scheduler.advance(Duration.ofMillis(100));
        }
        assertThat(runs).hasValue(0);

        scheduler.advance(Duration.ofMillis(400));
        assertThat(runs).hasValue(1);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(runs).hasValue(1);
    }

    @Test
    void aFlappingFleetStillRunsAtTheMaximumWait() {
        for (int i = 0; i < 100; i++) {
            debouncer.trigger();
            scheduler.advance(Duration.ofMillis(200));
        }
        // 20 s of changes every 200 ms: one run per 5 s window
        assertThat(runs).hasValue(4);
    }

    @Test
    void aChangeAfterARunStartsANewWindow() {
        debouncer.trigger();
        scheduler.advance(Duration.ofMillis(500));
        debouncer.trigger();
        scheduler.advance(Duration.ofMillis(500));
        assertThat(runs).hasValue(2);
    }

    /** A scheduler whose time only moves when the test says so. */
    static final class ManualScheduler implements TaskScheduler {

        private record Task(long dueAt, long sequence, Runnable action, boolean[] cancelled) {
        }

        private final List<Task> tasks = new ArrayList<>();
        private long now;
        private long sequence;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Cancellable schedule(Runnable action, Duration delay) {
            boolean[] cancelled = {false};
            tasks.add(new Task(now + delay.toNanos(), sequence++, action, cancelled));
            return () -> cancelled[0] = true;
        }

        void advance(Duration duration) {
            long target = now + duration.toNanos();
            while (true) {
                Task next = tasks.stream().filter(t -> t.dueAt() <= target)
                        .min(Comparator.comparingLong(Task::dueAt).thenComparingLong(Task::sequence)).orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
                now = Math.max(now, next.dueAt());
                if (!next.cancelled()[0]) {
                    next.action().run();
                }
            }
            now = target;
        }
    }
}
