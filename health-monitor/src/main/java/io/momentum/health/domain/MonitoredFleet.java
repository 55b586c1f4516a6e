package io.momentum.health.domain;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The monitor's whole view: which masters exist, how healthy they are, which code they serve, and from that the
 * status the load balancer acts on. Thread-safe; every input is a plain method call, time comes from the clock.
 */
public final class MonitoredFleet {

    /** Assumed heartbeat period of an agent that did not announce one. */
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
    /** An agent is silent after this many heartbeat periods without one. */
    static final int MISSED_HEARTBEATS = 3;

    /** What a consumer of the status topic acts on: everything but timestamps, latency and failure counts when DOWN. */
    private record Significant(MasterRole role, String lbAddress, Health health, List<String> lagging,
            boolean routable, boolean draining, String reason, int failuresWhileUp) {

        static Significant of(MasterStatus status) {
            return new Significant(status.role(), status.lbAddress(), status.health(),
                    status.laggingEnvironments(), status.routable(), status.draining(), status.reason(),
                    status.health() == Health.UP ? status.consecutiveFailures() : 0);
        }
    }

    private record Published(Significant significant, Instant at) {
    }

    private final HealthSettings settings;
    private final RoutingPolicy policy;
    private final Clock clock;
    private final Map<String, StaticMaster> configured = new TreeMap<>();
    private final Map<String, MasterAnnouncement> announced = new TreeMap<>();
    private final Map<String, HealthCheck> checks = new HashMap<>();
    private final CodeState code = new CodeState();
    private final RolloutCoordinator rollouts;
    private final Map<String, Published> published = new HashMap<>();
    private final Set<String> decommissioned = new TreeSet<>();
    private final Set<String> onStatusTopic = new TreeSet<>();
    private final Hearing hearing;

    public MonitoredFleet(HealthSettings settings, RolloutSettings rolloutSettings, RoutingPolicy policy,
            List<StaticMaster> staticMasters, Clock clock) {
        this.settings = settings;
        this.hearing = new Hearing(settings.feedRecoveryGrace());
        this.rollouts = new RolloutCoordinator(rolloutSettings);
        this.policy = policy;
        this.clock = clock;
        staticMasters.forEach(master -> configured.put(master.id(), master));
    }

    public HealthSettings settings() {
        return settings;
    }

    public RolloutSettings rolloutSettings() {
        return rollouts.settings();
    }

    public RoutingPolicy policy() {
        return policy;
    }

    public synchronized void onAnnouncement(MasterAnnouncement announcement) {
        announced.put(announcement.masterId(), announcement);
        decommissioned.remove(announcement.masterId());
    }

    /** A tombstone on {@code momentum.masters}: forget the master unless it is configured statically. */
    public synchronized void onDecommission(String masterId) {
        announced.remove(masterId);
        if (configured.containsKey(masterId)) {
            return;
        }
        checks.remove(masterId);
        published.remove(masterId);
        decommissioned.add(masterId);
    }

    public synchronized void onDeployPlan(DeployPlan plan) {
        code.apply(plan);
        rollouts.apply(plan);
    }

    public synchronized void onDeployResult(DeployResult result) {
        code.apply(result);
        rollouts.apply(result);
    }

    /** A record on {@code momentum.rollouts}. */
    public synchronized void onActivation(Activation activation) {
        code.apply(activation);
        rollouts.apply(activation);
    }

    /** A tombstone on {@code momentum.deploy-plans}, keyed {@code env:<environment>} (other keys change nothing). */
    public synchronized void onDeployPlanRemoved(String key) {
        environmentOf(key).ifPresent(environment -> {
            code.forgetEnvironment(environment);
            rollouts.forgetEnvironment(environment);
        });
    }

    /** A tombstone on {@code momentum.rollouts}, keyed {@code env:<environment>} (other keys change nothing). */
    public synchronized void onActivationRemoved(String key) {
        environmentOf(key).ifPresent(environment -> {
            code.forgetActivation(environment);
            rollouts.forgetActivation(environment);
        });
    }

    private static Optional<String> environmentOf(String key) {
        return key != null && key.startsWith(DeployPlan.KEY_PREFIX)
                ? Optional.of(key.substring(DeployPlan.KEY_PREFIX.length())) : Optional.empty();
    }

    /** A tombstone on {@code momentum.deploy-results}, keyed {@code <masterId>/<environment>}. */
    public synchronized void onDeployResultRemoved(String key) {
        int slash = key == null ? -1 : key.lastIndexOf('/');
        if (slash > 0) {
            code.forgetDeployment(key.substring(0, slash), key.substring(slash + 1));
            rollouts.forgetResult(key.substring(0, slash), key.substring(slash + 1));
        }
    }

    /**
     * A record on {@code momentum.master-status} (ours, or one from before a restart). A status of a master this
     * monitor does not know, e.g. one removed from the static configuration while the monitor was down, is
     * tombstoned at the next {@link #publications()}, so the load balancer cannot keep routing to it.
     */
    public synchronized void onStatusRecord(String masterId, boolean tombstone) {
        if (tombstone) {
            onStatusTopic.remove(masterId);
        } else {
            onStatusTopic.add(masterId);
        }
    }

