package io.momentum.service.config;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one way a service picks an implementation by name: every implementation is a CDI bean carrying
 * {@link Identifier}, and the name comes from configuration. An unknown name fails with the key, the value and the
 * known names, so that start-up says what to fix.
 */
public final class Strategies {

    private Strategies() {
    }

    /**
     * The bean named {@code name}.
     *
     * @param key the configuration key the name came from, for the message
     * @param what what the beans are ("deploy backend"), for the message
     * @throws IllegalStateException on an unknown name
     */
    public static <T> T choose(Instance<T> candidates, String key, String name, String what) {
        Instance<T> chosen = candidates.select(Identifier.Literal.of(name));
        if (!chosen.isResolvable()) {
            throw new IllegalStateException(key + "=" + name + " is not a " + what + "; known: " + known(candidates));
        }
        return chosen.get();
    }

    /**
     * The beans named in {@code names} (trimmed, case-insensitive, each once), in that order.
     *
     * @throws IllegalStateException when the list is empty or names an unknown bean
     */
    public static <T> List<T> chooseAll(Instance<T> candidates, String key, List<String> names, String what) {
        Set<String> wanted = new LinkedHashSet<>();
        names.stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).filter(name -> !name.isEmpty())
                .forEach(wanted::add);
        if (wanted.isEmpty()) {
            throw new IllegalStateException(key + " names no " + what + "; known: " + known(candidates));
        }
        List<T> chosen = new ArrayList<>();
        for (String name : wanted) {
            Instance<T> match = candidates.select(Identifier.Literal.of(name));
            if (!match.isResolvable()) {
                throw new IllegalStateException(key + "=" + String.join(",", names) + ": " + name + " is not a "
                        + what + "; known: " + known(candidates));
            }
            chosen.add(match.get());
        }
        return List.copyOf(chosen);
    }

    /** The identifiers of the candidate beans, sorted. */
    public static List<String> names(Instance<?> candidates) {
        return candidates.handlesStream()
                .flatMap(handle -> handle.getBean().getQualifiers().stream())
                .filter(Identifier.class::isInstance)
                .map(qualifier -> ((Identifier) qualifier).value())
                .sorted()
                .toList();
    }

    private static String known(Instance<?> candidates) {
        return String.join(", ", names(candidates));
    }
}
