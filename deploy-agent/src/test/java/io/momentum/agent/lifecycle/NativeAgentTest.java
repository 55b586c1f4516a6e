package io.momentum.agent.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.deployer.NativeDeployer;
import io.momentum.agent.messaging.PlanReader;
import io.momentum.agent.schedule.AfterDeploy;
import io.momentum.agent.schedule.DeployScheduler;
import io.momentum.agent.schedule.PlanFollower;
import io.momentum.agent.schedule.Targets;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.GitRepo;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * End to end with the real native deployer and the plans topic: the plans on the topic before start are deployed
 * before READY and answered with their digest; then a new plan is deployed on disk (the same plan again under another
 * request is answered unchanged, writing nothing), a plan whose commit the remote does not have fails cleanly, an
 * ABSENT plan purges; and an agent restarted on the same disk replays the plans and redeploys nothing.
 */
@QuarkusTest
@TestProfile(NativeAgentProfile.class)
class NativeAgentTest {

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    PlanReader plans;

    @Inject
    DeployerSettings settings;

    @Inject
    Targets targets;

    private DeployResult resultOf(KafkaCompanion companion, DeployPlan plan) {
        NativeAgentProfile.publish(broker, plan);
        return awaitResult(companion, r -> r.requestId().equals(plan.requestId()));
    }

    private static DeployResult awaitResult(KafkaCompanion companion,
            java.util.function.Predicate<DeployResult> wanted) {
        ConsumerTask<String, String> results = AgentFlowTest.fromStart(companion, Topics.DEPLOY_RESULTS);
        try {
            return await().atMost(Duration.ofSeconds(90)).until(() -> results.getRecords().stream()
                    .map(r -> EventCodec.decode(r.value(), DeployResult.class)).filter(wanted)
                    .findFirst().orElse(null), r -> r != null);
        } finally {
            results.stop();
        }
    }