    /**
     * The feed of {@code momentum.masters} is live now: heartbeats published from now on reach this monitor. Ends
     * an outage of the feed; every agent then gets a full silence window plus the feed recovery grace from now
     * before it can be silent.
     */
    public synchronized void onFeedLive() {
        hearing.heard(clock.instant());
    }

    /**
     * The feed of {@code momentum.masters} is not live: until {@link #onFeedLive()}, since the last time it was,
     * this monitor cannot hear heartbeats, so that time does not count as silence.
     */
    public synchronized void onFeedLost() {
        hearing.lost(clock.instant());
    }

    /** Since when this monitor cannot hear heartbeats, or empty while its feed is live. */
    public synchronized Optional<Instant> deafSince() {
        return Optional.ofNullable(hearing.deafSince());
    }

    /** Records a probe; probes of masters that are gone by now are dropped. */
    public synchronized void onProbe(String masterId, ProbeOutcome outcome) {
        if (!configured.containsKey(masterId) && !announced.containsKey(masterId)) {
            return;
        }
        checks.computeIfAbsent(masterId, id -> new HealthCheck(settings)).record(outcome);
    }

    public synchronized List<ProbeTarget> probeTargets() {
        List<ProbeTarget> targets = new ArrayList<>();
        for (KnownMaster master : known()) {
            if (master.url() != null) {
                targets.add(new ProbeTarget(master.id(), master.url()));
            }
        }
        return targets;
    }

    /** The current status of every known master, ordered by id; masters awaiting their first verdict show DOWN. */
    public synchronized List<MasterStatus> statuses() {
        return List.copyOf(evaluate().values());
    }

    public synchronized Optional<MasterStatus> status(String masterId) {
        return Optional.ofNullable(evaluate().get(masterId));
    }

    /** Every known master's status with its environments' desired and deployed plans, ordered by id. */
    public synchronized List<MasterView> views() {
        return evaluate().values().stream().map(this::view).toList();
    }

    public synchronized Optional<MasterView> view(String masterId) {
        return Optional.ofNullable(evaluate().get(masterId)).map(this::view);
    }

    private MasterView view(MasterStatus status) {
        return new MasterView(status, code.environments(status.masterId()));
    }

    /**
     * What to publish now: tombstones of decommissioned (or unknown but still published) masters, and the status
     * of every master with a verdict whose status changed since it was last published or was last published a publish interval ago. The
     * returned records count as published; call {@link #publicationFailed} for any that could not be written.
     */
    public synchronized List<Publication> publications() {
        Instant now = clock.instant();
        List<Publication> due = new ArrayList<>();
        for (String masterId : onStatusTopic) {
            if (!configured.containsKey(masterId) && !announced.containsKey(masterId)) {
                decommissioned.add(masterId);
            }
        }
        onStatusTopic.removeAll(decommissioned);
        decommissioned.forEach(masterId -> due.add(new Publication(masterId, null)));
        decommissioned.clear();
        for (MasterStatus status : evaluate().values()) {
            HealthCheck check = checks.get(status.masterId());
            if (check == null || check.health().isEmpty()) {
                continue;
            }
            Significant significant = Significant.of(status);
            Published last = published.get(status.masterId());
            if (last == null || !last.significant().equals(significant)
                    || !now.isBefore(last.at().plus(settings.publishInterval()))) {
                published.put(status.masterId(), new Published(significant, now));
                due.add(new Publication(status.masterId(), status));
            }
        }
        return due;
    }

    /** The write of this publication failed: offer it again at the next {@link #publications()} call. */
    public synchronized void publicationFailed(Publication publication) {
        if (publication.tombstone()) {
            if (!configured.containsKey(publication.masterId())
                    && !announced.containsKey(publication.masterId())) {
                decommissioned.add(publication.masterId());
            }
        } else {
            published.remove(publication.masterId());
        }
    }

    /**
     * The rollout of every environment whose latest plan is FLEET or CANARY, by environment, as it stands now
     * (including a decision not published yet).
     */
    public synchronized List<RolloutView> rollouts() {
        return rollouts.steps(rolloutMasters(), clock.instant()).stream().map(RolloutCoordinator.Step::view)
                .toList();
    }

    public synchronized Optional<RolloutView> rollout(String environment) {
        return rollouts().stream().filter(view -> view.environment().equals(environment)).findFirst();
    }

    /**
     * The activations to publish now: one per environment whose rollout decision changed since its latest
     * activation. They count as published; call {@link #activationFailed} for any that could not be written.
     */
    public synchronized List<Activation> activationsDue() {
        List<Activation> due = new ArrayList<>();
        for (RolloutCoordinator.Step step : rollouts.steps(rolloutMasters(), clock.instant())) {
            if (step.due() != null) {
                rollouts.sent(step.due());
                due.add(step.due());
            }
        }
        return due;
    }

