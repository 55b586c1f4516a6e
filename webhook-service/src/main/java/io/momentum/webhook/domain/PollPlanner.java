package io.momentum.webhook.domain;

import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.shared.source.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The safety net for lost webhooks: compares a source's branch heads with the desired commits on the requests
 * topic and asks for what is missing: a branch whose head is not what was last requested, and a branch that is
 * gone while its environment is still wanted. Which branch deploys where is the source's decision, as for a
 * webhook: every request planned here is one the agents accept.
 */
public final class PollPlanner {

    private static final Logger LOG = Logger.getLogger(PollPlanner.class);

    private PollPlanner() {
    }

    /**
     * @param heads full ref name to commit, from ls-remote
     * @param desired the latest request per environment
     * @param known every environment that has a request (to find deleted branches of this source)
     */
    public static List<DeployRequest> plan(Source source, Map<String, String> heads,
            Function<String, Optional<DeployRequest>> desired, Set<String> known, Instant now) {
        List<DeployRequest> requests = new ArrayList<>();
        Set<String> present = new HashSet<>();
        heads.forEach((ref, commit) -> {
            RefChange head = RefChange.of(ref, commit, false);
            if (!head.isBranch() || !(source.forBranch(head.shortName()) instanceof Source.Decision.Deploy deploy)) {
                return;
            }
            present.add(deploy.environment());
            Optional<DeployRequest> want = desired.apply(deploy.environment());
            boolean current = want.isPresent() && !want.get().deleted() && commit.equals(want.get().commit());
            if (!current) {
                deploy.warning().ifPresent(warning -> LOG.warnf("poll: %s (source %s, invalid-branches="
                        + "correct_and_warn)", warning, source.name()));
                requests.add(request(source, deploy.environment(), deploy.branch(), RefChange.commitOrNull(commit),
                        false, now));
            }
        });
        for (String environment : known) {
            desired.apply(environment)
                    .filter(want -> !want.deleted() && source.name().equals(want.source())
                            && want.kind() == DeployKind.ENVIRONMENT && !present.contains(environment)
                            // a branch the rules no longer deploy is the agents' to purge; a vanished one is asked for
                            && ControlSources.deploysTo(source, want.branch(), environment))
                    .ifPresent(want -> requests.add(request(source, environment, want.branch(), null, true, now)));
        }
        return requests;
    }

    private static DeployRequest request(Source source, String environment, String branch, String commit,
            boolean deleted, Instant now) {
        return new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, environment, branch, source.name(),
                source.remote(), commit, deleted, null, Provider.POLL, null, null, now);
    }
}
