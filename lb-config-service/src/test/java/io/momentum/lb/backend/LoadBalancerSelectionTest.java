package io.momentum.lb.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.lb.backend.haproxy.HaproxyLoadBalancer;
import io.momentum.lb.backend.nginx.NginxLoadBalancer;
import io.momentum.lb.domain.LoadBalancer;
import io.momentum.lb.testing.NginxTestResource;
import io.momentum.service.config.Strategies;
import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load balancer choice against the real beans: one per {@code @Identifier}, an unknown name refused clearly. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(NginxTestResource.class)
class LoadBalancerSelectionTest {

    @Inject
    @Any
    Instance<LoadBalancer> available;

    @Test
    void everyLoadBalancerIsABeanNamedByItsIdentifier() {
        assertThat(Strategies.names(available)).containsExactly("haproxy", "nginx");
        for (String name : Strategies.names(available)) {
            assertThat(available.select(Identifier.Literal.of(name)).get().name()).isEqualTo(name);
        }
    }

    @Test
    void choosesSeveralInTheConfiguredOrderEachOnce() {
        List<LoadBalancer> chosen = LoadBalancerSelection.choose(List.of("haproxy", " NGINX", "haproxy"), available);

        assertThat(chosen).extracting(ClientProxy::unwrap).hasExactlyElementsOfTypes(HaproxyLoadBalancer.class,
                NginxLoadBalancer.class);
    }

    @Test
    void anUnknownNameFailsNamingTheKeyTheValueAndTheKnownNames() {
        assertThatThrownBy(() -> LoadBalancerSelection.choose(List.of("nginx", "traefik"), available))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("momentum.lb.backends=nginx,traefik: traefik is not a load balancer; "
                        + "known: haproxy, nginx");
    }

    @Test
    void noNameAtAllFails() {
        assertThatThrownBy(() -> LoadBalancerSelection.choose(List.of(" "), available))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("momentum.lb.backends names no load balancer; known: haproxy, nginx");
    }
}
