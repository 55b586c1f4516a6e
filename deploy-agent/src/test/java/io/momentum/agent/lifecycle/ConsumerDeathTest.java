package io.momentum.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain JUnit: a dead request consumer ends the agent with a non-zero status (systemd's Restart=on-failure). */
class ConsumerDeathTest {

    @Test
    void aDeadConsumerExitsNonZero() {
        List<Integer> exits = new ArrayList<>();

        new ConsumerDeath(exits::add).accept(new IllegalStateException("This consumer has already been closed."));

        assertThat(exits).containsExactly(1);
    }
}
