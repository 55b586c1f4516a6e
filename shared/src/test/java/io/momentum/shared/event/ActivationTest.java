package io.momentum.shared.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ActivationTest {

    static final String DIGEST = "c".repeat(64);

    static Activation activation(Activation.Phase phase, List<String> masters) {
        return new Activation(UUID.randomUUID(), "production", DIGEST, phase, masters, null, Instant.EPOCH);
    }

    @Test
    void allActivatesEveryMasterEvenOneNotListed() {
        assertThat(activation(Activation.Phase.ALL, null).activates("cm9")).isTrue();
    }

    @Test
    void canaryAndBatchActivateOnlyTheListedMasters() {
        Activation canary = activation(Activation.Phase.CANARY, List.of("cm1"));
        assertThat(canary.activates("cm1")).isTrue();
        assertThat(canary.activates("cm2")).isFalse();
        assertThat(activation(Activation.Phase.BATCH, List.of("cm1", "cm2")).activates("cm2")).isTrue();
    }

    @Test
    void aHaltedRolloutActivatesNobodyMore() {
        Activation halted = activation(Activation.Phase.HALTED, List.of("cm1"));
        assertThat(halted.activates("cm1")).isFalse();
        assertThat(halted.activates("cm2")).isFalse();
        assertThat(halted.key()).isEqualTo("env:production");
    }
}
