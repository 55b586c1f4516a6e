package io.momentum.health.domain;

import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import java.net.URI;

/**
 * One master as the monitor knows it: static configuration merged with its latest announcement.
 *
 * @param url the Puppet Server base URL to probe, or {@code null} when nobody said
 * @param announcement the latest announcement, or {@code null} for a master known only from configuration
 */
public record KnownMaster(String id, MasterRole role, String url, String lbAddress,
        MasterAnnouncement announcement) {

    static KnownMaster merge(String id, StaticMaster configured, MasterAnnouncement announced) {
        String url = firstSet(configured == null ? null : configured.url(),
                announced == null ? null : announced.puppetServerUrl());
        String lbAddress = firstSet(configured == null ? null : configured.lbAddress(),
                announced == null ? null : announced.lbAddress());
        MasterRole role = configured != null && configured.role() != null ? configured.role()
                : announced != null && announced.role() != null ? announced.role() : MasterRole.COMPILE;
        return new KnownMaster(id, role, url, lbAddress != null ? lbAddress : hostPort(url), announced);
    }

    private static String firstSet(String preferred, String fallback) {
        return preferred != null && !preferred.isBlank() ? preferred : fallback;
    }

    /** Without an explicit LB address the load balancer talks to the Puppet Server's own host and port. */
    private static String hostPort(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return null;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
            return uri.getHost() + ":" + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
