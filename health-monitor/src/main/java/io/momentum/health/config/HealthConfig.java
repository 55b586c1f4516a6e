package io.momentum.health.config;

import io.momentum.shared.event.MasterRole;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How the health monitor probes masters and decides what the load balancer routes to. */
@ConfigMapping(prefix = "momentum.health")
public interface HealthConfig {

    /** Time between two probes of one master. */
    @WithDefault("2s")
    Duration interval();

    /** How long one probe may take; must be shorter than the interval. */
    @WithDefault("1s")
    Duration timeout();

    /** Consecutive successful probes that turn a master UP. */
    @WithDefault("2")
    int rise();

    /** Consecutive failed probes that turn a master DOWN. */
    @WithDefault("3")
    int fall();

    /** {@code serve-stale}: healthy masters stay routable while they catch up; {@code strict}: only in-sync ones. */
    @WithDefault("serve-stale")
    String policy();

    /** An unchanged status is published again after this long. */
    @WithDefault("30s")
    Duration publishInterval();

    /** Ask {@code /status/v1/services?level=critical} which services are not running when a master is not. */
    @WithDefault("true")
    boolean serviceDetails();

    Flap flap();

    Feed feed();

    /** Masters known from configuration, merged with those announced on {@code momentum.masters}. */
    List<Master> masters();

    /** Flap damping: more than {@code max-changes} health changes within {@code window} hold a master out. */
    interface Flap {

        /** 0 turns damping off. */
        @WithDefault("4")
        int maxChanges();

        @WithDefault("5m")
        Duration window();

        /** A held master returns once its health has not changed for this long. */
        @WithDefault("2m")
        Duration stableFor();
    }

    /**
     * How the monitor tells whether it can hear heartbeats: every {@code interval} the partition leaders of
     * {@code momentum.masters} must answer an offsets request within {@code timeout}. While they do not, silence
     * does not count against agents, nor for {@code recovery-grace} after they do again (the agents' producers
     * recover after the monitor's reader).
     */
    interface Feed {

        @WithDefault("1s")
        Duration interval();

        @WithDefault("1s")
        Duration timeout();

        @WithDefault("20s")
        Duration recoveryGrace();
    }

    interface Master {

        String id();

        /** Puppet Server base URL, e.g. {@code https://cm1.example.net:8140}. */
        Optional<String> url();

        /** host:port the load balancer uses; the URL's host and port otherwise. */
        Optional<String> lbAddress();

        Optional<MasterRole> role();
    }
}
