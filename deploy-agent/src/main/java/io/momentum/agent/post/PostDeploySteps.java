package io.momentum.agent.post;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.momentum.agent.config.AgentConfig;
import io.momentum.agent.config.DeployConfig;
import io.momentum.agent.schedule.AfterDeploy;
import io.momentum.service.tls.TlsContexts;
import io.momentum.shared.event.PostDeployOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The configured post-deploy steps, run in order after an environment changed (cache flush, type generation, the
 * operator's command). Each step's outcome goes into the result ({@link PostDeployOutcome}), the log (one INFO line
 * on success, a WARN naming the cause on failure) and the metrics {@code momentum_agent_post_deploy_total{step,
 * outcome}} and {@code momentum_agent_post_deploy_duration_seconds{step,outcome}}. A failing step leaves the result
 * SUCCEEDED (or PURGED): the new code is live, rolling it back would be worse than a stale cache; the next deploy
 * runs the steps again. Steps do not run after a no-op deploy.
 *
 * <p>Transient failures (Puppet Server not listening yet, 503 while it starts) are tried again with backoff within
 * {@code momentum.deploy.post.retry-for}. That budget belongs to the outage, not to each call: the deploys of a
 * catch-up that all meet the same stopped server wait for the same deadline, and once it passed they try once and
 * fail fast until the server answers again.
 */
@ApplicationScoped
public class PostDeploySteps implements AfterDeploy {

    private static final Logger LOG = Logger.getLogger(PostDeploySteps.class);

    /**
     * The Quarkus TLS configuration ({@code quarkus.tls.puppet-admin.*}) of the Puppet Server admin API client: the
     * Puppet CA to trust and a client certificate its auth.conf allows (Puppet's PEM files as they are, PKCS#1 host
     * key included).
     */
    public static final String PUPPET_ADMIN_TLS = "puppet-admin";
    static final String CLIENT_CERT_KEY = "quarkus.tls." + PUPPET_ADMIN_TLS + ".key-store.pem.0.cert";

    static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(250);
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

    private final List<PostDeployStep> steps;
    private final Duration retryFor;
    private final MeterRegistry registry;
    /** Per step, the transient failures that have not been followed by a success yet. */
    private final Map<String, Outage> outages = new ConcurrentHashMap<>();

    /** When a step's run of transient failures began, and when it last failed. */
    private record Outage(long sinceNanos, long lastNanos) {
    }

    @Inject
    public PostDeploySteps(AgentConfig agent, DeployConfig deploy, TlsContexts tls, MeterRegistry registry) {
        this(configured(agent, deploy, tls), deploy.post().retryFor(), registry);
    }

    public PostDeploySteps(List<PostDeployStep> steps, Duration retryFor, MeterRegistry registry) {
        this.steps = List.copyOf(steps);
        this.retryFor = retryFor;
        this.registry = registry;
    }

    public List<String> names() {
        return steps.stream().map(PostDeployStep::name).toList();
    }

    @Override
    public List<PostDeployOutcome> run(String environment, boolean purged) {
        List<PostDeployOutcome> outcomes = new ArrayList<>();
        for (PostDeployStep step : steps) {
            if (!purged || step.runsAfterPurge()) {
                outcomes.add(record(environment, runWithRetries(step, environment, purged)));
            }
        }
        return outcomes;
    }

    private PostDeployOutcome runWithRetries(PostDeployStep step, String environment, boolean purged) {
        long started = System.nanoTime();
        Duration delay = FIRST_RETRY_DELAY;
        for (int attempt = 1; ; attempt++) {
            try {
                String detail = step.run(environment, purged);
                outages.remove(step.name());
                return outcome(step, true, detail + attempts(attempt, started), started);
            } catch (PostDeployException e) {
                if (!e.isTransient()) {
                    return outcome(step, false, e.getMessage() + attempts(attempt, started), started);
                }
                long now = System.nanoTime();
                Outage outage = outages.compute(step.name(), (name, known) ->
                        known == null || now - known.lastNanos() > retryFor.toNanos()
                                ? new Outage(now, now) : new Outage(known.sinceNanos(), now));
                long deadline = outage.sinceNanos() + retryFor.toNanos();
                if (now >= deadline) {
                    return outcome(step, false, e.getMessage() + " (failing for "
                            + seconds(now - outage.sinceNanos()) + ", " + attempt + " attempt(s) in this deploy; "
                            + "momentum.deploy.post.retry-for is " + retryFor + ")", started);
                }
                // The last wait ends at the deadline, so the outage's budget is spent when this deploy gives up and
                // the next deploy meeting it fails after one attempt.
                long waitNanos = Math.min(delay.toNanos(), deadline - now);
                LOG.debugf("post-deploy %s for %s: %s; trying again in %d ms", step.name(), environment,
                        e.getMessage(), TimeUnit.NANOSECONDS.toMillis(waitNanos));
                try {
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return outcome(step, false, e.getMessage() + " (interrupted while waiting to try again)",
                            started);
                }
                delay = delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY
                        : delay.multipliedBy(2);
            }
        }
    }

    private PostDeployOutcome record(String environment, PostDeployOutcome outcome) {
        String result = outcome.ok() ? "ok" : "failed";
        if (outcome.ok()) {
            LOG.infof("post-deploy %s for %s: %s (%d ms)", outcome.step(), environment, outcome.detail(),
                    outcome.durationMs());
        } else {
            LOG.warnf("post-deploy %s failed for %s: %s", outcome.step(), environment, outcome.detail());
        }
        registry.counter("momentum.agent.post.deploy", "step", outcome.step(), "outcome", result).increment();
        Timer.builder("momentum.agent.post.deploy.duration").tags("step", outcome.step(), "outcome", result)
                .register(registry).record(Duration.ofMillis(outcome.durationMs()));
        return outcome;
    }

    private static PostDeployOutcome outcome(PostDeployStep step, boolean ok, String detail, long startedNanos) {
        return new PostDeployOutcome(step.name(), ok, detail, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static String attempts(int attempt, long startedNanos) {
        return attempt == 1 ? "" : " (" + attempt + " attempts in " + seconds(System.nanoTime() - startedNanos) + ")";
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static List<PostDeployStep> configured(AgentConfig agent, DeployConfig deploy, TlsContexts tls) {
        DeployConfig.PostDeploy post = deploy.post();
        List<PostDeployStep> steps = new ArrayList<>();
        if (post.flushEnvironmentCache()) {
            String url = agent.puppetServerUrl().orElseThrow(() -> new IllegalStateException(
                    "momentum.deploy.post.flush-environment-cache needs momentum.agent.puppet-server-url"));
            String neededFor = "momentum.deploy.post.flush-environment-cache";
            // Once now, so that a missing or unusable TLS configuration fails start-up.
            tls.required(PUPPET_ADMIN_TLS, neededFor);
            Optional<Path> clientCert = ConfigProvider.getConfig().getOptionalValue(CLIENT_CERT_KEY, Path.class);
            steps.add(new EnvironmentCacheFlush(URI.create(url), () -> tls.required(PUPPET_ADMIN_TLS, neededFor),
                    post.timeout(), () -> describeCertificate(clientCert)));
        }
        if (post.generateTypes()) {
            steps.add(new GenerateTypes(post.puppetExecutable(), deploy.environmentsDir(), post.timeout()));
        }
        post.command().ifPresent(command -> steps.add(new UserCommand(command, post.timeout())));
        return steps;
    }

    /** The client certificate as a failure message names it: its subject and file, read when needed. */
    static String describeCertificate(Optional<Path> file) {
        if (file.isEmpty()) {
            return "(none in " + CLIENT_CERT_KEY + ")";
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            return "'" + certificate.getSubjectX500Principal().getName() + "' (" + file.get() + ", issued by '"
                    + certificate.getIssuerX500Principal().getName() + "')";
        } catch (IOException | CertificateException | ClassCastException e) {
            return file.get() + " (" + CLIENT_CERT_KEY + ", unreadable: " + e.getMessage() + ")";
        }
    }
}
