package io.momentum.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.kafka.KafkaClientSettings;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.KafkaBroker;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.validation.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer against a real broker, without Quarkus: group per master, commit only after the work finished,
 * redelivery after a stop mid-deploy, malformed records and tombstones skipped. Each test uses its own topic.
 */
class RequestConsumerTest {

    private static KafkaBroker broker;
    private static KafkaCompanion companion;
    private final List<RequestConsumer> consumers = new ArrayList<>();
    private final List<Throwable> deaths = new CopyOnWriteArrayList<>();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final EventDecoder decoder = new EventDecoder(Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator(), meters);

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.startFresh();
        companion = new KafkaCompanion(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        companion.close();
        broker.close();
    }

    @AfterEach
    void closeConsumers() {
        consumers.forEach(RequestConsumer::close);
    }

    private static String topic() {
        String topic = "requests-" + UUID.randomUUID();
        companion.topics().createAndWait(topic, 1);
        return topic;
    }

    private RequestConsumer consumer(String topic, String group, Function<DeployRequest,
            CompletableFuture<Void>> handler, CountDownLatch replayed) {
        RequestConsumer consumer = RequestConsumer.inGroup(topic, group, Map.of(),
                new KafkaClientSettings(Map.of("bootstrap.servers", broker.bootstrapServers())), decoder, handler,
                replayed::countDown, deaths::add);
        consumers.add(consumer);
        consumer.start();
        return consumer;
    }

    private static DeployRequest request(String environment) {
        return DeployRequest.environment(environment, environment, "control", null, null, Provider.GITHUB,
                Instant.now());
    }

