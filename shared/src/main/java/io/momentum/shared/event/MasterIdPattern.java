package io.momentum.shared.event;

/** Master ids become file names, Kafka keys and consumer group ids: keep them simple. */
public final class MasterIdPattern {

    public static final String REGEX = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}";

    private MasterIdPattern() {
    }
}
