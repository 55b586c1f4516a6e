package io.momentum.notifier.commitstatus.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.notifier.commitstatus.domain.SentLedger;
import io.momentum.notifier.commitstatus.host.RecordingGitHost;
import io.momentum.notifier.commitstatus.host.RecordingGitHost.Call;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Event;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.NotificationSent;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The notifier on a real broker with a local GitHub API: a deploy request and its results become one pending and
 * one final commit status per master, each recorded on {@code momentum.notifications}; a status recorded there as
 * posted is not posted again.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(value = GitHostResource.class, restrictToAnnotatedClass = true)
class CommitStatusFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REPO = "git@github.com:puppet/control.git";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectKafkaBroker
    KafkaBroker broker;

    RecordingGitHost github;

    @Test
    void aDeployBecomesPendingThenFinalStatusesPerMasterAndNothingRecordedIsPostedAgain() throws Exception {
        String first = "1".repeat(40);
        String second = "2".repeat(40);
        String third = "3".repeat(40);
        DeployRequest warmUp = request("warmup", first);
        DeployRequest deploy = request("production", second);
        DeployRequest alreadyPosted = request("staging", third);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            Instant now = Instant.now();
            for (String master : List.of("cm1", "cm2")) {
                send(producer, Topics.MASTERS, master, new MasterAnnouncement(master, MasterRole.COMPILE,
                        "https://" + master + ":8140", null, MasterState.READY, "test", now, now, 5_000));
            }
            NotificationSent recorded = new NotificationSent(SentLedger.SINK,
                    alreadyPosted.requestId() + "/momentum/cm1/success", NotificationSent.Outcome.DELIVERED, 1, null,
                    now);
            send(producer, Topics.NOTIFICATIONS, recorded.key(), recorded);
            // Once the warm-up's statuses are posted, the announcements and the record above have been read.
            send(producer, Topics.DEPLOY_REQUESTS, warmUp.key(), warmUp);
            send(producer, Topics.DEPLOY_RESULTS, "cm1/warmup", result(warmUp, "cm1", DeployStatus.SUCCEEDED, null));
            await().atMost(WAIT).until(() -> statuses(first).contains("momentum/cm1 success"));

            send(producer, Topics.DEPLOY_REQUESTS, deploy.key(), deploy);
            await().atMost(WAIT).until(() -> statuses(second).size() == 2);
            assertThat(statuses(second)).containsExactlyInAnyOrder("momentum/cm1 pending", "momentum/cm2 pending");

            send(producer, Topics.DEPLOY_RESULTS, "cm1/production",
                    result(deploy, "cm1", DeployStatus.STAGED, null));
            send(producer, Topics.DEPLOY_RESULTS, "cm2/production",
                    result(deploy, "cm2", DeployStatus.FAILED, "r10k: module stdlib not found"));
            send(producer, Topics.DEPLOY_RESULTS, "cm1/production",
                    result(deploy, "cm1", DeployStatus.SUCCEEDED, null));
            await().atMost(WAIT).until(() -> statuses(second).size() == 4);
            assertThat(statuses(second)).as("STAGED is still pending: no call").containsExactlyInAnyOrder(
                    "momentum/cm1 pending", "momentum/cm2 pending", "momentum/cm2 failure", "momentum/cm1 success");
            Call failure = calls(second).stream().filter(call -> call.body().contains("failure")).findFirst()
                    .orElseThrow();
            assertThat(failure.path()).isEqualTo("/repos/puppet/control/statuses/" + second);
            assertThat(failure.header("Authorization")).isEqualTo("Bearer " + GitHostResource.TOKEN);
            assertThat(JSON.readValue(failure.body(), Map.class)).isEqualTo(Map.of("state", "failure",
                    "context", "momentum/cm2", "description", "production: failed: r10k: module stdlib not found",
                    "target_url", "https://momentum.example.net/api/v1/deploys/" + deploy.requestId()));

            await().atMost(WAIT).until(() -> notificationIds().containsAll(List.of(
                    deploy.requestId() + "/momentum/cm1/pending", deploy.requestId() + "/momentum/cm2/failure",
                    deploy.requestId() + "/momentum/cm1/success")));

            send(producer, Topics.DEPLOY_REQUESTS, alreadyPosted.key(), alreadyPosted);
            send(producer, Topics.DEPLOY_RESULTS, "cm1/staging",
                    result(alreadyPosted, "cm1", DeployStatus.SUCCEEDED, null));
            send(producer, Topics.DEPLOY_RESULTS, "cm2/staging",
                    result(alreadyPosted, "cm2", DeployStatus.SUCCEEDED, null));
            await().atMost(WAIT).until(() -> statuses(third).contains("momentum/cm2 success"));
            assertThat(statuses(third)).as("cm1's success was recorded as posted: neither pending nor success again")
                    .containsExactlyInAnyOrder("momentum/cm2 pending", "momentum/cm2 success");
        }
    }

    private static DeployRequest request(String environment, String commit) {
        return DeployRequest.environment(environment, environment, "control", REPO, commit, Provider.GITHUB,
                Instant.now());
    }

    private static DeployResult result(DeployRequest request, String master, DeployStatus status, String error) {
        Instant now = Instant.now();
        return DeployResult.of(request.requestId(), master, request.environment(), request.commit(), status, now,
                now, null, error);
    }

    private List<Call> calls(String commit) {
        return github.calls().stream().filter(call -> call.path().endsWith("/" + commit)).toList();
    }

    private List<String> statuses(String commit) throws Exception {
        List<String> statuses = new ArrayList<>();
        for (Call call : calls(commit)) {
            Map<?, ?> body = JSON.readValue(call.body(), Map.class);
            statuses.add(body.get("context") + " " + body.get("state"));
        }
        return statuses;
    }

    /** The notification ids recorded so far, read from the beginning. */
    private List<String> notificationIds() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.NOTIFICATIONS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> ids = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> ids.add(
                        EventCodec.decode(record.value(), NotificationSent.class).notificationId()));
            }
            return ids;
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, Event event)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, EventCodec.encode(event))).get();
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }
}
