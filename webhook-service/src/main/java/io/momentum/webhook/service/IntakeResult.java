package io.momentum.webhook.service;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import java.util.List;
import java.util.UUID;

/** What became of a webhook delivery; {@code rest/} turns it into the HTTP answer. */
public sealed interface IntakeResult {

    /** The requests are stored: the broker acknowledged every one. */
    record Published(Provider provider, List<DeployRequest> requests, List<String> skipped) implements IntakeResult {
        public Published {
            requests = List.copyOf(requests);
            skipped = List.copyOf(skipped);
        }
    }

    /** The git host checked the hook. */
    record Pong(Provider provider, String detail) implements IntakeResult {
    }

    /** Verified, but nothing to deploy: another event, a tag, an ignored branch. */
    record Ignored(Provider provider, String reason) implements IntakeResult {
    }

    /** A redelivery: answered with the requests of the first copy, nothing published again. */
    record Duplicate(String deliveryId, List<UUID> requestIds) implements IntakeResult {
        public Duplicate {
            requestIds = List.copyOf(requestIds);
        }
    }

    /** Not proven to come from the git host: no, or a wrong, signature or token, or no secret to check it with. */
    record Unverified(String reason) implements IntakeResult {
    }

    /** A delivery this service cannot use: unknown or disabled provider, bad payload, refused name. */
    record Invalid(String reason) implements IntakeResult {
    }

    /** The broker did not acknowledge in time; the git host should redeliver. */
    record NotStored(String reason) implements IntakeResult {
    }
}