    /** The write of this activation failed: decide again at the next {@link #activationsDue()} call. */
    public synchronized void activationFailed(Activation activation) {
        rollouts.sendFailed(activation);
    }

    private List<RolloutMaster> rolloutMasters() {
        Instant now = clock.instant();
        List<RolloutMaster> masters = new ArrayList<>();
        for (KnownMaster master : known()) {
            MasterAnnouncement announcement = master.announcement();
            boolean ready = announcement != null && announcement.state() == MasterState.READY
                    && !silent(announcement, now);
            HealthCheck check = checks.get(master.id());
            masters.add(new RolloutMaster(master.id(), master.role(), ready,
                    check == null ? null : check.health().orElse(null), check == null ? null : check.downAt()));
        }
        return masters;
    }

    private List<KnownMaster> known() {
        Set<String> ids = new TreeSet<>(configured.keySet());
        ids.addAll(announced.keySet());
        List<KnownMaster> masters = new ArrayList<>();
        for (String id : ids) {
            masters.add(KnownMaster.merge(id, configured.get(id), announced.get(id)));
        }
        return masters;
    }

    private Map<String, MasterStatus> evaluate() {
        Instant now = clock.instant();
        List<KnownMaster> masters = known();
        List<Assessment> assessments = new ArrayList<>();
        for (KnownMaster master : masters) {
            String blocker = blocker(master, now);
            assessments.add(new Assessment(master.id(), blocker == null, blocker,
                    code.laggingEnvironments(master.id())));
        }
        Map<String, Verdict> verdicts = policy.decide(assessments);
        Map<String, MasterStatus> statuses = new LinkedHashMap<>();
        for (int i = 0; i < masters.size(); i++) {
            KnownMaster master = masters.get(i);
            Assessment assessment = assessments.get(i);
            statuses.put(master.id(), status(master, assessment, verdicts.get(master.id()), now));
        }
        return statuses;
    }

    private MasterStatus status(KnownMaster master, Assessment assessment, Verdict verdict, Instant now) {
        HealthCheck check = checks.get(master.id());
        Health health = check == null ? Health.DOWN : check.health().orElse(Health.DOWN);
        String reason = verdict.reason();
        if (health == Health.UP && check.currentFailure() != null) {
            reason = reason + "; last probe failed (" + check.consecutiveFailures() + " of " + settings.fall()
                    + " before DOWN): " + check.currentFailure();
        }
        boolean draining = master.announcement() != null && master.announcement().state() == MasterState.LEAVING;
        return new MasterStatus(master.id(), master.role(), master.lbAddress(), health, assessment.inSync(),
                assessment.laggingEnvironments(), verdict.routable(), draining, reason,
                check == null ? 0 : check.consecutiveFailures(),
                check == null ? null : check.latencyMs(),
                check == null || check.checkedAt() == null ? now : check.checkedAt());
    }

    private static Duration heartbeatPeriod(MasterAnnouncement announcement) {
        return announcement.heartbeatIntervalMs() > 0 ? Duration.ofMillis(announcement.heartbeatIntervalMs())
                : DEFAULT_HEARTBEAT;
    }

    /**
     * No heartbeat for {@value #MISSED_HEARTBEATS} periods after the agent's own {@code heartbeatAt}, counting only
     * time during which this monitor could hear heartbeats (see {@link Hearing}).
     */
    private boolean silent(MasterAnnouncement announcement, Instant now) {
        return announcement.heartbeatAt() != null && hearing.silentLongerThan(announcement.heartbeatAt(),
                heartbeatPeriod(announcement).multipliedBy(MISSED_HEARTBEATS), now);
    }

    /** Why the master may not take traffic whatever the policy, or {@code null} when it may. */
    private String blocker(KnownMaster master, Instant now) {
        if (master.url() == null) {
            return "no Puppet Server URL known (neither configured nor announced)";
        }
        HealthCheck check = checks.get(master.id());
        Optional<Health> health = check == null ? Optional.empty() : check.health();
        if (health.isEmpty()) {
            return "not checked yet: needs " + settings.rise() + " successful probes";
        }
        if (health.get() == Health.DOWN) {
            return check.currentFailure() != null
                    ? "DOWN: " + check.currentFailure()
                    : "DOWN, recovering: " + check.consecutiveSuccesses() + " of " + settings.rise()
                            + " successful probes";
        }
        MasterAnnouncement announcement = master.announcement();
        if (announcement != null) {
            if (announcement.state() == MasterState.LEAVING) {
                return "agent is LEAVING: draining";
            }
            if (announcement.state() == MasterState.JOINING) {
                return announcement.reason() == null ? "agent is JOINING: still deploying environments"
                        : "agent is JOINING: " + announcement.reason();
            }
            if (silent(announcement, now)) {
                return "agent silent: last heartbeat at " + announcement.heartbeatAt() + ", expected every "
                        + HealthCheck.human(heartbeatPeriod(announcement));
            }
        }
        if (check.heldDown(now)) {
            return check.flapReason();
        }
        if (master.lbAddress() == null) {
            return "no load-balancer address known";
        }
        return null;
    }
}