    @Test
    void deploysThePlansBeforeReadyThenFollowsTheTopicAndARestartRedeploysNothing() throws Exception {
        Path environments = NativeAgentProfile.ENVIRONMENTS;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/v1/agent").then()
                .statusCode(200)
                .body("state", equalTo("READY"))
                .body("environments", hasKey("production"))
                .body("environments", hasKey("development")));
        assertThat(environments.resolve("production/modules/motd/manifests/init.pp")).exists();
        assertThat(environments.resolve("production/site/role/manifests/init.pp")).exists();
        assertThat(environments.resolve("production/.r10k-deploy.json")).exists();

        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                GitRepo control = GitRepo.createBare(NativeAgentProfile.CONTROL)) {
            DeployResult caughtUp = awaitResult(companion, r -> r.environment().equals("production"));
            assertThat(caughtUp.status()).isEqualTo(DeployStatus.SUCCEEDED);
            assertThat(caughtUp.masterId()).isEqualTo("native-master");
            assertThat(caughtUp.planDigest()).isNotNull();

            String feature = control.commit("feature", Map.of("Puppetfile", "",
                    "site/profile/manifests/web.pp", "class profile::web { }\n"));
            DeployPlan push = NativeAgentProfile.plan("feature", feature, List.of());
            DeployResult deployed = resultOf(companion, push);
            assertThat(deployed.status()).as(deployed.error()).isEqualTo(DeployStatus.SUCCEEDED);
            assertThat(deployed.commit()).isEqualTo(feature);
            assertThat(deployed.planDigest()).isEqualTo(push.digest());
            assertThat(Files.readString(environments.resolve("feature/site/profile/manifests/web.pp")))
                    .contains("profile::web");
            assertThat(deployed.unchanged()).isFalse();

            // A full sync answered with the same plan under its own request: reported unchanged, nothing written.
            List<String> written = versions(environments);
            DeployPlan answered = NativeAgentProfile.plan("feature", feature, List.of());
            DeployResult current = resultOf(companion, answered);
            assertThat(current.status()).isEqualTo(DeployStatus.SUCCEEDED);
            assertThat(current.unchanged()).as("already current").isTrue();
            assertThat(current.planDigest()).isEqualTo(push.digest());
            assertThat(versions(environments)).isEqualTo(written);

            DeployPlan lost = NativeAgentProfile.plan("lost", "f".repeat(40), List.of());
            DeployResult failed = resultOf(companion, lost);
            assertThat(failed.status()).isEqualTo(DeployStatus.FAILED);
            assertThat(failed.error()).contains("is not in").contains("the plan cannot be deployed");
            assertThat(environments.resolve("lost")).doesNotExist();
            assertThat(resultOf(companion, DeployPlan.absent(UUID.randomUUID(), "lost", "control", "lost",
                    Instant.now())).status()).isEqualTo(DeployStatus.PURGED);

            // A plan whose commit the git host does not have yet fails, and is carried out again (retry interval
            // 2 s here) without a new plan once the commit is there.
            String late;
            try (GitRepo elsewhere = GitRepo.createBare(NativeAgentProfile.BASE.resolve("elsewhere.git"))) {
                late = elsewhere.commit("late", Map.of("Puppetfile", "", "site/late.pp", "# late\n"));
                DeployPlan early = NativeAgentProfile.plan("late", late, List.of());
                DeployResult notYet = resultOf(companion, early);
                assertThat(notYet.status()).isEqualTo(DeployStatus.FAILED);
                assertThat(environments.resolve("late")).doesNotExist();
                Process gitPush = new ProcessBuilder("git", "--git-dir", elsewhere.dir().toString(), "push", "-q",
                        control.dir().toString(), "late:refs/heads/late").inheritIO().start();
                assertThat(gitPush.waitFor()).isZero();
                DeployResult retried = awaitResult(companion, r -> r.requestId().equals(early.requestId())
                        && r.status() == DeployStatus.SUCCEEDED);
                assertThat(retried.commit()).isEqualTo(late);
                assertThat(environments.resolve("late/site/late.pp")).hasContent("# late");
            }

            control.deleteBranch("feature");
            DeployResult purged = resultOf(companion, DeployPlan.absent(UUID.randomUUID(), "feature", "control",
                    "feature", Instant.now()));
            assertThat(purged.status()).isEqualTo(DeployStatus.PURGED);
            assertThat(environments.resolve("feature")).doesNotExist();
            assertThat(environments.resolve("production/modules/motd")).exists();
        }

        // A restart on the same disk: replay every plan, reconcile, and find nothing to do.
        List<String> versionsBefore = versions(environments);
        List<DeployResult> published = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> reconciled = new CompletableFuture<>();
        try (NativeDeployer restarted = new NativeDeployer(settings)) {
            DeployScheduler scheduler = new DeployScheduler(restarted, targets, result -> {
                published.add(result);
                return CompletableFuture.completedFuture(null);
            }, AfterDeploy.NOTHING, "native-master", 2);
            PlanFollower follower = new PlanFollower(scheduler);
            CompactedTopicReader reader = plans.follow(follower::accept, follower::activate,
                    () -> follower.caughtUp().whenComplete((ok, error) -> {
                        if (error == null) {
                            reconciled.complete(null);
                        } else {
                            reconciled.completeExceptionally(error);
                        }
                    }));
            try {
                reconciled.get(60, TimeUnit.SECONDS);
            } finally {
                reader.close();
                scheduler.close(Duration.ofSeconds(5));
            }
        }
        assertThat(published).isEmpty();
        assertThat(versions(environments)).isEqualTo(versionsBefore);
    }

    @Test
    void aFleetPlanIsStagedBesideTheLiveVersionAndGoesLiveOnItsAllActivation() throws Exception {
        Path environments = NativeAgentProfile.ENVIRONMENTS;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/v1/agent").then()
                .statusCode(200).body("state", equalTo("READY")));
        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                GitRepo control = GitRepo.createBare(NativeAgentProfile.CONTROL)) {
            String v1 = control.commit("fleet", Map.of("Puppetfile", "", "v", "1"));
            DeployPlan first = fleet(v1);
            assertThat(resultOf(companion, first).status()).isEqualTo(DeployStatus.STAGED);
            assertThat(environments.resolve("fleet")).doesNotExist();
            NativeAgentProfile.publish(broker, all(first));
            assertThat(awaitResult(companion, r -> r.requestId().equals(first.requestId())
                    && r.status() == DeployStatus.SUCCEEDED).planDigest()).isEqualTo(first.digest());
            assertThat(Files.readString(environments.resolve("fleet/v"))).isEqualTo("1");

            String v2 = control.commit("fleet", Map.of("v", "2"));
            DeployPlan second = fleet(v2);
            DeployResult staged = resultOf(companion, second);

            assertThat(staged.status()).as(staged.error()).isEqualTo(DeployStatus.STAGED);
            assertThat(staged.planDigest()).isEqualTo(second.digest());
            assertThat(staged.masterId()).isEqualTo("native-master");
            assertThat(Files.readString(environments.resolve("fleet/v"))).isEqualTo("1");

            NativeAgentProfile.publish(broker, all(second));
            DeployResult live = awaitResult(companion, r -> r.requestId().equals(second.requestId())
                    && r.status() == DeployStatus.SUCCEEDED);

            assertThat(live.planDigest()).isEqualTo(second.digest());
            assertThat(live.commit()).isEqualTo(v2);
            assertThat(live.finishedAt()).isAfterOrEqualTo(staged.finishedAt());
            assertThat(Files.readString(environments.resolve("fleet/v"))).isEqualTo("2");
        }
    }

    private static DeployPlan fleet(String commit) {
        return DeployPlan.planned(UUID.randomUUID(), "fleet", "control", "fleet", commit, List.of(), Rollout.FLEET,
                Instant.now());
    }

    private static Activation all(DeployPlan plan) {
        return new Activation(plan.requestId(), plan.environment(), plan.digest(), Activation.Phase.ALL, List.of(),
                "every ready master staged", Instant.now());
    }

    private static List<String> versions(Path environments) throws Exception {
        try (Stream<Path> paths = Files.walk(environments.resolve(".momentum"), 2)) {
            return paths.map(environments::relativize).map(Path::toString).sorted().toList();
        }
    }
}