    private static void produce(String topic, String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    private static void produce(String topic, DeployRequest request) {
        produce(topic, request.key(), EventCodec.encodeToString(request));
    }

    @Test
    void consumersInGroupsOfTheirOwnEachSeeEveryRequest() throws Exception {
        assertThat(new KafkaClientSettings(Map.of("group.id", "deploy-agent", "enable.auto.commit", true))
                .consumer(RequestConsumer.groupSettings("momentum-planner")))
                .containsEntry("group.id", "momentum-planner")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest");
        String topic = topic();
        List<DeployRequest> requests = List.of(request("production"), request("development"), request("test"));
        for (DeployRequest request : requests) {
            produce(topic, request);
        }
        List<UUID> seenByFirst = new CopyOnWriteArrayList<>();
        List<UUID> seenBySecond = new CopyOnWriteArrayList<>();

        consumer(topic, "cm1", r -> {
            seenByFirst.add(r.requestId());
            return CompletableFuture.completedFuture(null);
        }, new CountDownLatch(1));
        consumer(topic, "cm2", r -> {
            seenBySecond.add(r.requestId());
            return CompletableFuture.completedFuture(null);
        }, new CountDownLatch(1));

        List<UUID> ids = requests.stream().map(DeployRequest::requestId).toList();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(seenByFirst).containsExactlyElementsOf(ids);
            assertThat(seenBySecond).containsExactlyElementsOf(ids);
        });
    }

    @Test
    void consumersSharingAGroupSeeEachRequestOnceBetweenThem() {
        String topic = "requests-" + UUID.randomUUID();
        companion.topics().createAndWait(topic, 3);
        List<DeployRequest> requests = List.of(request("production"), request("development"), request("test"),
                request("staging"), request("qa"), request("feature"));
        requests.forEach(r -> produce(topic, r));
        List<UUID> seen = new CopyOnWriteArrayList<>();
        KafkaClientSettings kafka = new KafkaClientSettings(Map.of("bootstrap.servers", broker.bootstrapServers()));
        for (String agent : List.of("cm1", "cm2")) {
            RequestConsumer consumer = RequestConsumer.inGroup(topic, "shared-" + topic,
                    Map.of("client.id", "shared-" + agent, "group.protocol", "consumer"), kafka, decoder, r -> {
                        seen.add(r.requestId());
                        return CompletableFuture.completedFuture(null);
                    }, () -> { }, deaths::add);
            consumers.add(consumer);
            consumer.start();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(seen)
                .containsExactlyInAnyOrderElementsOf(requests.stream().map(DeployRequest::requestId).toList()));
        assertThat(RequestConsumer.groupSettings("momentum-planner")).containsEntry("group.id", "momentum-planner")
                .containsEntry("enable.auto.commit", false).containsEntry("auto.offset.reset", "earliest");
        assertThat(deaths).isEmpty();
    }

    @Test
    void commitsOnlyFinishedWorkSoAStopMidDeployRedeliversIt() throws Exception {
        String topic = topic();
        DeployRequest slow = request("production");
        DeployRequest fast = request("development");
        produce(topic, slow);
        produce(topic, fast);
        List<UUID> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> neverFinishes = new CompletableFuture<>();
        CountDownLatch firstReplay = new CountDownLatch(1);
        RequestConsumer first = consumer(topic, "cm1", r -> {
            seen.add(r.requestId());
            return r.requestId().equals(slow.requestId()) ? neverFinishes : CompletableFuture.completedFuture(null);
        }, firstReplay);
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 2);
        // The later record finished, but the earlier one did not: the replay is not over, nothing beyond it commits.
        assertThat(firstReplay.getCount()).isEqualTo(1);

        first.stop();
        neverFinishes.cancel(false);
        first.close();

        List<UUID> redelivered = new CopyOnWriteArrayList<>();
        CountDownLatch secondReplay = new CountDownLatch(1);
        RequestConsumer second = consumer(topic, "cm1", r -> {
            redelivered.add(r.requestId());
            return CompletableFuture.completedFuture(null);
        }, secondReplay);
        assertThat(secondReplay.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(redelivered).containsExactly(slow.requestId(), fast.requestId());
        second.close();

        List<UUID> third = new CopyOnWriteArrayList<>();
        CountDownLatch thirdReplay = new CountDownLatch(1);
        consumer(topic, "cm1", r -> {
            third.add(r.requestId());
            return CompletableFuture.completedFuture(null);
        }, thirdReplay);
        assertThat(thirdReplay.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(third).as("everything was committed").isEmpty();
    }

    @Test
    void skipsMalformedRecordsAndTombstonesAndCommitsThem() throws Exception {
        String topic = topic();
        produce(topic, "env:production", "{not json");
        produce(topic, "env:production", "{\"type\":\"MasterStatus\",\"masterId\":\"cm1\"}");
        produce(topic, "env:production", null);
        DeployRequest valid = request("production");
        produce(topic, valid);
        List<UUID> seen = new CopyOnWriteArrayList<>();
        CountDownLatch replayed = new CountDownLatch(1);

        RequestConsumer consumer = consumer(topic, "cm1", r -> {
            seen.add(r.requestId());
            return CompletableFuture.completedFuture(null);
        }, replayed);

        assertThat(replayed.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly(valid.requestId());
        assertThat(consumer.hasFailed()).isFalse();
        assertThat(deaths).isEmpty();
        assertThat(meters.counter("momentum.events.skipped", "topic", topic, "reason", "malformed").count())
                .isEqualTo(2);
        consumer.close();

        List<UUID> again = new CopyOnWriteArrayList<>();
        CountDownLatch replayedAgain = new CountDownLatch(1);
        consumer(topic, "cm1", r -> {
            again.add(r.requestId());
            return CompletableFuture.completedFuture(null);
        }, replayedAgain);
        assertThat(replayedAgain.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again).isEmpty();
    }

    @Test
    void aConsumerThreadThatDiesIsReportedSoTheAgentCanExit() {
        String topic = topic();
        produce(topic, request("production"));

        RequestConsumer consumer = consumer(topic, "cm-dies", r -> {
            throw new OutOfMemoryError("Java heap space (simulated)");
        }, new CountDownLatch(1));

        await().atMost(Duration.ofSeconds(60)).until(() -> !deaths.isEmpty());
        assertThat(deaths).singleElement().isInstanceOf(OutOfMemoryError.class);
        assertThat(consumer.hasFailed()).isTrue();
    }

    @Test
    void aStoppedConsumerIsNotADeath() throws Exception {
        String topic = topic();
        CountDownLatch replayed = new CountDownLatch(1);
        RequestConsumer consumer = consumer(topic, "cm-stops", r -> CompletableFuture.completedFuture(null), replayed);
        assertThat(replayed.await(60, TimeUnit.SECONDS)).isTrue();

        consumer.stop();

        assertThat(consumer.hasFailed()).isFalse();
        assertThat(deaths).isEmpty();
    }
}
