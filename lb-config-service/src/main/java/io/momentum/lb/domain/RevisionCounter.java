package io.momentum.lb.domain;

/**
 * Numbers every apply attempt. Kept in a {@link RevisionStore} so that the audit trail keeps counting across
 * restarts; a lost store restarts at 1, which changes nothing in the rendered configuration.
 */
public final class RevisionCounter {

    private final RevisionStore store;
    private long current;

    public RevisionCounter(RevisionStore store) {
        this.store = store;
        this.current = store.load();
    }

    public synchronized long next() {
        current++;
        store.save(current);
        return current;
    }
}
