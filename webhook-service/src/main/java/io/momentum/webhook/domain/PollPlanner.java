package io.momentum.webhook.domain;

import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
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
 * gone while its environment is still wanted.
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
    public static List<DeployRequest> plan(SourceRule source, String remote, Map<String, String> heads,
            Function<String, Optional<DeployRequest>> desired, Set<String> known, Instant now) {
        List<DeployRequest> requests = new ArrayList<>();
        Set<String> present = new HashSet<>();
        heads.forEach((ref, commit) -> {
            SourceRule.Mapping mapping;
            try {
                mapping = source.map(RefChange.of(ref, commit, false));
            } catch (InvalidNameException e) {
                LOG.debugf("poll: %s of source %s has no valid environment: %s", ref, source.name(), e.getMessage());
                return;
            }
            if (!(mapping instanceof SourceRule.Mapping.Deploy deploy)) {
                return;
            }
            present.add(deploy.environment());
            Optional<DeployRequest> want = desired.apply(deploy.environment());
            boolean current = want.isPresent() && !want.get().deleted() && commit.equals(want.get().commit());
            if (!current) {
                requests.add(request(source, remote, deploy.environment(), deploy.branch(),
                        RefChange.commitOrNull(commit), false, now));
            }
        });
        for (String environment : known) {
            desired.apply(environment)
                    .filter(want -> !want.deleted() && source.name().equals(want.source())
                            && want.kind() == DeployKind.ENVIRONMENT && !present.contains(environment))
                    .ifPresent(want -> requests.add(request(source, remote, environment, want.branch(), null, true,
                            now)));
        }
        return requests;
    }

    private static DeployRequest request(SourceRule source, String remote, String environment, String branch,
            String commit, boolean deleted, Instant now) {
        return new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, environment, branch, source.name(),
                remote, commit, deleted, null, Provider.POLL, null, null, now);
    }
}
