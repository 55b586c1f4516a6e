package io.momentum.notifier.sink;

import io.momentum.notifier.domain.DeployFinished;
import io.momentum.notifier.domain.DeployOutcome;
import io.momentum.notifier.domain.Notification;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Foreman's Puppet class import after an environment deployed successfully on every master: per environment
 * {@code POST /api/smart_proxies/<smart-proxy-id>/environments/<environment>/import_puppetclasses} (the Foreman
 * Puppet plugin's documented action; an environment Foreman does not know yet is created by the import), with HTTP
 * basic authentication (the password may be a personal access token). Anything but a successful deploy is ignored.
 */
@ApplicationScoped
@Identifier("foreman")
public class ForemanSink implements Sink {

    @Override
    public List<SinkRequest> requests(Notification notification, SinkSettings settings, Instant sentAt) {
        if (!(notification instanceof DeployFinished deploy) || deploy.outcome() != DeployOutcome.SUCCEEDED) {
            return List.of();
        }
        String proxy = encode(settings.smartProxyId().orElseThrow());
        String credentials = settings.user().orElseThrow() + ":" + settings.password().orElseThrow();
        Map<String, String> headers = Map.of(
                "Content-Type", "application/json",
                "Accept", "application/json,version=2",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)));
        String base = settings.url().toString().replaceAll("/+$", "");
        return deploy.deployedEnvironments().stream()
                .map(environment -> new SinkRequest(URI.create(base + "/api/smart_proxies/" + proxy + "/environments/"
                        + encode(environment) + "/import_puppetclasses"), headers, "{}".getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    @Override
    public void check(SinkSettings settings) {
        SinkSettings.required(settings.user(), settings, "user");
        SinkSettings.required(settings.password(), settings, "password-file");
        SinkSettings.required(settings.smartProxyId(), settings, "smart-proxy-id");
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
