package io.momentum.agent.post;

import io.momentum.agent.config.AgentConfig;
import io.momentum.agent.config.DeployConfig;
import io.momentum.agent.schedule.AfterDeploy;
import io.momentum.service.tls.TlsContexts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The configured post-deploy steps, run in order after an environment changed (cache flush, type generation, the
 * operator's command). A failing step is logged and reported in the result's {@code error} while the result stays
 * SUCCEEDED (or PURGED): the new code is live, rolling it back would be worse than a stale cache; the next deploy
 * runs the steps again. Steps do not run after a no-op deploy.
 */
@ApplicationScoped
public class PostDeploySteps implements AfterDeploy {

    private static final Logger LOG = Logger.getLogger(PostDeploySteps.class);

    /**
     * The Quarkus TLS configuration ({@code quarkus.tls.puppet-admin.*}) of the Puppet Server admin API client: the
     * Puppet CA to trust and a client certificate its {@code puppet-admin} rules allow (Puppet's PEM files as they
     * are, PKCS#1 host key included).
     */
    public static final String PUPPET_ADMIN_TLS = "puppet-admin";

    private final List<PostDeployStep> steps;

    @Inject
    public PostDeploySteps(AgentConfig agent, DeployConfig deploy, TlsContexts tls) {
        this(configured(agent, deploy, tls));
    }

    public PostDeploySteps(List<PostDeployStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<String> names() {
        return steps.stream().map(PostDeployStep::name).toList();
    }

    @Override
    public List<String> run(String environment, boolean purged) {
        List<String> failures = new ArrayList<>();
        for (PostDeployStep step : steps) {
            if (purged && !step.runsAfterPurge()) {
                continue;
            }
            try {
                step.run(environment, purged);
            } catch (PostDeployException e) {
                LOG.warnf("post-deploy step %s failed for %s: %s", step.name(), environment, e.getMessage());
                failures.add("post-deploy " + step.name() + " failed: " + e.getMessage());
            }
        }
        return failures;
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
            steps.add(new EnvironmentCacheFlush(URI.create(url), () -> tls.required(PUPPET_ADMIN_TLS, neededFor),
                    post.timeout()));
        }
        if (post.generateTypes()) {
            steps.add(new GenerateTypes(post.puppetExecutable(), deploy.environmentsDir(), post.timeout()));
        }
        post.command().ifPresent(command -> steps.add(new UserCommand(command, post.timeout())));
        return steps;
    }
}
