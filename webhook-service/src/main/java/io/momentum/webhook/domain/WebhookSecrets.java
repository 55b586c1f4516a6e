package io.momentum.webhook.domain;

import io.momentum.shared.event.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The secrets a delivery may be signed with: one per provider and, optionally, one per repository that replaces
 * the provider's for that repository. A provider without any is refused unless it was explicitly allowed to go
 * unverified.
 */
public final class WebhookSecrets {

    /** A secret and the repository it is restricted to ({@code null}: any repository of the provider). */
    public record Candidate(String repository, String secret) {
        @Override
        public String toString() {
            return "Candidate[repository=" + repository + ", secret=***]";
        }
    }

    private final Map<Provider, String> byProvider;
    private final Map<String, String> byRepository = new TreeMap<>();
    private final Set<Provider> unverifiedAllowed;

    public WebhookSecrets(Map<Provider, String> byProvider, Map<String, String> byRepository,
            Set<Provider> unverifiedAllowed) {
        this.byProvider = Map.copyOf(byProvider);
        byRepository.forEach((repo, secret) -> this.byRepository.put(normalize(repo), secret));
        this.unverifiedAllowed = Set.copyOf(unverifiedAllowed);
    }

    /** Every secret that may have signed a delivery of {@code provider}; empty means there is nothing to verify. */
    public List<Candidate> candidates(Provider provider) {
        List<Candidate> all = new ArrayList<>();
        Optional.ofNullable(byProvider.get(provider)).ifPresent(s -> all.add(new Candidate(null, s)));
        byRepository.forEach((repo, secret) -> all.add(new Candidate(repo, secret)));
        return all;
    }

    /** The secret that must have signed a delivery about {@code repository}, if any. */
    public Optional<Candidate> required(Provider provider, String repository) {
        String repo = normalize(repository);
        String secret = byRepository.get(repo);
        if (secret != null) {
            return Optional.of(new Candidate(repo, secret));
        }
        return Optional.ofNullable(byProvider.get(provider)).map(s -> new Candidate(null, s));
    }

    public boolean verifies(Provider provider) {
        return byProvider.containsKey(provider) || !byRepository.isEmpty();
    }

    /** Whether deliveries of {@code provider} are accepted although it has no secret to verify them with. */
    public boolean acceptsUnverified(Provider provider) {
        return !verifies(provider) && unverifiedAllowed.contains(provider);
    }

    private static String normalize(String repository) {
        return repository.toLowerCase(Locale.ROOT);
    }
}
