package io.momentum.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.deployer.G10kDeployer;
import io.momentum.agent.deployer.NativeDeployer;
import io.momentum.agent.deployer.R10kDeployer;
import io.momentum.service.config.Strategies;
import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The backend choice against the real beans: one per {@code @Identifier}, an unknown name refused clearly. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class DeployerProducerTest {

    @Inject
    @Any
    Instance<Deployer> backends;

    @Test
    void everyBackendIsABeanWithItsName() {
        // The tests' own backend, fake, is chosen the same way.
        assertThat(Strategies.names(backends)).containsExactly("fake", "g10k", "native", "r10k");
        assertThat(ClientProxy.unwrap(DeployerProducer.choose("native", backends))).isInstanceOf(NativeDeployer.class);
        assertThat(ClientProxy.unwrap(DeployerProducer.choose("r10k", backends))).isInstanceOf(R10kDeployer.class);
        assertThat(ClientProxy.unwrap(DeployerProducer.choose("g10k", backends))).isInstanceOf(G10kDeployer.class);
    }

    @Test
    void anUnknownNameFailsNamingTheKeyTheValueAndTheKnownNames() {
        assertThatThrownBy(() -> DeployerProducer.choose("puppet-code", backends))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("momentum.deploy.backend=puppet-code is not a deploy backend; known: fake, g10k, native, r10k");
    }
}
