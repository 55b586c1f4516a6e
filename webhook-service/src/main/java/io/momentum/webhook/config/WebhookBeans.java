package io.momentum.webhook.config;

import io.momentum.git.SourcesConfig;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.ControlSources;
import io.momentum.webhook.domain.DeliveryDeduplicator;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.LoadBalancerChanges;
import io.momentum.webhook.domain.MasterStatuses;
import io.momentum.webhook.domain.ModuleNames;
import io.momentum.webhook.domain.WebhookSecrets;
import io.momentum.webhook.provider.PayloadParser;
import io.momentum.webhook.provider.ProviderDetector;
import io.momentum.webhook.provider.RemoteHeads;
import io.momentum.service.security.ApiTokens;
import io.momentum.service.security.ApiTokensConfig;
import io.momentum.service.security.ApiTokensProducer;
import io.momentum.webhook.security.CallerRoles;
import io.momentum.webhook.service.BranchPoll;
import io.momentum.webhook.service.WebhookIntake;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/** Builds the plain domain objects from typed configuration, and says at start-up what is left unprotected. */
@Singleton
public class WebhookBeans {

    private static final Logger LOG = Logger.getLogger(WebhookBeans.class);
    private static final String FORMER_SOURCES = "momentum.webhook.sources.";

    @Produces
    @Singleton
    DeployState deployState() {
        return new DeployState();
    }

    @Produces
    @Singleton
    MasterStatuses masterStatuses() {
        return new MasterStatuses();
    }

    @Produces
    @Singleton
    LoadBalancerChanges loadBalancerChanges() {
        return new LoadBalancerChanges();
    }

    @Produces
    @Singleton
    DeliveryDeduplicator deduplicator(WebhookConfig config) {
        return new DeliveryDeduplicator(config.dedup().window(), config.dedup().maxEntries(), Clock.systemUTC());
    }

    /** The optional webhook authentication's secrets. */
    @Produces
    @Singleton
    CallerRoles callerRoles(WebhookConfig config) {
        return new CallerRoles(config.auth().username(), config.auth().password(), config.auth().bearerToken());
    }

    /** The API's tokens with their roles, and the webhook's bearer token: one comparison covers them all. */
    @Produces
    @Singleton
    ApiTokens apiTokens(ApiTokensConfig config, CallerRoles callers) {
        try {
            return ApiTokensProducer.logged(callers.withBearerToken(ApiTokens.from(config)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("momentum.webhook.auth.bearer-token: " + e.getMessage());
        }
    }

    @Produces
    @Singleton
    GitProviders gitProviders(@Any Instance<PayloadParser> parsers, Config config) {
        return GitProviders.from(parsers, config);
    }

    @Produces
    @Singleton
    ProviderDetector detector(GitProviders providers) {
        return new ProviderDetector(providers.parsers());
    }

    @Produces
    @Singleton
    WebhookSecrets secrets(WebhookConfig config, GitProviders providers) {
        Map<Provider, String> byProvider = new EnumMap<>(Provider.class);
        Set<Provider> unverifiedAllowed = EnumSet.noneOf(Provider.class);
        providers.settings().forEach((provider, settings) -> {
            settings.secret().ifPresent(secret -> byProvider.put(provider, secret));
            if (settings.allowUnverified()) {
                unverifiedAllowed.add(provider);
            }
        });
        Map<String, String> byRepository = new TreeMap<>();
        config.repositories().forEach((repo, settings) -> settings.secret().filter(s -> !s.isEmpty())
                .ifPresent(secret -> byRepository.put(repo, secret)));
        return new WebhookSecrets(byProvider, byRepository, unverifiedAllowed);
    }

    /**
     * The control repositories of {@code momentum.sources.*}; none, a broken pattern or name, or a key of the
     * former {@code momentum.webhook.sources.*} fails start-up.
     */
    @Produces
    @Singleton
    ControlSources sources(SourcesConfig sources, Config config) {
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(FORMER_SOURCES)) {
                throw new IllegalStateException(name + " is no longer read: the control repositories are"
                        + " momentum.sources.<name>.* (the same keys as the deploy agents'); rename it to momentum."
                        + name.substring("momentum.webhook.".length()));
            }
        }
        return new ControlSources(sources.sources());
    }

    @Produces
    @Singleton
    WebhookIntake intake(WebhookConfig config, ProviderDetector detector, GitProviders providers,
            WebhookSecrets secrets, ControlSources sources, DeliveryDeduplicator deduplicator,
            DeployPublisher publisher) {
        return new WebhookIntake(detector, secrets, disabled(providers), sources,
                new ModuleNames(config.module().stripPrefixes()), deduplicator, publisher, Clock.systemUTC());
    }

    @Produces
    @Singleton
    BranchPoll branchPoll(ControlSources sources, RemoteHeads heads, DeployState state, DeployPublisher publisher) {
        return new BranchPoll(sources, heads, state, publisher, Clock.systemUTC());
    }

    /**
     * Fails start-up without a source or with a broken one, or with an API token that cannot be read, and warns
     * about every provider that is not verified or refused.
     */
    void check(@Observes StartupEvent event, WebhookConfig config, ApiTokens tokens, GitProviders providers,
            WebhookSecrets secrets, ControlSources sources) {
        LOG.infof("control repositories: %s", sources.all().stream().map(source -> source.name() + " ("
                + source.repository().map(name -> name + ", ").orElse("") + "prefix "
                + (source.prefix() == null ? "none" : source.prefix()) + ")").toList());
        GitProviders.requireKnown(config.providers(), providers.parsers());
        warnAboutVerification(providers, secrets);
    }

    static void warnAboutVerification(GitProviders providers, WebhookSecrets secrets) {
        List<String> refused = new ArrayList<>();
        providers.settings().forEach((provider, settings) -> {
            if (!settings.enabled() || secrets.verifies(provider)) {
                return;
            }
            if (secrets.acceptsUnverified(provider)) {
                LOG.warnf("UNVERIFIED WEBHOOKS: %s is set, so %s deliveries are accepted without any signature or"
                        + " token: anyone who can reach this service can request deploys", GitProviders.key(
                                provider.id(), "allow-unverified=true"), provider.id());
            } else {
                refused.add(provider.id());
            }
        });
        if (!refused.isEmpty()) {
            LOG.warnf("no secret is set for %s: their deliveries are refused (401); set"
                    + " momentum.webhook.<provider>.secret, or switch the provider off with"
                    + " momentum.webhook.<provider>.enabled=false", refused);
        }
    }

    private static Set<Provider> disabled(GitProviders providers) {
        Set<Provider> disabled = EnumSet.noneOf(Provider.class);
        providers.settings().forEach((provider, settings) -> {
            if (!settings.enabled()) {
                disabled.add(provider);
            }
        });
        return disabled;
    }
}
