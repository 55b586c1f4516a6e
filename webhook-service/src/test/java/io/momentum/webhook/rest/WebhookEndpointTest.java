package io.momentum.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.webhook.Deliveries;
import io.momentum.webhook.TopicRecords;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real HTTP in, real Kafka out: what each git host's delivery leaves on momentum.deploy-requests. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class WebhookEndpointTest {

    @InjectKafkaBroker
    KafkaBroker broker;

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static Response post(String path, Map<String, String> headers, byte[] body) {
        return given().headers(headers).contentType("application/json").body(body).post(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "bitbucket", "bitbucket-server", "gitea", "gogs", "azure-devops"})
    void signedPushBecomesExactlyOneRecord(String provider) {
        String deliveryId = UUID.randomUUID().toString();
        String branch = unique("push_");
        byte[] body = Deliveries.payload(provider, "push", branch, deliveryId).getBytes(StandardCharsets.UTF_8);

        String requestId = post("/payload", Deliveries.headers(provider, "push", body, deliveryId), body)
                .then().statusCode(202).extract().path("requestId");

        List<ConsumerRecord<String, String>> records = TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("env:" + branch);
        DeployRequest request = TopicRecords.decode(records.get(0));
        assertThat(request.requestId()).hasToString(requestId);
        assertThat(request.kind()).isEqualTo(DeployKind.ENVIRONMENT);
        assertThat(request.provider().id()).isEqualTo(provider);
        assertThat(request.environment()).isEqualTo(branch);
        assertThat(request.branch()).isEqualTo(branch);
        assertThat(request.commit()).isEqualTo(Deliveries.COMMIT);
        assertThat(request.deleted()).isFalse();
        assertThat(request.repositoryUrl()).startsWith("https://");
        assertThat(request.requestedAt()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "bitbucket", "bitbucket-server", "gitea", "gogs", "azure-devops"})
    void branchDeletionIsPublishedDeleted(String provider) {
        String deliveryId = UUID.randomUUID().toString();
        String gone = unique("gone_");
        byte[] body = Deliveries.payload(provider, "delete", "p", deliveryId).replace("feature/old-thing", gone)
                .getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers(provider, "delete", body, deliveryId), body).then().statusCode(202);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).singleElement()
                .satisfies(r -> {
                    assertThat(r.key()).isEqualTo("env:" + gone);
                    assertThat(TopicRecords.decode(r).deleted()).isTrue();
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "bitbucket", "bitbucket-server", "gitea", "gogs", "azure-devops"})
    void badSignaturePublishesNothing(String provider) {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = Deliveries.payload(provider, "push", unique("bad_"), deliveryId)
                .getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers(provider, "push", body, deliveryId, "not-the-secret"), body)
                .then().statusCode(401).body("error", containsString("secret"));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "bitbucket", "bitbucket-server", "gitea", "gogs", "azure-devops"})
    void replayedDeliveryPublishesOnce(String provider) {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = Deliveries.payload(provider, "push", unique("replay_"), deliveryId)
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Deliveries.headers(provider, "push", body, deliveryId);
        String first = post("/payload", headers, body).then().statusCode(202).extract().path("requestId");
        post("/payload", headers, body).then().statusCode(200)
                .body("status", equalTo("duplicate")).body("requestId", equalTo(first));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).hasSize(1);
    }

    /** What a restarted service (or another instance) sees: the delivery is only known from the topic. */
    @Test
    void deliveryPublishedBeforeARestartIsStillADuplicate() {
        String deliveryId = UUID.randomUUID().toString();
        String branch = unique("restart_");
        DeployRequest earlier = DeployRequest.environment(branch, branch, "puppet", null, Deliveries.COMMIT,
                io.momentum.shared.event.Provider.GITLAB, java.time.Instant.now().minusSeconds(3600))
                .withDelivery(deliveryId, "alice");
        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, earlier.key(),
                    EventCodec.encodeToString(earlier))).awaitCompletion(Duration.ofSeconds(30));
        }
        byte[] body = Deliveries.payload("gitlab", "push", branch, deliveryId).getBytes(StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                post("/payload", Deliveries.headers("gitlab", "push", body, deliveryId), body).then()
                        .statusCode(200).body("requestId", equalTo(earlier.requestId().toString())));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "bitbucket-server"})
    void pingIsAnsweredAndPublishesNothing(String provider) {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = Deliveries.payload(provider, "ping").getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers(provider, "ping", body, deliveryId), body)
                .then().statusCode(200).body("status", equalTo("pong"));
        post("/payload", Deliveries.headers(provider, "ping", body, deliveryId, "wrong"), body)
                .then().statusCode(401);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).isEmpty();
    }

    @Test
    void tagPushIsIgnoredByDefault() {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = Deliveries.payload("github", "tag").getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers("github", "tag", body, deliveryId), body)
                .then().statusCode(200).body("status", equalTo("ignored")).body("reason", containsString("tag"));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).isEmpty();
    }

    @Test
    void oversizedBodyIs413() {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = new byte[1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        post("/payload", Deliveries.headers("github", "push", body, deliveryId), body).then().statusCode(413);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).isEmpty();
    }

    @Test
    void malformedJsonIs400() {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = "{\"ref\": \"refs/heads/x\", ".getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers("github", "push", body, deliveryId), body)
                .then().statusCode(400).body("error", containsString("malformed JSON"));
        byte[] incomplete = "{\"ref\": \"refs/heads/x\"}".getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers("github", "push", incomplete, deliveryId), incomplete)
                .then().statusCode(400).body("error", containsString("'after'"));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).isEmpty();
    }

    @Test
    void unknownProviderIs400() {
        given().contentType("application/json").body("{\"ref\":\"refs/heads/x\"}").post("/payload")
                .then().statusCode(400).body("error", containsString("unknown provider"));
    }

    @Test
    void wrongMediaTypeIs415() {
        byte[] body = Deliveries.payload("github", "push").getBytes(StandardCharsets.UTF_8);
        given().headers(Deliveries.headers("github", "push", body, "m-415")).contentType("text/plain").body(body)
                .post("/payload").then().statusCode(415);
    }

    @Test
    void hostileBranchIsMappedOrRefused() {
        String deliveryId = UUID.randomUUID().toString();
        String suffix = unique("");
        byte[] body = Deliveries.payload("github", "push", "x;rm${IFS}-rf$HOME/" + suffix, deliveryId)
                .getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers("github", "push", body, deliveryId), body).then().statusCode(202);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo("env:x_rm__IFS__rf_HOME_" + suffix));

        // A space is no part of any git ref: not from git, refused.
        String spaced = UUID.randomUUID().toString();
        byte[] space = Deliveries.payload("github", "push", "x;rm -rf $HOME/" + suffix, spaced)
                .getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers("github", "push", space, spaced), space)
                .then().statusCode(400).body("error", containsString("not a valid git ref name"));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), spaced)).isEmpty();

        String refused = UUID.randomUUID().toString();
        byte[] dots = Deliveries.payload("github", "push", "..", refused).getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers("github", "push", dots, refused), dots)
                .then().statusCode(400).body("error", containsString("not a valid git ref name"));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), refused)).isEmpty();
    }

    @Test
    void theSourceRulesDecideWhatAPushDeploys() {
        String mainDelivery = UUID.randomUUID().toString();
        byte[] main = Deliveries.payload("github", "push", "main", mainDelivery).getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers("github", "push", main, mainDelivery), main).then().statusCode(202);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), mainDelivery)).singleElement()
                .satisfies(r -> {
                    assertThat(r.key()).isEqualTo("env:production");
                    assertThat(TopicRecords.decode(r).branch()).isEqualTo("main");
                    assertThat(TopicRecords.decode(r).source()).isEqualTo("puppet");
                });

        String masterDelivery = UUID.randomUUID().toString();
        byte[] master = Deliveries.payload("github", "push", "master", masterDelivery)
                .getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers("github", "push", master, masterDelivery), master).then()
                .statusCode(200).body("status", equalTo("ignored"))
                .body("reason", containsString("reserved"))
                .body("reason", containsString("momentum.sources.puppet.environments.master=<environment>"));

        String wipDelivery = UUID.randomUUID().toString();
        byte[] wip = Deliveries.payload("github", "push", "wip/" + unique("x"), wipDelivery)
                .getBytes(StandardCharsets.UTF_8);
        post("/payload", Deliveries.headers("github", "push", wip, wipDelivery), wip).then()
                .statusCode(200).body("status", equalTo("ignored")).body("reason", containsString("ignore pattern"));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), masterDelivery)).isEmpty();
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), wipDelivery)).isEmpty();
    }

    @Test
    void formEncodedGitHubDeliveryIsAccepted() {
        String deliveryId = UUID.randomUUID().toString();
        String json = Deliveries.payload("github", "push", unique("form_"), deliveryId);
        byte[] body = ("payload=" + java.net.URLEncoder.encode(json, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        given().headers(Deliveries.headers("github", "push", body, deliveryId))
                .contentType("application/x-www-form-urlencoded").body(new String(body, StandardCharsets.US_ASCII))
                .post("/payload")
                .then().statusCode(202);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).hasSize(1);
    }

    @Test
    void modulePushRequestsAModuleDeploy() {
        String deliveryId = UUID.randomUUID().toString();
        String module = unique("m");
        byte[] body = Deliveries.payload("gitlab", "push").replace("puppet/control", "modules/puppet-" + module)
                .getBytes(StandardCharsets.UTF_8);
        post("/module", Deliveries.headers("gitlab", "push", body, deliveryId), body).then().statusCode(202);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).singleElement()
                .satisfies(r -> {
                    assertThat(r.key()).isEqualTo("module:" + module);
                    DeployRequest request = TopicRecords.decode(r);
                    assertThat(request.kind()).isEqualTo(DeployKind.MODULE);
                    assertThat(request.module()).isEqualTo(module);
                    assertThat(request.commit()).isEqualTo(Deliveries.COMMIT);
                });
    }
}
