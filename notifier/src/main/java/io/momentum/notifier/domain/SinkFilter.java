package io.momentum.notifier.domain;

import java.util.Collections;
import java.util.Set;

/**
 * Which notifications one sink wants. An empty set means all. Fleet-wide news (a master, a load balancer) names no
 * environment and passes any environment filter: it concerns every environment.
 */
public record SinkFilter(Set<String> environments, Set<NotificationKind> kinds, boolean failuresOnly) {

    public static final SinkFilter ALL = new SinkFilter(Set.of(), Set.of(), false);

    public SinkFilter {
        environments = Set.copyOf(environments);
        kinds = Set.copyOf(kinds);
    }

    public boolean accepts(Notification notification) {
        if (!kinds.isEmpty() && !kinds.contains(notification.kind())) {
            return false;
        }
        if (failuresOnly && !notification.failure()) {
            return false;
        }
        return environments.isEmpty() || notification.environments().isEmpty()
                || !Collections.disjoint(environments, notification.environments());
    }
}
