package io.momentum.health.rest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.health.domain.MonitoredFleet;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterStatus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.Predicate;

/**
 * Fleet gauges at {@code /q/metrics} for alerting: e.g. {@code momentum_health_masters_routable < 2}, or
 * {@code momentum_health_masters_in_sync < momentum_health_masters_up} for longer than a deploy takes.
 */
@ApplicationScoped
public class FleetMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    MonitoredFleet fleet;

    void register(@Observes StartupEvent event) {
        gauge("momentum.health.masters", "Known masters", status -> true);
        gauge("momentum.health.masters.up", "Masters whose Puppet Server is UP", s -> s.health() == Health.UP);
        gauge("momentum.health.masters.routable", "Masters the load balancer routes to", MasterStatus::routable);
        gauge("momentum.health.masters.in.sync", "Masters at the desired plan of every environment", MasterStatus::inSync);
        gauge("momentum.health.masters.draining", "Masters whose agent is leaving", MasterStatus::draining);
        Gauge.builder("momentum.health.feed.live", fleet, f -> f.deafSince().isPresent() ? 0 : 1)
                .description("1 while heartbeats on momentum.masters can reach this monitor, 0 while they cannot"
                        + " (silence is then not counted against agents)")
                .register(registry);
    }

    private void gauge(String name, String description, Predicate<MasterStatus> counted) {
        Gauge.builder(name, fleet, f -> f.statuses().stream().filter(counted).count())
                .description(description)
                .register(registry);
    }
}
