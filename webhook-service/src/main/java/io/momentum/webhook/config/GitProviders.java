package io.momentum.webhook.config;

import io.momentum.shared.event.Provider;
import io.momentum.webhook.provider.PayloadParser;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Instance;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The git providers this service speaks: one {@link PayloadParser} bean per provider, each with the settings read
 * under its identifier ({@code momentum.webhook.<identifier>.secret}, {@code .enabled}, {@code .allow-unverified}).
 * Those keys are read by name rather than mapped, because the provider names come from the beans and share the
 * {@code momentum.webhook} prefix with the other settings.
 */
public final class GitProviders {

    /**
     * @param secret HMAC secret (or token) shared with the git host
     * @param allowUnverified accept deliveries without a secret: an explicit opt-in, warned about at start-up
     */
    public record Settings(Optional<String> secret, boolean enabled, boolean allowUnverified) {
        @Override
        public String toString() {
            return "Settings[secret=" + (secret.isPresent() ? "***" : "unset") + ", enabled=" + enabled
                    + ", allowUnverified=" + allowUnverified + "]";
        }
    }

    private final List<PayloadParser> parsers;
    private final Map<Provider, Settings> settings;

    GitProviders(List<PayloadParser> parsers, Map<Provider, Settings> settings) {
        this.parsers = List.copyOf(parsers);
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** Every parser bean, checked to carry the identifier of the provider it reads. */
    static GitProviders from(Instance<PayloadParser> beans, Config config) {
        List<PayloadParser> parsers = new ArrayList<>();
        Map<Provider, Settings> settings = new LinkedHashMap<>();
        for (Instance.Handle<PayloadParser> handle : beans.handles()) {
            PayloadParser parser = handle.get();
            String id = identifier(handle, parser);
            if (!id.equals(parser.provider().id())) {
                throw new IllegalStateException(parser.getClass().getName() + " carries @Identifier(\"" + id
                        + "\") but reads provider " + parser.provider().id() + ": they must be the same name");
            }
            parsers.add(parser);
            settings.put(parser.provider(), read(config, id));
        }
        return new GitProviders(parsers, settings);
    }

    /** A secret or opt-in under a name no parser has is a typo that would leave the real provider refused. */
    static void requireKnown(Map<String, WebhookConfig.ProviderKeys> configured, List<PayloadParser> parsers) {
        List<String> known = parsers.stream().map(p -> p.provider().id()).sorted().toList();
        configured.forEach((id, keys) -> {
            if (!known.contains(id) && (keys.secret().isPresent() || keys.allowUnverified())) {
                throw new IllegalStateException(key(id, keys.secret().isPresent() ? "secret" : "allow-unverified")
                        + " names git provider '" + id + "', which does not exist; known providers: " + known);
            }
        });
    }

    static Settings read(Config config, String id) {
        String prefix = key(id, "");
        return new Settings(
                config.getOptionalValue(prefix + "secret", String.class).filter(s -> !s.isEmpty()),
                config.getOptionalValue(prefix + "enabled", Boolean.class).orElse(true),
                config.getOptionalValue(prefix + "allow-unverified", Boolean.class).orElse(false));
    }

    /** The configuration key {@code name} of provider {@code id}. */
    public static String key(String id, String name) {
        return "momentum.webhook." + id + "." + name;
    }

    private static String identifier(Instance.Handle<PayloadParser> handle, PayloadParser parser) {
        for (Annotation qualifier : handle.getBean().getQualifiers()) {
            if (qualifier instanceof Identifier identifier) {
                return identifier.value();
            }
        }
        throw new IllegalStateException(parser.getClass().getName() + " has no @Identifier: every git provider's"
                + " parser names its provider, which is also its configuration key momentum.webhook.<name>.*");
    }

    public List<PayloadParser> parsers() {
        return parsers;
    }

    public Map<Provider, Settings> settings() {
        return settings;
    }
}
