package io.momentum.health.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Only eligible masters that are in sync are routable, so every agent gets the same code. If no eligible master is
 * in sync (typically right after a push, before the first master finished deploying), the eligible ones stay
 * routable rather than none, and the reason says so.
 */
public final class StrictPolicy implements RoutingPolicy {

    @Override
    public Map<String, Verdict> decide(List<Assessment> fleet) {
        boolean anyInSync = fleet.stream().anyMatch(master -> master.eligible() && master.inSync());
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (Assessment master : fleet) {
            Verdict verdict;
            if (!master.eligible()) {
                verdict = new Verdict(false, master.blocker());
            } else if (master.inSync()) {
                verdict = new Verdict(true, "healthy and in sync");
            } else if (anyInSync) {
                verdict = new Verdict(false, "strict: not at the desired plan in " + RoutingPolicy.lagging(master));
            } else {
                verdict = new Verdict(true, "strict: no healthy master is in sync, so healthy masters stay routable"
                        + " rather than none; behind in " + RoutingPolicy.lagging(master));
            }
            verdicts.put(master.masterId(), verdict);
        }
        return verdicts;
    }
}
