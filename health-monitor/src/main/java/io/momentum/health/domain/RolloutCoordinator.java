package io.momentum.health.domain;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.Activation.Phase;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.Rollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Decides when the masters switch an environment to its latest FLEET or CANARY plan, from what the topics say: the
 * plan (and when it was planned), every master's latest result for the environment (STAGED, SUCCEEDED or FAILED for
 * the plan's digest, and when), the latest activation of the environment (and when), plus which masters are READY
 * and this monitor's health verdicts. Every timer is counted from a time on a record, so a restarted monitor that
 * replayed the topics continues where the rollout was, and a decision equal to the latest activation is never
 * published again. Not thread-safe: {@link MonitoredFleet} calls it under its lock.
 */
final class RolloutCoordinator {

    private record Planned(UUID requestId, String digest, Rollout rollout, Instant plannedAt) {
    }

    private record Outcome(DeployStatus status, UUID requestId, String digest, Instant finishedAt, String error) {
    }

    /** What makes two activations the same decision: their time and reason only describe it. */
    private record Decision(UUID requestId, String digest, Phase phase, List<String> masters) {

        static Decision of(Activation activation) {
            return new Decision(activation.requestId(), activation.digest(), activation.phase(),
                    activation.masters());
        }
    }

    /** One environment's rollout now: what to show, and the activation to publish ({@code null}: none). */
    record Step(RolloutView view, Activation due) {
    }

    private final RolloutSettings settings;
    private final Map<String, Planned> plans = new TreeMap<>();
    private final Map<String, Map<String, Outcome>> outcomes = new HashMap<>();
    private final Map<String, Activation> onTopic = new HashMap<>();
    /** Activations handed out for publishing and not yet read back: the decision already made. */
    private final Map<String, Activation> inFlight = new HashMap<>();

    RolloutCoordinator(RolloutSettings settings) {
        this.settings = settings;
    }

    RolloutSettings settings() {
        return settings;
    }

    void apply(DeployPlan plan) {
        switch (plan.status()) {
            case PLANNED -> plans.put(plan.environment(),
                    new Planned(plan.requestId(), plan.digest(), plan.rollout(), plan.plannedAt()));
            case ABSENT -> plans.remove(plan.environment());
            case FAILED -> {
                // Nothing to roll out: the rollout in progress, if any, goes on.
            }
        }
    }

    void forgetEnvironment(String environment) {
        plans.remove(environment);
    }

    void apply(DeployResult result) {
        if (result.status() == DeployStatus.PURGED) {
            forgetResult(result.masterId(), result.environment());
            return;
        }
        outcomes.computeIfAbsent(result.environment(), env -> new HashMap<>()).put(result.masterId(),
                new Outcome(result.status(), result.requestId(), result.planDigest(), result.finishedAt(),
                        result.error()));
    }

    void forgetResult(String masterId, String environment) {
        Map<String, Outcome> byMaster = outcomes.get(environment);
        if (byMaster != null) {
            byMaster.remove(masterId);
        }
    }

    /** An activation read from {@code momentum.rollouts}: ours coming back, another monitor's, or a replayed one. */
    void apply(Activation activation) {
        onTopic.put(activation.environment(), activation);
        Activation sent = inFlight.get(activation.environment());
        if (sent != null && Decision.of(sent).equals(Decision.of(activation))) {
            inFlight.remove(activation.environment());
        }
    }

    void forgetActivation(String environment) {
        onTopic.remove(environment);
    }

    /** Handed out for publishing: the rollout goes on from it without waiting for it to come back. */
    void sent(Activation activation) {
        inFlight.put(activation.environment(), activation);
    }

    /** Could not be published: decide again from what the topic says. */
    void sendFailed(Activation activation) {
        inFlight.remove(activation.environment(), activation);
    }

    /** Every environment whose latest plan is FLEET or CANARY, by name. */
    List<Step> steps(List<RolloutMaster> masters, Instant now) {
        Map<String, RolloutMaster> byId = new TreeMap<>();
        masters.forEach(master -> byId.put(master.id(), master));
        List<Step> steps = new ArrayList<>();
        plans.forEach((environment, plan) -> {
            if (plan.rollout() != Rollout.IMMEDIATE) {
                steps.add(new Evaluation(environment, plan, byId, now).step());
            }
        });
        return steps;
    }

    /** One environment's rollout against the fleet at one instant. */
    private final class Evaluation {

        private final String environment;
        private final Planned plan;
        private final Map<String, RolloutMaster> masters;
        private final Map<String, Outcome> results;
        private final Instant now;
        /** The latest activation of this very plan; one of an older plan does not count. */
        private final Activation current;
        private final List<String> ready;

