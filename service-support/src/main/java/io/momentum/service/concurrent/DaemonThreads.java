package io.momentum.service.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads, so that a thread dump says whose thread it is and none of them holds the JVM open. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads named {@code name-1}, {@code name-2}, ... */
    public static ThreadFactory factory(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One daemon thread, not started. */
    public static Thread thread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
