package io.momentum.health.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.domain.RoutingPolicy;
import io.momentum.health.domain.ServeStalePolicy;
import io.momentum.health.domain.StrictPolicy;
import io.momentum.service.config.Strategies;
import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The policy choice against the real beans: one per {@code @Identifier}, an unknown name refused clearly. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RoutingPoliciesTest {

    @Inject
    @Any
    Instance<RoutingPolicy> policies;

    @Inject
    MonitoredFleet fleet;

    @Test
    void everyPolicyIsABeanWithItsName() {
        assertThat(Strategies.names(policies)).containsExactly("serve-stale", "strict");
        assertThat(ClientProxy.unwrap(RoutingPolicies.choose("serve-stale", policies)))
                .isInstanceOf(ServeStalePolicy.class);
        assertThat(ClientProxy.unwrap(RoutingPolicies.choose("strict", policies))).isInstanceOf(StrictPolicy.class);
    }

    @Test
    void theFleetRunsTheConfiguredPolicy() {
        assertThat(ClientProxy.unwrap(fleet.policy())).as("%test.momentum.health.policy=strict")
                .isInstanceOf(StrictPolicy.class);
    }

    @Test
    void anUnknownNameFailsNamingTheKeyTheValueAndTheKnownNames() {
        assertThatThrownBy(() -> RoutingPolicies.choose("round-robin", policies))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("momentum.health.policy=round-robin is not a routing policy; known: serve-stale, strict");
    }
}