        Evaluation(String environment, Planned plan, Map<String, RolloutMaster> masters, Instant now) {
            this.environment = environment;
            this.plan = plan;
            this.masters = masters;
            this.results = outcomes.getOrDefault(environment, Map.of());
            this.now = now;
            Activation latest = inFlight.getOrDefault(environment, onTopic.get(environment));
            this.current = latest != null && latest.requestId().equals(plan.requestId())
                    && latest.digest().equals(plan.digest()) ? latest : null;
            this.ready = masters.values().stream().filter(RolloutMaster::ready).map(RolloutMaster::id).toList();
        }

        Step step() {
            if (current != null && (current.phase() == Phase.ALL || current.phase() == Phase.HALTED)) {
                return show(phaseOf(current.phase()), current.reason(), current.at());
            }
            return switch (plan.rollout()) {
                case FLEET -> current == null ? fleet() : show(phaseOf(current.phase()), current.reason(),
                        current.at());
                case CANARY -> current == null ? canaryStaging() : afterActivation();
                case IMMEDIATE -> throw new IllegalStateException("an IMMEDIATE plan has no rollout");
            };
        }

        /** FLEET: every READY master staged -> ALL. */
        private Step fleet() {
            if (ready.isEmpty()) {
                return show(RolloutPhase.STAGING, "no READY master to stage the plan", plan.plannedAt());
            }
            List<String> missing = ready.stream().filter(id -> !staged(id)).toList();
            if (missing.isEmpty()) {
                return activate(Phase.ALL, List.of(), "every READY master staged: " + join(ready));
            }
            return stageTimeout(missing, "", Phase.ALL, List.of(), plan.plannedAt());
        }

        /** CANARY before its first activation: the canaries staged -> CANARY. */
        private Step canaryStaging() {
            List<String> canaries = canaries();
            if (canaries.isEmpty()) {
                return show(RolloutPhase.STAGING, settings.canaryMasters().isEmpty()
                        ? "no READY compile master is UP to be the canary"
                        : "none of the canary masters " + join(settings.canaryMasters()) + " is READY and UP",
                        plan.plannedAt());
            }
            for (String canary : canaries) {
                Outcome failure = failure(canary);
                if (failure != null) {
                    return activate(Phase.HALTED, List.of(),
                            "canary " + canary + " could not stage the plan: " + failure.error());
                }
            }
            List<String> missing = canaries.stream().filter(id -> !staged(id)).toList();
            if (missing.isEmpty()) {
                return activate(Phase.CANARY, canaries, "canary staged: " + join(canaries));
            }
            return stageTimeout(missing, "canary ", Phase.CANARY, canaries, plan.plannedAt());
        }

        /**
         * CANARY or BATCH activated: a failure or a DOWN Puppet Server among the activated masters halts; once all
         * switched and stayed healthy for the soak time, the next batch (or every master) follows.
         */
        private Step afterActivation() {
            List<String> activated = current.masters();
            for (String id : activated) {
                Outcome failure = failure(id);
                if (failure != null) {
                    return halt(activated, id + " failed to deploy the plan: " + failure.error());
                }
                RolloutMaster master = masters.get(id);
                if (master != null && master.downSince(current.at())) {
                    return halt(activated, id + "'s Puppet Server went DOWN after the " + current.phase()
                            + " activation of " + current.at());
                }
            }
            RolloutPhase activePhase = phaseOf(current.phase());
            List<String> soaking = activated.stream().filter(ready::contains).toList();
            if (soaking.isEmpty()) {
                return show(activePhase, "no activated master is READY to soak: " + join(activated),
                        current.at());
            }
            List<String> waiting = soaking.stream().filter(id -> !switched(id)).toList();
            if (!waiting.isEmpty()) {
                return show(activePhase, "waiting for " + join(waiting) + " to switch", current.at());
            }
            Instant soakStart = soaking.stream().map(id -> results.get(id).finishedAt())
                    .reduce(current.at(), (a, b) -> a.isAfter(b) ? a : b);
            Instant soakEnd = soakStart.plus(settings.soak());
            if (now.isBefore(soakEnd)) {
                return show(RolloutPhase.SOAKING, "soaking " + join(soaking) + " until " + soakEnd, soakStart);
            }
            List<String> unjudged = soaking.stream().filter(id -> masters.get(id).health() == null).toList();
            if (!unjudged.isEmpty()) {
                return show(RolloutPhase.SOAKING, "soak time over; waiting for this monitor's health verdict of "
                        + join(unjudged), soakStart);
            }
            String healthy = join(soaking) + " healthy for " + HealthCheck.human(settings.soak());
            List<String> remaining = ready.stream().filter(id -> !activated.contains(id)).toList();
            if (remaining.isEmpty()) {
                return activate(Phase.ALL, List.of(), healthy + "; every READY master activated");
            }
            List<String> next = remaining.stream().filter(id -> staged(id) && masters.get(id).up())
                    .limit(settings.batchSize()).toList();
            if (!next.isEmpty()) {
                return activate(Phase.BATCH, Stream.concat(activated.stream(), next.stream()).toList(),
                        healthy + "; next batch: " + join(next));
            }
            return stageTimeout(remaining, healthy + "; ", Phase.ALL, List.of(), soakEnd);
        }

