package io.momentum.notifier.commitstatus.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Provider;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When which status is posted: plain JUnit, no Kafka, no HTTP. */
class CommitStatusBookTest {

    private static final String REPO = "git@github.com:puppet/control.git";
    private static final String COMMIT = "a".repeat(40);
    private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");

    private final DeployRequest request = DeployRequest.environment("production", "production", "control", REPO,
            COMMIT, Provider.GITHUB, NOW);

    private static CommitStatusBook book(StatusMode mode, String... readyMasters) {
        CommitStatusBook book = new CommitStatusBook(mode);
        for (String master : readyMasters) {
            book.master(master, true);
        }
        return book;
    }

    private DeployResult result(String master, DeployStatus status, String error) {
        return new DeployResult(request.requestId(), master, "production", COMMIT, status, NOW, NOW.plusMillis(1500),
                1500, null, error);
    }

    private static List<String> summary(List<StatusUpdate> updates) {
        return updates.stream().map(u -> u.context() + " " + u.state() + " " + u.description()).toList();
    }

    @Test
    void perMasterIsPendingOnEveryReadyMasterThenFinalPerResult() {
        CommitStatusBook book = book(StatusMode.PER_MASTER, "cm1", "cm2");
        book.master("cm3", false);

        assertThat(summary(book.request(request))).containsExactly(
                "momentum/cm1 PENDING production: deploying",
                "momentum/cm2 PENDING production: deploying");
        assertThat(summary(book.result(result("cm1", DeployStatus.SUCCEEDED, null))))
                .containsExactly("momentum/cm1 SUCCESS production: deployed in 1.5 s");
        assertThat(summary(book.result(result("cm2", DeployStatus.FAILED, "disk full"))))
                .containsExactly("momentum/cm2 FAILURE production: failed: disk full");
        assertThat(book.request(request)).as("the same request again").isEmpty();
        assertThat(book.result(result("cm1", DeployStatus.SUCCEEDED, null))).as("the same result again").isEmpty();
    }

    @Test
    void aStagedResultStaysPendingAndNeverUndoesAFinalOne() {
        CommitStatusBook book = book(StatusMode.PER_MASTER, "cm1");
        book.request(request);

        assertThat(book.result(result("cm1", DeployStatus.STAGED, null))).as("already pending").isEmpty();
        assertThat(summary(book.result(result("cm2", DeployStatus.STAGED, null))))
                .containsExactly("momentum/cm2 PENDING production: staged, waiting for the rollout to switch");
        assertThat(book.result(result("cm1", DeployStatus.SUCCEEDED, null))).extracting(StatusUpdate::state)
                .containsExactly(CommitState.SUCCESS);
        assertThat(book.result(result("cm1", DeployStatus.STAGED, null))).isEmpty();
    }

    @Test
    void aMasterThatWasNotReadyStillGetsItsStatusWhenItReports() {
        CommitStatusBook book = book(StatusMode.PER_MASTER);
        assertThat(book.request(request)).isEmpty();
        assertThat(summary(book.result(result("late", DeployStatus.SUPERSEDED, null))))
                .containsExactly("momentum/late CANCELED production: superseded by a newer push");
    }

    @Test
    void aggregateIsOnePendingThenOneFinalOnceEveryReadyMasterReported() {
        CommitStatusBook book = book(StatusMode.AGGREGATE, "cm1", "cm2", "cm3");

        assertThat(summary(book.request(request)))
                .containsExactly("momentum PENDING production: deploying to 3 masters");
        assertThat(book.result(result("cm1", DeployStatus.SUCCEEDED, null))).isEmpty();
        assertThat(book.result(result("cm2", DeployStatus.FAILED, "r10k: module stdlib not found"))).isEmpty();
        assertThat(book.result(result("cm3", DeployStatus.STAGED, null))).isEmpty();
        assertThat(summary(book.result(result("cm3", DeployStatus.SUCCEEDED, null)))).containsExactly(
                "momentum FAILURE production: failed on cm2 (r10k: module stdlib not found); deployed on cm1, cm3");
    }

