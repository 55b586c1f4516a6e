package io.momentum.agent.deployer;

import io.momentum.service.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The native backend's workers for a deploy's module work (resolving, fetching, writing), all or nothing. Each
 * {@link #runAll} call runs at most {@code parallelism} of its tasks at once, whatever other deploys run: deploys of
 * several environments at once do not queue behind each other's modules, and while one waits for a mirror or a
 * module tree another environment is fetching or writing, its other workers go on with other modules. Successive
 * calls start {@code parallelism} tasks further into their list (wrapping around), so that environments listing the
 * same modules fetch and write different ones at once rather than all wait for the first.
 */
final class ParallelTasks implements AutoCloseable {

    private final ExecutorService workers;
    private final int parallelism;
    private final AtomicInteger calls = new AtomicInteger();
    /** How long an abort waits for the other tasks to stop. */
    private final Duration abortWait;

    ParallelTasks(int parallelism, Duration abortWait) {
        this.workers = Executors.newCachedThreadPool(DaemonThreads.factory("momentum-module-fetch"));
        this.parallelism = Math.max(1, parallelism);
        this.abortWait = abortWait;
    }

    /**
     * Runs the tasks on at most {@code parallelism} workers and waits for all of them; the results are in the tasks'
     * order. On the first failure, or when the calling thread is interrupted, the other workers take no new task,
     * are interrupted and awaited before this returns, so that nobody writes into a staging directory that is about
     * to be deleted.
     */
    <T> List<T> runAll(List<Callable<T>> tasks) throws DeployException, InterruptedException {
        if (tasks.isEmpty()) {
            return List.of();
        }
        int workerCount = Math.min(parallelism, tasks.size());
        int start = Math.floorMod(calls.getAndIncrement() * parallelism, tasks.size());
        Object[] results = new Object[tasks.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean aborted = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Set<Thread> running = ConcurrentHashMap.newKeySet();
        CountDownLatch finished = new CountDownLatch(workerCount);
        CountDownLatch failedOrFinished = new CountDownLatch(1);
        for (int w = 0; w < workerCount; w++) {
            workers.execute(() -> {
                Thread self = Thread.currentThread();
                try {
                    synchronized (running) {
                        if (aborted.get()) {
                            return;
                        }
                        running.add(self);
                    }
                    for (int k = next.getAndIncrement(); k < tasks.size() && !aborted.get(); k = next.getAndIncrement()) {
                        int i = (start + k) % tasks.size();
                        results[i] = tasks.get(i).call();
                    }
                } catch (Throwable e) {
                    if (failure.compareAndSet(null, e)) {
                        aborted.set(true);
                        failedOrFinished.countDown();
                    }
                } finally {
                    synchronized (running) {
                        running.remove(self);
                        Thread.interrupted();
                    }
                    finished.countDown();
                    if (finished.getCount() == 0) {
                        failedOrFinished.countDown();
                    }
                }
            });
        }
        try {
            failedOrFinished.await();
        } catch (InterruptedException e) {
            abort(aborted, running, finished);
            throw e;
        }
        Throwable cause = failure.get();
        if (cause == null) {
            List<T> list = new ArrayList<>(tasks.size());
            for (Object result : results) {
                @SuppressWarnings("unchecked")
                T typed = (T) result;
                list.add(typed);
            }
            return list;
        }
        abort(aborted, running, finished);
        if (cause instanceof DeployException deploy) {
            throw deploy;
        }
        if (cause instanceof InterruptedException || cause instanceof java.io.InterruptedIOException) {
            throw new InterruptedException();
        }
        throw new DeployException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
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