        /** The canaries: the configured ones that are READY and UP, or the first READY, UP compile master. */
        private List<String> canaries() {
            if (!settings.canaryMasters().isEmpty()) {
                return ready.stream().filter(id -> settings.canaryMasters().contains(id) && masters.get(id).up())
                        .toList();
            }
            return ready.stream().filter(id -> masters.get(id).role() == MasterRole.COMPILE && masters.get(id).up())
                    .limit(1).toList();
        }

        /**
         * Masters that have not staged (or are not UP for a batch): wait until the stage timeout after the plan,
         * then proceed with {@code phase} or hold, as configured.
         */
        private Step stageTimeout(List<String> missing, String context, Phase phase, List<String> activate,
                Instant waitingSince) {
            Instant deadline = plan.plannedAt().plus(settings.stageTimeout());
            if (now.isBefore(deadline)) {
                return show(RolloutPhase.STAGING, context + "waiting for " + join(missing)
                        + " to stage (stage timeout at " + deadline + ")", waitingSince);
            }
            String late = context + join(missing) + " did not stage within "
                    + HealthCheck.human(settings.stageTimeout()) + " of the plan";
            return switch (settings.onStageTimeout()) {
                case PROCEED -> activate(phase, activate, late + "; activated anyway (on-stage-timeout=proceed):"
                        + " not in sync until they switch");
                case HOLD -> show(RolloutPhase.HELD, late + "; held (on-stage-timeout=hold)", deadline);
            };
        }

        private Step halt(List<String> activated, String reason) {
            return activate(Phase.HALTED, activated.stream().filter(this::switched).toList(), reason);
        }

        private Step activate(Phase phase, List<String> activate, String reason) {
            Activation activation = new Activation(plan.requestId(), environment, plan.digest(), phase, activate,
                    reason, now);
            return new Step(view(phaseOf(phase), activation.masters(), reason, now), activation);
        }

        private Step show(RolloutPhase phase, String reason, Instant since) {
            return new Step(view(phase, current == null ? List.of() : current.masters(), reason, since), null);
        }

        private RolloutView view(RolloutPhase phase, List<String> activated, String reason, Instant since) {
            List<String> switched = new TreeMap<>(results).keySet().stream().filter(this::switched).toList();
            List<String> staged = new TreeMap<>(results).keySet().stream()
                    .filter(id -> staged(id) && !switched(id)).toList();
            List<String> pending = ready.stream().filter(id -> !staged(id)).toList();
            return new RolloutView(environment, plan.requestId(), plan.digest(), plan.rollout(), phase, activated,
                    switched, staged, pending, reason, since);
        }

        /** STAGED or already SUCCEEDED with the plan's digest. */
        private boolean staged(String id) {
            Outcome outcome = results.get(id);
            return outcome != null && plan.digest().equals(outcome.digest())
                    && (outcome.status() == DeployStatus.STAGED || outcome.status() == DeployStatus.SUCCEEDED);
        }

        /** Serves the plan. */
        private boolean switched(String id) {
            Outcome outcome = results.get(id);
            return outcome != null && outcome.status() == DeployStatus.SUCCEEDED
                    && plan.digest().equals(outcome.digest());
        }

        /** The latest result is a failure to stage or switch this plan (named by digest, or by request). */
        private Outcome failure(String id) {
            Outcome outcome = results.get(id);
            boolean ofThisPlan = outcome != null && (plan.digest().equals(outcome.digest())
                    || outcome.digest() == null && plan.requestId().equals(outcome.requestId()));
            return ofThisPlan && outcome.status() == DeployStatus.FAILED ? outcome : null;
        }
    }

    private static RolloutPhase phaseOf(Phase phase) {
        return switch (phase) {
            case CANARY -> RolloutPhase.CANARY;
            case BATCH -> RolloutPhase.BATCH;
            case ALL -> RolloutPhase.ALL;
            case HALTED -> RolloutPhase.HALTED;
        };
    }

    private static String join(List<String> ids) {
        return String.join(", ", ids);
    }
}
