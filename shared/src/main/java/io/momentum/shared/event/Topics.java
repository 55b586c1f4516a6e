package io.momentum.shared.event;

import java.util.List;

/** The topic names of SPEC.md, in one place. */
public final class Topics {

    public static final String DEPLOY_REQUESTS = "momentum.deploy-requests";
    public static final String DEPLOY_PLANS = "momentum.deploy-plans";
    public static final String ROLLOUTS = "momentum.rollouts";
    public static final String DEPLOY_RESULTS = "momentum.deploy-results";
    public static final String MASTERS = "momentum.masters";
    public static final String MASTER_STATUS = "momentum.master-status";
    public static final String LB_CHANGES = "momentum.lb-changes";
    /** What the notifier sent, so that a restarted notifier sends nothing twice. */
    public static final String NOTIFICATIONS = "momentum.notifications";

    /** Topics whose latest value per key is state: compacted, replayable from the start. */
    public static final List<String> COMPACTED = List.of(DEPLOY_REQUESTS, DEPLOY_PLANS, ROLLOUTS, DEPLOY_RESULTS,
            MASTERS, MASTER_STATUS, NOTIFICATIONS);

    public static final List<String> ALL = List.of(DEPLOY_REQUESTS, DEPLOY_PLANS, ROLLOUTS, DEPLOY_RESULTS,
            MASTERS, MASTER_STATUS, LB_CHANGES, NOTIFICATIONS);

    private Topics() {
    }
}
