package io.momentum.agent.deployer;

import io.momentum.service.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The native backend's bounded pool for a deploy's module work (resolving, fetching, writing), all or nothing. */
final class ParallelTasks implements AutoCloseable {

    private final ExecutorService workers;
    /** How long an abort waits for the other tasks to stop. */
    private final Duration abortWait;

    ParallelTasks(int parallelism, Duration abortWait) {
        this.workers = Executors.newFixedThreadPool(Math.max(1, parallelism),
                DaemonThreads.factory("momentum-module-fetch"));
        this.abortWait = abortWait;
    }

    /**
     * Runs tasks on the worker pool and waits for all of them. On the first failure, or when the calling thread is
     * interrupted, the others are interrupted and awaited before this returns, so that nobody writes into a staging
     * directory that is about to be deleted.
     */
    <T> List<T> runAll(List<Callable<T>> tasks) throws DeployException, InterruptedException {
        if (tasks.isEmpty()) {
            return List.of();
        }
        CountDownLatch finished = new CountDownLatch(tasks.size());
        AtomicBoolean aborted = new AtomicBoolean();
        Set<Thread> running = ConcurrentHashMap.newKeySet();
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(workers.submit(() -> {
                Thread self = Thread.currentThread();
                try {
                    synchronized (running) {
                        if (aborted.get()) {
                            throw new InterruptedException("aborted");
                        }
                        running.add(self);
                    }
                    return task.call();
                } finally {
                    synchronized (running) {
                        running.remove(self);
                        Thread.interrupted();
                    }
                    finished.countDown();
                }
            }));
        }
        List<T> results = new ArrayList<>(tasks.size());
        try {
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            abort(aborted, running, finished);
            Throwable cause = e.getCause();
            if (cause instanceof DeployException deploy) {
                throw deploy;
            }
            if (cause instanceof InterruptedException || cause instanceof java.io.InterruptedIOException) {
                throw new InterruptedException();
            }
            throw new DeployException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            abort(aborted, running, finished);
            throw e;
        }
    }

    private void abort(AtomicBoolean aborted, Set<Thread> running, CountDownLatch finished) {
        synchronized (running) {
            aborted.set(true);
            running.forEach(Thread::interrupt);
        }
        boolean interrupted = Thread.interrupted();
        try {
            finished.await(abortWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
