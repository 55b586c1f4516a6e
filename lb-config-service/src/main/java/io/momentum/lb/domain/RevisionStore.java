package io.momentum.lb.domain;

/** Where the revision counter keeps its value across restarts. */
public interface RevisionStore {

    /** The last revision handed out; 0 when there is none (or it cannot be read). */
    long load();

    void save(long revision);
}
