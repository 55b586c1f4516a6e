package io.momentum.health.domain;

import static io.momentum.health.domain.FleetFixture.T0;
import static io.momentum.health.domain.FleetFixture.announce;
import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Plain JUnit (not a {@code @QuarkusTest}: the rule is pure time arithmetic): silence counts only while the monitor
 * could hear heartbeats, and not for a recovery grace after an outage. The fixture's agents heartbeat every 10 s,
 * so they are silent after 30 s of hearing.
 */
class HearingTest {

    private static final Duration WINDOW = Duration.ofSeconds(30);
    /** The default grace the fleet tests run with. */
    private static final int GRACE = (int) HealthSettings.DEFAULT_FEED_RECOVERY_GRACE.toSeconds();

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Nested
    class Rule {

        private final Hearing hearing = new Hearing(Duration.ZERO);

        @Test
        void withoutOutagesSilenceIsTheTimeSinceTheHeartbeat() {
            hearing.heard(at(5));
            assertThat(hearing.silentLongerThan(at(0), WINDOW, at(30))).isFalse();
            assertThat(hearing.silentLongerThan(at(0), WINDOW, at(31))).isTrue();
            assertThat(hearing.deaf()).isFalse();
            assertThat(hearing.deafSince()).isNull();
        }

        @Test
        void anOutageCountsFromTheLastTimeTheFeedWasLiveAndGivesAFullWindowAfterwards() {
            hearing.heard(at(10));
            hearing.lost(at(11));
            assertThat(hearing.deafSince()).isEqualTo(at(10));
            assertThat(hearing.silentLongerThan(at(0), WINDOW, at(100))).as("never while deaf").isFalse();
            hearing.heard(at(12));
            hearing.heard(at(13));
            hearing.lost(at(14));
            assertThat(hearing.deafSince()).as("a new outage starts at the last live check").isEqualTo(at(13));
            hearing.heard(at(50));
            assertThat(hearing.silentLongerThan(at(0), WINDOW, at(80))).isFalse();
            assertThat(hearing.silentLongerThan(at(0), WINDOW, at(81))).isTrue();
        }

        @Test
        void silenceHeardBeforeAnOutageStaysSilence() {
            hearing.heard(at(40));
            hearing.lost(at(41));
            assertThat(hearing.silentLongerThan(at(0), WINDOW, at(45))).isTrue();
            hearing.heard(at(60));
            assertThat(hearing.silentLongerThan(at(0), WINDOW, at(61))).isTrue();
        }

        @Test
        void aHeartbeatAfterTheOutageCountsFromItself() {
            hearing.heard(at(0));
            hearing.lost(at(1));
            hearing.heard(at(20));
            assertThat(hearing.silentLongerThan(at(25), WINDOW, at(55))).isFalse();
            assertThat(hearing.silentLongerThan(at(25), WINDOW, at(56))).isTrue();
        }

        @Test
        void aGraceAfterEachOutageDoesNotCountAsSilence() {
            Hearing graceful = new Hearing(Duration.ofSeconds(15));
            graceful.heard(at(0));
            graceful.lost(at(1));
            graceful.heard(at(20));
            assertThat(graceful.silentLongerThan(at(0), WINDOW, at(65))).as("30 s window + 15 s grace").isFalse();
            assertThat(graceful.silentLongerThan(at(0), WINDOW, at(66))).isTrue();
            assertThat(graceful.silentLongerThan(at(40), WINDOW, at(71))).as("a heartbeat after the grace")
                    .isTrue();
            graceful.lost(at(25));
            graceful.heard(at(30));
            assertThat(graceful.silentLongerThan(at(0), WINDOW, at(75))).as("outages within the grace overlap")
                    .isFalse();
            assertThat(graceful.silentLongerThan(at(0), WINDOW, at(76))).isTrue();
        }

        @Test
        void silenceBeforeAnOutageStaysSilenceWhateverTheGrace() {
            Hearing graceful = new Hearing(Duration.ofSeconds(15));
            graceful.heard(at(40));
            graceful.lost(at(41));
            graceful.heard(at(60));
            assertThat(graceful.silentLongerThan(at(0), WINDOW, at(61))).isTrue();
        }

        @Test
        void onlyTheLatestOutagesAreKept() {
            for (int i = 0; i < Hearing.KEPT + 10; i++) {
                hearing.heard(at(i * 10));
                hearing.lost(at(i * 10 + 5));
            }
            assertThat(hearing.deaf()).isTrue();
            hearing.heard(at(10_000));
            assertThat(hearing.silentLongerThan(at(0), WINDOW, at(10_010)))
                    .as("listened 100 s before the oldest outage kept").isTrue();
            assertThat(hearing.silentLongerThan(at(9_999), WINDOW, at(10_030))).isFalse();
        }
    }

    /** The same rule seen through the statuses the load balancer acts on. */
    @Nested
    class Fleet {

        private final MutableClock clock = new MutableClock(T0);
        private final MonitoredFleet fleet = new MonitoredFleet(HealthSettings.defaults(), RolloutSettings.defaults(),
                new ServeStalePolicy(), List.of(), clock);

        /** Announces cm1..cmN heartbeating now, probes them UP, and leaves the clock at T0 + 4 s. */
        private void healthyFleet(String... ids) {
            for (String id : ids) {
                fleet.onAnnouncement(announce(id, MasterState.READY, clock.instant()));
            }
            for (int i = 0; i < 2; i++) {
                clock.advance(Duration.ofSeconds(2));
                for (String id : ids) {
                    fleet.onProbe(id, ProbeOutcome.healthy(5, clock.instant()));
                }
            }
            fleet.onFeedLive();
        }

