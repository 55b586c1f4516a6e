package io.momentum.webhook.config;

import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.DeliveryDeduplicator;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.HttpAuth;
import io.momentum.webhook.domain.ModuleNames;
import io.momentum.webhook.domain.SourceRule;
import io.momentum.webhook.domain.WebhookIntake;
import io.momentum.webhook.domain.WebhookSecrets;
import io.momentum.webhook.provider.ProviderDetector;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
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
    WebhookSecrets secrets(WebhookConfig config) {
        Map<String, String> byRepository = new TreeMap<>();
        config.repositories().forEach((repo, settings) -> settings.secret().filter(s -> !s.isEmpty())
                .ifPresent(secret -> byRepository.put(repo, secret)));
        return new WebhookSecrets(providerSecrets(config), byRepository);
    }

    @Produces
    @Singleton
    WebhookIntake intake(WebhookConfig config, WebhookSecrets secrets, DeliveryDeduplicator deduplicator,
            DeployPublisher publisher) {
        return new WebhookIntake(new ProviderDetector(), secrets, disabledProviders(config), sources(config),
                new ModuleNames(config.module().stripPrefixes()), deduplicator, publisher, Clock.systemUTC());
    }

    @Produces
    @Singleton
    HttpAuth webhookAuth(WebhookConfig config) {
        return new HttpAuth(config.auth().username(), config.auth().password(), config.auth().bearerToken());
    }

    /** Fails start-up on a broken pattern, and warns once about every provider that is not verified. */
    void check(@Observes StartupEvent event, WebhookConfig config, ApiConfig api, WebhookSecrets secrets) {
        sources(config);
        List<String> unverified = new ArrayList<>();
        for (Provider provider : new ProviderDetector().providers()) {
            if (!disabledProviders(config).contains(provider) && !secrets.verifies(provider)) {
                unverified.add(provider.id());
            }
        }
        if (!unverified.isEmpty()) {
            LOG.warnf("webhook verification is OFF for %s: set momentum.webhook.<provider>.secret", unverified);
        }
        if (api.token().filter(t -> !t.isEmpty()).isEmpty()) {
            LOG.warn("momentum.api.token is not set: the deploy and status API (/api/v1) refuses every call");
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

    private static Map<Provider, String> providerSecrets(WebhookConfig config) {
        Map<Provider, String> secrets = new EnumMap<>(Provider.class);
        settings(config).forEach((provider, settings) -> settings.secret().filter(s -> !s.isEmpty())
                .ifPresent(secret -> secrets.put(provider, secret)));
        return secrets;
    }

    private static Set<Provider> disabledProviders(WebhookConfig config) {
        Set<Provider> disabled = EnumSet.noneOf(Provider.class);
        settings(config).forEach((provider, settings) -> {
            if (!settings.enabled()) {
                disabled.add(provider);
            }
        });
        return disabled;
    }

    private static Map<Provider, WebhookConfig.ProviderSettings> settings(WebhookConfig config) {
        Map<Provider, WebhookConfig.ProviderSettings> all = new EnumMap<>(Provider.class);
        all.put(Provider.GITHUB, config.github());
        all.put(Provider.GITLAB, config.gitlab());
        all.put(Provider.BITBUCKET, config.bitbucket());
        all.put(Provider.BITBUCKET_SERVER, config.bitbucketServer());
        all.put(Provider.GITEA, config.gitea());
        all.put(Provider.GOGS, config.gogs());
        all.put(Provider.AZURE_DEVOPS, config.azureDevops());
        return all;
    }
}
