package io.momentum.health.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every eligible master is routable, in sync or not: capacity first, lagging masters catch up while serving. */
public final class ServeStalePolicy implements RoutingPolicy {

    @Override
    public Map<String, Verdict> decide(List<Assessment> fleet) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (Assessment master : fleet) {
            Verdict verdict;
            if (!master.eligible()) {
                verdict = new Verdict(false, master.blocker());
            } else if (master.inSync()) {
                verdict = new Verdict(true, "healthy and in sync");
            } else {
                verdict = new Verdict(true, "healthy; serving stale code while catching up: "
                        + RoutingPolicy.lagging(master));
            }
            verdicts.put(master.masterId(), verdict);
        }
        return verdicts;
    }
}
