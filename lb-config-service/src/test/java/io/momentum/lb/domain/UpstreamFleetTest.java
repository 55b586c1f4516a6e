package io.momentum.lb.domain;

import static io.momentum.lb.domain.Statuses.down;
import static io.momentum.lb.domain.Statuses.draining;
import static io.momentum.lb.domain.Statuses.routable;
import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.LbBackend;
import io.momentum.shared.event.MasterRole;
import org.junit.jupiter.api.Test;

class UpstreamFleetTest {

    private final UpstreamFleet fleet = new UpstreamFleet(true);

    @Test
    void ordersServersByMasterIdWhateverTheArrivalOrder() {
        fleet.update("cm3", routable("cm3", "10.0.0.13:8140"));
        fleet.update("cm1", routable("cm1", "10.0.0.11:8140"));
        fleet.update("cm2", routable("cm2", "10.0.0.12:8140"));

        UpstreamFleet other = new UpstreamFleet(true);
        other.update("cm2", routable("cm2", "10.0.0.12:8140"));
        other.update("cm1", routable("cm1", "10.0.0.11:8140"));
        other.update("cm3", routable("cm3", "10.0.0.13:8140"));

        assertThat(fleet.desired().servers()).extracting(LbServer::masterId).containsExactly("cm1", "cm2", "cm3");
        assertThat(other.desired()).isEqualTo(fleet.desired());
    }

    @Test
    void mapsRoutableDrainingAndDownToServerStates() {
        fleet.update("cm1", routable("cm1", "10.0.0.11:8140"));
        fleet.update("cm2", draining("cm2", "10.0.0.12:8140"));
        fleet.update("cm3", down("cm3", "10.0.0.13:8140"));

        assertThat(fleet.desired().servers()).extracting(LbServer::state)
                .containsExactly(ServerState.ACTIVE, ServerState.DRAINING, ServerState.MAINT);
        assertThat(fleet.desired().routed()).containsExactly(new LbBackend("cm1", "10.0.0.11:8140", false),
                new LbBackend("cm2", "10.0.0.12:8140", true));
    }

    @Test
    void tombstoneRemovesTheMaster() {
        fleet.update("cm1", routable("cm1", "10.0.0.11:8140"));
        fleet.update("cm2", routable("cm2", "10.0.0.12:8140"));

        assertThat(fleet.update("cm2", null)).isTrue();
        assertThat(fleet.update("cm2", null)).isFalse();
        assertThat(fleet.desired().servers()).extracting(LbServer::masterId).containsExactly("cm1");
    }

    @Test
    void republishingTheSameStateIsNoChange() {
        assertThat(fleet.update("cm1", routable("cm1", "10.0.0.11:8140"))).isTrue();
        assertThat(fleet.update("cm1", routable("cm1", "10.0.0.11:8140"))).isFalse();
        assertThat(fleet.update("cm1", draining("cm1", "10.0.0.11:8140"))).isTrue();
        assertThat(fleet.update("cm1", draining("cm1", "10.0.0.21:8140"))).isTrue();
    }

    @Test
    void leavesOutAddressesThatCouldInjectConfiguration() {
        fleet.update("cm1", routable("cm1", "10.0.0.11:8140"));
        fleet.update("evil", routable("evil", "10.0.0.66:8140; } server { listen 80"));
        fleet.update("noport", routable("noport", "cm9.example.net"));
        fleet.update("none", routable("none", null));

        assertThat(fleet.desired().servers()).extracting(LbServer::masterId).containsExactly("cm1");
    }

    @Test
    void acceptsHostnamesAndIpv6() {
        fleet.update("cm1", routable("cm1", "cm1.example.net:8140"));
        fleet.update("cm2", routable("cm2", "[fd00::12]:8140"));

        BackendSet set = fleet.desired();
        assertThat(set.servers()).extracting(s -> s.address().render())
                .containsExactly("cm1.example.net:8140", "[fd00::12]:8140");
        assertThat(set.server("cm1").orElseThrow().address().isIpLiteral()).isFalse();
        assertThat(set.server("cm2").orElseThrow().address().isIpLiteral()).isTrue();
    }

    @Test
    void aMomThatCompilesIsInThePoolMarkedAsTheMom() {
        fleet.update("mom", Statuses.status("mom", MasterRole.MOM, "10.0.0.10:8140", true, false));
        fleet.update("cm1", routable("cm1", "10.0.0.11:8140"));

        assertThat(fleet.desired().server("mom")).map(LbServer::mom).contains(true);
        assertThat(fleet.desired().server("cm1")).map(LbServer::mom).contains(false);
    }

    @Test
    void aMomThatDoesNotCompileIsLeftOutOfThePool() {
        UpstreamFleet caOnly = new UpstreamFleet(false);
        caOnly.update("mom", Statuses.status("mom", MasterRole.MOM, "10.0.0.10:8140", true, false));
        caOnly.update("cm1", routable("cm1", "10.0.0.11:8140"));

        assertThat(caOnly.desired().server("mom")).isEmpty();
        assertThat(caOnly.desired().server("cm1")).isPresent();
    }

    @Test
    void aSetWithoutActiveServersCannotServe() {
        fleet.update("cm1", draining("cm1", "10.0.0.11:8140"));
        fleet.update("cm2", down("cm2", "10.0.0.12:8140"));

        assertThat(fleet.desired().canServe()).isFalse();
        assertThat(BackendSet.EMPTY.canServe()).isFalse();
    }
}
