package io.momentum.webhook.messaging;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Not a @QuarkusTest: the start-up rule that keeps a 503 from being followed by a late write is plain arithmetic. */
class KafkaDeployPublisherTest {

    @Test
    void producerMustGiveUpNoLaterThanTheAnswer() {
        assertThatCode(() -> Acknowledgements.requireGivingUpInTime(KafkaDeployPublisher.DELIVERY_TIMEOUT,
                10_000, Duration.ofSeconds(10))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Acknowledgements.requireGivingUpInTime(KafkaDeployPublisher.DELIVERY_TIMEOUT,
                30_000, Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mp.messaging.outgoing.deploy-requests.delivery.timeout.ms=30000")
                .hasMessageContaining("momentum.webhook.publish-timeout=PT10S");
        // Rollbacks are answered the same way, so their channel obeys the same rule.
        assertThatThrownBy(() -> Acknowledgements.requireGivingUpInTime(KafkaPlanPublisher.DELIVERY_TIMEOUT,
                30_000, Duration.ofSeconds(10)))
                .hasMessageContaining("mp.messaging.outgoing.deploy-plans.delivery.timeout.ms=30000");
    }
}
