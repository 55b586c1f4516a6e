package io.momentum.agent.config;

import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.schedule.FakeDeployer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In @QuarkusTests the deployer is the shared {@link #FAKE} unless a test profile sets
 * {@code momentum.test.deployer=configured}, which gives the backend {@code momentum.deploy.backend} selects.
 */
@ApplicationScoped
public class TestDeployerProducer {

    public static final FakeDeployer FAKE = new FakeDeployer();

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    Deployer deployer(DeployConfig config, @ConfigProperty(name = "momentum.test.deployer",
            defaultValue = "fake") String which) {
        return "configured".equals(which) ? DeployerProducer.create(config) : FAKE;
    }
}
