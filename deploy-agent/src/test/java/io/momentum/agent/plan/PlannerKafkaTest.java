package io.momentum.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.deployer.GitRemotesFixture;
import io.momentum.agent.deployer.NativeDeployer;
import io.momentum.agent.deployer.TestSources;
import io.momentum.agent.messaging.RequestConsumer;
import io.momentum.agent.schedule.Targets;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.kafka.KafkaClientSettings;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.Provider;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.GitRepo;
import io.momentum.testing.KafkaBroker;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.validation.Validation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner's Kafka path against a real broker, without Quarkus: a request on the requests topic is planned once,
 * its plan stored on the plans topic (acks=all) before the request's offset is committed in the planner group, and a
 * planner that starts again in that group re-reads nothing.
 */
class PlannerKafkaTest {

    @TempDir
    Path tmp;

    private KafkaBroker broker;
    private KafkaCompanion companion;
    private KafkaProducer<String, byte[]> producer;
    private GitRepo control;
    private NativeDeployer deployer;
    private DeployerSettings settings;
    private final EventDecoder decoder = new EventDecoder(Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator(),
            new SimpleMeterRegistry());

    @BeforeEach
    void setUp() {
        broker = KafkaBroker.startFresh();
        companion = new KafkaCompanion(broker.bootstrapServers());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
        control = GitRepo.createBare(tmp.resolve("control.git"));
        settings = new DeployerSettings(tmp.resolve("environments"), tmp.resolve("cache"),
                List.of(TestSources.source("control", control.url(), null)), "http://127.0.0.1:9", 2,
                Duration.ofSeconds(30), null, GitRemotesFixture.plain(tmp), "rugged", 3);
        deployer = new NativeDeployer(settings);
    }

    @AfterEach
    void tearDown() {
        deployer.close();
        control.close();
        producer.close();
        companion.close();
        broker.close();
    }

    /** A planner as {@link Planner} assembles one, on the given topics, publishing through {@code sink}. */
    private record Running(PlanScheduler scheduler, RequestConsumer consumer) {
        void close() {
            consumer.stop();
            scheduler.close(Duration.ofSeconds(10));
            consumer.close();
        }
    }

    private Running planner(String requests, PlanSink sink, AtomicInteger handled, CountDownLatch replayed) {
        PlanScheduler scheduler = new PlanScheduler(deployer.planResolver(),
                new Targets(settings.sources(), new BranchLister(settings.git(), Duration.ofSeconds(30))),
                new PlanBook(), sink, RolloutPolicy.IMMEDIATE, 2);
        RequestConsumer consumer = RequestConsumer.inGroup(requests, Planner.GROUP,
                Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"),
                new KafkaClientSettings(Map.of("bootstrap.servers", broker.bootstrapServers())), decoder,
                request -> {
                    handled.incrementAndGet();
                    return scheduler.submit(request);
                }, replayed::countDown, error -> { });
        consumer.start();
        return new Running(scheduler, consumer);
    }

    private CompletableFuture<Void> store(String topic, DeployPlan plan) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, plan.key(), EventCodec.encode(plan)), (metadata, error) -> {
            if (error == null) {
                stored.complete(null);
            } else {
                stored.completeExceptionally(error);
            }
        });
        return stored;
    }

    private Long committed(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(Planner.GROUP).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
            return offset == null ? null : offset.offset();
        }
    }

    @Test
    void aRequestIsPlannedOnceAndCommittedOnlyAfterItsPlanIsStoredAndARestartReReadsNothing() throws Exception {
        String requests = "requests-" + UUID.randomUUID();
        String plans = "plans-" + UUID.randomUUID();
        companion.topics().createAndWait(requests, 1);
        companion.topics().createAndWait(plans, 1);
        String commit = control.commit("production", Map.of("Puppetfile", ""));
        DeployRequest request = DeployRequest.environment("production", "production", "control", null, null,
                Provider.GITEA, Instant.now());
        companion.produceStrings().fromRecords(new ProducerRecord<>(requests, request.key(),
                EventCodec.encodeToString(request))).awaitCompletion(Duration.ofSeconds(30));
        CompletableFuture<Void> release = new CompletableFuture<>();
        CountDownLatch publishing = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();

        Running first = planner(requests, plan -> {
            publishing.countDown();
            return release.thenCompose(go -> store(plans, plan));
        }, handled, new CountDownLatch(1));

        assertThat(publishing.await(60, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1_000);
        assertThat(committed(requests)).as("not committed past the request while its plan is not stored")
                .isIn(null, 0L);
        release.complete(null);
        await().atMost(Duration.ofSeconds(60)).until(() -> Long.valueOf(1).equals(committed(requests)));
        first.close();
        assertThat(handled).hasValue(1);

        AtomicInteger again = new AtomicInteger();
        CountDownLatch replayed = new CountDownLatch(1);
        Running second = planner(requests, plan -> store(plans, plan), again, replayed);
        assertThat(replayed.await(60, TimeUnit.SECONDS)).isTrue();
        second.close();
        assertThat(again).as("a restart re-reads nothing").hasValue(0);

        // Everything the topic holds after both planners stopped: two records would show a second planning.
        ConsumerTask<String, String> stored = companion.consumeStrings().fromTopics(plans, Duration.ofSeconds(5))
                .awaitCompletion(Duration.ofSeconds(30));
        assertThat(stored.getRecords()).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("env:production");
            DeployPlan plan = EventCodec.decode(record.value(), DeployPlan.class);
            assertThat(plan.requestId()).isEqualTo(request.requestId());
            assertThat(plan.status()).isEqualTo(PlanStatus.PLANNED);
            assertThat(plan.commit()).isEqualTo(commit);
        });
    }
}