        private void heartbeat(String id) {
            fleet.onAnnouncement(announce(id, MasterState.READY, clock.instant()));
        }

        private void seconds(int seconds) {
            clock.advance(Duration.ofSeconds(seconds));
        }

        /** One live check per second, the agents heartbeating every 10 s as announced, for {@code seconds}. */
        private void liveFor(int seconds, String... heartbeating) {
            for (int i = 1; i <= seconds; i++) {
                seconds(1);
                fleet.onFeedLive();
                if (i % 10 == 0) {
                    for (String id : heartbeating) {
                        heartbeat(id);
                    }
                }
            }
        }

        private MasterStatus status(String id) {
            return fleet.status(id).orElseThrow();
        }

        private boolean silent(String id) {
            return !status(id).routable() && status(id).reason().startsWith("agent silent");
        }

        @Test
        void noEffectWhileTheFeedIsFine() {
            healthyFleet("cm1", "cm2");
            liveFor(60, "cm1");
            assertThat(status("cm1").routable()).isTrue();
            assertThat(silent("cm2")).as("no heartbeat for 60 s").isTrue();
            assertThat(fleet.deafSince()).isEmpty();
        }

        @Test
        void anOutageShorterThanTheWindowChangesNothing() {
            healthyFleet("cm1", "cm2", "cm3");
            Instant lastLive = clock.instant();
            seconds(1);
            fleet.onFeedLost();
            assertThat(fleet.deafSince()).contains(lastLive);
            seconds(20);
            fleet.onFeedLost();
            assertThat(fleet.statuses()).allMatch(MasterStatus::routable);
            seconds(1);
            fleet.onFeedLive();
            assertThat(fleet.statuses()).allMatch(MasterStatus::routable);
            assertThat(fleet.publications()).allMatch(publication -> publication.status().routable());
            liveFor(29);
            assertThat(fleet.statuses()).as("a full window after the feed is back").allMatch(MasterStatus::routable);
            heartbeat("cm1");
            heartbeat("cm2");
            heartbeat("cm3");
            liveFor(20, "cm1", "cm2", "cm3");
            assertThat(fleet.statuses()).allMatch(MasterStatus::routable);
        }

        @Test
        void anOutageLongerThanTheWindowDoesNotSilenceAgentsThatHeartbeatAfterIt() {
            healthyFleet("cm1", "cm2", "cm3");
            seconds(1);
            fleet.onFeedLost();
            for (int i = 0; i < 120; i++) {
                seconds(1);
                fleet.onFeedLost();
                assertThat(fleet.statuses()).allMatch(MasterStatus::routable);
                assertThat(fleet.publications()).allMatch(publication -> publication.status().routable());
            }
            fleet.onFeedLive();
            assertThat(fleet.statuses()).allMatch(MasterStatus::routable);
            seconds(2);
            heartbeat("cm1");
            heartbeat("cm2");
            heartbeat("cm3");
            liveFor(60, "cm1", "cm2", "cm3");
            assertThat(fleet.statuses()).allMatch(MasterStatus::routable);
        }

        @Test
        void agentsHeardAgainLaterThanAWindowButWithinTheGraceAfterTheFeedIsBackStayRoutable() {
            healthyFleet("cm1", "cm2");
            seconds(1);
            fleet.onFeedLost();
            seconds(30);
            fleet.onFeedLost();
            fleet.onFeedLive();
            // The agents' producers recover later than the monitor's reader: their first heartbeat comes late.
            for (int i = 0; i < WINDOW.toSeconds() + GRACE - 1; i++) {
                liveFor(1);
                assertThat(fleet.statuses()).allMatch(MasterStatus::routable);
            }
            heartbeat("cm1");
            heartbeat("cm2");
            liveFor(60, "cm1", "cm2");
            assertThat(fleet.statuses()).allMatch(MasterStatus::routable);
            assertThat(fleet.publications()).allMatch(publication -> publication.status().routable());
        }

        @Test
        void anAgentThatDiedDuringTheOutageIsSilentAFullWindowAndTheGraceAfterTheFeedIsBack() {
            healthyFleet("cm1", "cm2");
            seconds(1);
            fleet.onFeedLost();
            seconds(60);
            fleet.onFeedLost();
            fleet.onFeedLive();
            Instant back = clock.instant();
            heartbeat("cm1");
            liveFor(30 + GRACE, "cm1");
            assertThat(status("cm2").routable()).as("30 s + grace after %s", back).isTrue();
            liveFor(1, "cm1");
            assertThat(silent("cm2")).isTrue();
            assertThat(status("cm1").routable()).isTrue();
            assertThat(fleet.publications()).anyMatch(publication -> publication.masterId().equals("cm2")
                    && !publication.status().routable());
        }

        @Test
        void anAgentSilentBeforeTheOutageStaysSilentThroughIt() {
            healthyFleet("cm1", "cm2");
            liveFor(40, "cm1");
            assertThat(silent("cm2")).isTrue();
            seconds(1);
            fleet.onFeedLost();
            seconds(30);
            assertThat(silent("cm2")).isTrue();
            fleet.onFeedLive();
            assertThat(silent("cm2")).isTrue();
            assertThat(status("cm1").routable()).isTrue();
        }

        @Test
        void aLoneAgentDeadDuringTheOutageIsSilentAFullWindowAndTheGraceAfterIt() {
            healthyFleet("cm1");
            seconds(1);
            fleet.onFeedLost();
            seconds(60);
            assertThat(fleet.status("cm1").orElseThrow().routable()).isTrue();
            fleet.onFeedLive();
            liveFor(30 + GRACE);
            assertThat(fleet.status("cm1").orElseThrow().routable()).isTrue();
            liveFor(1);
            assertThat(silent("cm1")).isTrue();
        }
    }
}
