package io.momentum.lb.domain;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Time and delayed execution, behind an interface so that debouncing is tested with a hand-driven clock. */
public interface TaskScheduler {

    long nanoTime();

    Cancellable schedule(Runnable task, Duration delay);

    interface Cancellable {
        void cancel();
    }

    static TaskScheduler of(ScheduledExecutorService executor) {
        return new TaskScheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            }
        };
    }
}
