package io.momentum.webhook.config;

import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.DeliveryDeduplicator;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.ModuleNames;
import io.momentum.webhook.domain.SourceRule;
import io.momentum.webhook.domain.WebhookSecrets;
import io.momentum.webhook.provider.PayloadParser;
import io.momentum.webhook.provider.ProviderDetector;
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
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/** Builds the plain domain objects from typed configuration, and says at start-up what is left unprotected. */
@Singleton
public class WebhookBeans {

    private static final Logger LOG = Logger.getLogger(WebhookBeans.class);

    @Produces
    @Singleton
    DeployState deployState() {
        return new DeployState();
    }

    @Produces
    @Singleton
    DeliveryDeduplicator deduplicator(WebhookConfig config) {
        return new DeliveryDeduplicator(config.dedup().window(), config.dedup().maxEntries(), Clock.systemUTC());
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

    @Produces
    @Singleton
    WebhookIntake intake(WebhookConfig config, ProviderDetector detector, GitProviders providers,
            WebhookSecrets secrets, DeliveryDeduplicator deduplicator, DeployPublisher publisher) {
        return new WebhookIntake(detector, secrets, disabled(providers), sources(config),
                new ModuleNames(config.module().stripPrefixes()), deduplicator, publisher, Clock.systemUTC());
    }

    /** Fails start-up on a broken pattern, and warns about every provider that is not verified or refused. */
    void check(@Observes StartupEvent event, WebhookConfig config, ApiConfig api, GitProviders providers,
            WebhookSecrets secrets) {
        sources(config);
        GitProviders.requireKnown(config.providers(), providers.parsers());
        warnAboutVerification(providers, secrets);
        if (api.token().filter(t -> !t.isEmpty()).isEmpty()) {
            LOG.warn("momentum.api.token is not set: the deploy and status API (/api/v1) refuses every call");
        }
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

    public static List<SourceRule> sources(WebhookConfig config) {
        List<SourceRule> rules = new ArrayList<>();
        config.sources().forEach((name, source) -> rules.add(new SourceRule(name, source.repository(),
                source.remote(), SourceRule.prefixFor(name, source.prefix()),
                patterns(name, "allow", source.allow().orElse(List.of())),
                patterns(name, "ignore", source.ignore().orElse(List.of())), source.deployTags())));
        return rules;
    }

    private static List<Pattern> patterns(String source, String kind, List<String> regexes) {
        List<Pattern> compiled = new ArrayList<>();
        for (String regex : regexes) {
            try {
                compiled.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("momentum.webhook.sources." + source + "." + kind
                        + " holds an invalid regular expression: " + e.getDescription());
            }
        }
        return compiled;
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
