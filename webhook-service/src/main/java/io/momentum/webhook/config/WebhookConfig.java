package io.momentum.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything an operator sets for the webhook endpoints ({@code momentum.webhook.*}). */
@ConfigMapping(prefix = "momentum.webhook")
public interface WebhookConfig {

    /**
     * Per git provider, under its parser's {@code @Identifier}: {@code momentum.webhook.<provider>.secret},
     * {@code .enabled}, {@code .allow-unverified}. Declared so that these keys are known; {@link GitProviders} reads
     * them by their full name, which also finds them as environment variables
     * ({@code MOMENTUM_WEBHOOK_BITBUCKET_SERVER_SECRET}) where a map key with a dash would be ambiguous.
     */
    @WithParentName
    Map<String, ProviderKeys> providers();

    /**
     * Secrets per repository, keyed by the repository's full name as the git host spells it
     * ({@code owner/name}, GitLab {@code group/sub/name}, Bitbucket Server {@code PROJECT/slug}, Azure
     * {@code project/repo}). A repository secret replaces the provider secret for that repository.
     */
    Map<String, RepositorySettings> repositories();

    /** Optional HTTP authentication in front of the webhook endpoints, as puppet_webhook's {@code protected}. */
    Auth auth();

    /**
     * How long a publish may take before the hook is answered 503: under GitHub's 10 s delivery timeout (the answer
     * comes at most a second later), so a git host records the 503 instead of a timeout.
     */
    @WithDefault("7s")
    Duration publishTimeout();

    Dedup dedup();

    Module module();

    Poll poll();

    interface ProviderKeys {
        /** HMAC secret (or token) shared with the git host; without one the provider's deliveries are refused. */
        Optional<String> secret();

        @WithDefault("true")
        boolean enabled();

        /** Accept the provider's deliveries without a secret: an explicit opt-in, warned about at start-up. */
        @WithDefault("false")
        boolean allowUnverified();
    }

    interface RepositorySettings {
        Optional<String> secret();
    }

    interface Auth {
        Optional<String> username();

        Optional<String> password();

        /** Accept {@code Authorization: Bearer <token>} instead of (or besides) basic auth. */
        Optional<String> bearerToken();
    }

    interface Dedup {
        /** A delivery id seen within this window is answered from memory and not published again. */
        @WithDefault("24h")
        Duration window();

        /** Upper bound of remembered deliveries; the oldest are forgotten first. */
        @WithDefault("100000")
        int maxEntries();
    }

    interface Module {
        /** Repository name prefixes stripped to get the module name, first match wins. */
        @WithDefault("puppetlabs-,puppet-")
        List<String> stripPrefixes();
    }

    interface Poll {
        /**
         * Safety net for lost webhooks: list each source's remote ({@code momentum.sources.<name>.remote}, reached
         * with {@code momentum.git.*}) with ls-remote and publish changed heads.
         */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("60s")
        Duration interval();
    }
}