    @Test
    void aggregateSucceedsWithoutWaitingForAMasterThatLeft() {
        CommitStatusBook book = book(StatusMode.AGGREGATE, "cm1", "cm2");
        book.request(request);
        book.master("cm2", false);

        assertThat(summary(book.result(result("cm1", DeployStatus.SUCCEEDED, null))))
                .containsExactly("momentum SUCCESS production: deployed on cm1");
    }

    @Test
    void aResultReadBeforeItsRequestIsAppliedWithIt() {
        CommitStatusBook book = book(StatusMode.PER_MASTER, "cm1");
        assertThat(book.result(result("cm1", DeployStatus.SUCCEEDED, null))).isEmpty();

        assertThat(book.request(request)).extracting(StatusUpdate::state)
                .containsExactly(CommitState.PENDING, CommitState.SUCCESS);
    }

    @Test
    void aFailedPlanFailsWhatIsStillPending() {
        CommitStatusBook perMaster = book(StatusMode.PER_MASTER, "cm1", "cm2");
        perMaster.request(request);
        perMaster.result(result("cm1", DeployStatus.SUCCEEDED, null));
        assertThat(summary(perMaster.planFailed(request.requestId(), "Puppetfile: syntax error")))
                .containsExactly("momentum/cm2 FAILURE production: planning failed: Puppetfile: syntax error");

        CommitStatusBook aggregate = book(StatusMode.AGGREGATE, "cm1");
        aggregate.request(request);
        assertThat(aggregate.planFailed(request.requestId(), null)).extracting(StatusUpdate::state)
                .containsExactly(CommitState.FAILURE);
        assertThat(aggregate.planFailed(UUID.randomUUID(), "unknown request")).isEmpty();
    }

    @Test
    void aRequestPlannedAgainAfterItsPlanFailedEndsWithItsResults() {
        CommitStatusBook book = book(StatusMode.AGGREGATE, "cm1");
        book.request(request);
        book.planFailed(request.requestId(), "git host unreachable");

        assertThat(summary(book.result(result("cm1", DeployStatus.SUCCEEDED, null))))
                .containsExactly("momentum SUCCESS production: deployed on cm1");
    }

    @Test
    void onlyEnvironmentDeploysOfAKnownCommitAreReported() {
        CommitStatusBook book = book(StatusMode.PER_MASTER, "cm1");
        DeployRequest noCommit = DeployRequest.environment("production", "production", "control", REPO, null,
                Provider.GITHUB, NOW);
        DeployRequest module = DeployRequest.module("stdlib", REPO, COMMIT, Provider.GITHUB, NOW);
        DeployRequest deleted = request.withRequestId(UUID.randomUUID()).withDeleted(true);

        assertThat(List.of(noCommit, module, deleted)).allSatisfy(r -> assertThat(book.request(r)).isEmpty());
        assertThat(module.kind()).isEqualTo(DeployKind.MODULE);
    }

    @Test
    void currentIsTheLatestStatusOfEveryContextOfRecentDeploys() {
        CommitStatusBook book = book(StatusMode.PER_MASTER, "cm1", "cm2");
        book.request(request);
        book.result(result("cm1", DeployStatus.SUCCEEDED, null));

        assertThat(summary(book.current(NOW))).containsExactly(
                "momentum/cm1 SUCCESS production: deployed in 1.5 s",
                "momentum/cm2 PENDING production: deploying");
        assertThat(book.current(NOW.plusSeconds(1))).isEmpty();
    }

    @Test
    void descriptionsAreCutToWhatEveryHostAccepts() {
        CommitStatusBook book = book(StatusMode.PER_MASTER, "cm1");
        book.request(request);
        StatusUpdate update = book.result(result("cm1", DeployStatus.FAILED, "x".repeat(500))).get(0);

        assertThat(update.description()).hasSize(StatusUpdate.MAX_DESCRIPTION).endsWith("…");
    }
}
