package io.momentum.shared.event;

public enum MasterRole {
    /** Master of Masters: holds the CA, PuppetDB and Foreman. */
    MOM,
    COMPILE
}
