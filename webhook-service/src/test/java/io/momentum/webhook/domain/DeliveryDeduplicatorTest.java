package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DeliveryDeduplicatorTest {

    private final MutableClock clock = new MutableClock();
    private final DeliveryDeduplicator dedup = new DeliveryDeduplicator(Duration.ofHours(24), 3, clock);

    @Test
    void secondCopyGetsTheFirstCopysRequests() {
        CompletableFuture<List<UUID>> first = new CompletableFuture<>();
        assertThat(dedup.claim("github:1", first)).isEmpty();
        CompletableFuture<List<UUID>> second = new CompletableFuture<>();
        CompletableFuture<List<UUID>> earlier = dedup.claim("github:1", second).orElseThrow();
        assertThat(earlier).isNotDone();
        UUID id = UUID.randomUUID();
        first.complete(List.of(id));
        assertThat(earlier.join()).containsExactly(id);
    }

    @Test
    void releasedClaimLetsTheRetryThrough() {
        CompletableFuture<List<UUID>> first = new CompletableFuture<>();
        dedup.claim("gitlab:1", first);
        dedup.release("gitlab:1", first);
        assertThat(dedup.claim("gitlab:1", new CompletableFuture<>())).isEmpty();
    }

    @Test
    void forgetsAfterTheWindowAndBeyondTheLimit() {
        dedup.claim("a", CompletableFuture.completedFuture(List.of()));
        clock.now = clock.now.plus(Duration.ofHours(25));
        assertThat(dedup.claim("a", new CompletableFuture<>())).isEmpty();
        dedup.claim("b", new CompletableFuture<>());
        dedup.claim("c", new CompletableFuture<>());
        dedup.claim("d", new CompletableFuture<>());
        assertThat(dedup.size()).isEqualTo(3);
        assertThat(dedup.claim("a", new CompletableFuture<>())).isEmpty();
    }

    @Test
    void remembersDeliveriesReadBackFromTheTopic() {
        UUID one = UUID.randomUUID();
        UUID two = UUID.randomUUID();
        dedup.remember("bitbucket:x", one, clock.now.minusSeconds(60));
        dedup.remember("bitbucket:x", two, clock.now.minusSeconds(60));
        dedup.remember("bitbucket:old", UUID.randomUUID(), clock.now.minus(Duration.ofDays(2)));
        assertThat(dedup.claim("bitbucket:x", new CompletableFuture<>()).orElseThrow().join())
                .containsExactly(one, two);
        assertThat(dedup.claim("bitbucket:old", new CompletableFuture<>())).isEmpty();
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
