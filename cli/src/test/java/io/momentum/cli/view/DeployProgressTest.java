package io.momentum.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeployProgressTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> MASTERS = List.of("mom", "cm1");

    static JsonNode report(String json) {
        try {
            return JSON.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static final String PLAN = "{'environment':'production','status':'PLANNED','digest':'" + "a".repeat(64) + "'}";

    @Test
    void beforeTheServerReadTheRequestBackEveryMasterIsQueued() {
        DeployProgress.Snapshot snapshot = DeployProgress.of(Arrays.asList((JsonNode) null), List.of("production"),
                MASTERS);

        assertThat(snapshot.lines()).extracting(DeployProgress.Line::text)
                .containsExactly(line("production", "mom", "queued"), line("production", "cm1", "queued"));
        assertThat(snapshot.complete()).isFalse();
        assertThat(snapshot.succeeded()).isFalse();
    }

    @Test
    void onceEveryMasterSucceededTheDeploySucceededWithDurations() {
        DeployProgress.Snapshot snapshot = DeployProgress.of(List.of(report("{'requestId':'r1','complete':true,"
                + "'outcome':'COMPLETE','plans':[" + PLAN + "],'results':["
                + "{'masterId':'mom','environment':'production','status':'SUCCEEDED','durationMs':1234},"
                + "{'masterId':'cm1','environment':'production','status':'SUCCEEDED','durationMs':87}]}")),
                List.of("production"), MASTERS);

        assertThat(snapshot.lines()).extracting(DeployProgress.Line::text).containsExactly(
                line("production", "mom", "succeeded in 1.2 s"), line("production", "cm1", "succeeded in 87 ms"));
        assertThat(snapshot.succeeded()).isTrue();
        assertThat(snapshot.summary(false)).containsExactly("OK: 2 of 2 deploys succeeded (1 environment)");
    }

    @Test
    void aMasterAtThePlanAlreadyIsAlreadyCurrentNotSucceededInMilliseconds() {
        DeployProgress.Snapshot snapshot = DeployProgress.of(List.of(report("{'requestId':'r1','complete':true,"
                + "'outcome':'COMPLETE','plans':[" + PLAN + "],'results':["
                + "{'masterId':'mom','environment':'production','status':'SUCCEEDED','durationMs':2,"
                + "'unchanged':true},"
                + "{'masterId':'cm1','environment':'production','status':'SUCCEEDED','durationMs':87}]}")),
                List.of("production"), MASTERS);

        assertThat(snapshot.lines()).extracting(DeployProgress.Line::text).containsExactly(
                line("production", "mom", "already current"), line("production", "cm1", "succeeded in 87 ms"));
        assertThat(snapshot.succeeded()).isTrue();
        assertThat(snapshot.summary(false))
                .containsExactly("OK: 2 of 2 deploys succeeded (1 environment), 1 already current");
    }

    @Test
    void aFullSyncThatChangedNothingSucceedsWithTheServersSummary() {
        String nothing = "nothing to do: production already at plan " + "a".repeat(64);
        DeployProgress.Snapshot snapshot = DeployProgress.of(List.of(report("{'requestId':'r1','complete':true,"
                + "'outcome':'COMPLETE','request':{'kind':'FULL_SYNC'},'summary':'" + nothing + "','plans':["
                + PLAN + "],'results':["
                + "{'masterId':'mom','environment':'production','status':'SUCCEEDED','unchanged':true},"
                + "{'masterId':'cm1','environment':'production','status':'SUCCEEDED','unchanged':true}]}")),
                List.of("all"), MASTERS);

        assertThat(snapshot.lines()).extracting(DeployProgress.Line::state)
                .containsExactly(DeployProgress.State.CURRENT, DeployProgress.State.CURRENT);
        assertThat(snapshot.succeeded()).isTrue();
        assertThat(snapshot.summary(false))
                .containsExactly("OK: 2 of 2 deploys succeeded (1 environment), 2 already current", nothing);
    }

    @Test
    void aRequestThatPlannedNothingToDoSucceedsWithoutLines() {
        DeployProgress.Snapshot snapshot = DeployProgress.of(List.of(report("{'requestId':'r1','complete':true,"
                + "'outcome':'COMPLETE','request':{'kind':'MODULE','module':'apache'},'summary':'nothing to do: no"
                + " plan uses module apache','plans':[],'results':[]}")), List.of(), MASTERS);

        assertThat(snapshot.lines()).isEmpty();
        assertThat(snapshot.succeeded()).isTrue();
        assertThat(snapshot.summary(false)).containsExactly("OK: nothing to do: no plan uses module apache");
    }

    @Test
    void aFailedMasterFailsTheDeployAndTheSummaryNamesItsError() {
        DeployProgress.Snapshot snapshot = DeployProgress.of(List.of(report("{'requestId':'r1','complete':true,"
                + "'outcome':'COMPLETE','plans':[" + PLAN + "],'results':["
                + "{'masterId':'mom','environment':'production','status':'SUCCEEDED','durationMs':1000},"
                + "{'masterId':'cm1','environment':'production','status':'FAILED','error':'disk full'}]}")),
                List.of("production"), MASTERS);

        assertThat(snapshot.succeeded()).isFalse();
        assertThat(snapshot.summary(false)).containsExactly("FAILED production cm1 failed: disk full",
                "1 of 2 deploys succeeded");
    }

    @Test
    void aMasterWithoutResultIsDeployingOnceThePlanExistsAndStagedWaitsForTheRollout() {
        DeployProgress.Snapshot snapshot = DeployProgress.of(List.of(report("{'requestId':'r1','complete':false,"
                + "'outcome':'PENDING','plans':[" + PLAN + "],'results':["
                + "{'masterId':'mom','environment':'production','status':'STAGED'}],"
                + "'rollouts':[{'environment':'production','mode':'FLEET','digest':'" + "a".repeat(64)
                + "','phase':null,'masters':[]}]}")), List.of("production"), MASTERS);

        assertThat(snapshot.lines()).extracting(DeployProgress.Line::state)
                .containsExactly(DeployProgress.State.STAGED, DeployProgress.State.DEPLOYING);
        assertThat(snapshot.notes()).containsExactly("production: fleet rollout of plan aaaaaaaaaaaa: staging on"
                + " every master");
        assertThat(snapshot.summary(true).get(0)).isEqualTo("TIMED OUT waiting for mom production, cm1 production");
    }

    @Test
    void aFullSyncThatPlannedNothingSaysSoWhenItTimesOut() {
        DeployProgress.Snapshot snapshot = DeployProgress.of(List.of(report("{'requestId':'r1','complete':false,"
                + "'outcome':'PENDING','request':{'kind':'FULL_SYNC'},'plans':[],'results':[]}")), List.of("all"),
                MASTERS);

        assertThat(snapshot.lines()).extracting(DeployProgress.Line::text)
                .containsExactly(line("all", "mom", "queued"), line("all", "cm1", "queued"));
        assertThat(snapshot.summary(true)).element(1).asString().startsWith("nothing was planned for the full sync");
    }

    @Test
    void aPlanThatFailedIsOneLineForTheEnvironment() {
        DeployProgress.Snapshot snapshot = DeployProgress.of(List.of(report("{'requestId':'r1','complete':true,"
                + "'outcome':'FAILED','error':'Puppetfile line 3','plans':[{'environment':'production',"
                + "'status':'FAILED','error':'Puppetfile line 3: unexpected'}],'results':[]}")),
                List.of("production"), MASTERS);

        assertThat(snapshot.lines()).extracting(DeployProgress.Line::text).containsExactly(line("production", "-",
                "planning failed, every master keeps what it serves: Puppetfile line 3: unexpected"));
        assertThat(snapshot.succeeded()).isFalse();
    }

    @Test
    void aHaltedRolloutMarksTheMastersThatDidNotSwitch() {
        DeployProgress.Snapshot snapshot = DeployProgress.of(List.of(report("{'requestId':'r1','complete':true,"
                + "'outcome':'FAILED','error':'cm1 DOWN during soak','plans':[" + PLAN + "],'results':["
                + "{'masterId':'mom','environment':'production','status':'STAGED'},"
                + "{'masterId':'cm1','environment':'production','status':'SUCCEEDED','durationMs':5}]}")),
                List.of("production"), MASTERS);

        assertThat(snapshot.lines()).extracting(DeployProgress.Line::state)
                .containsExactly(DeployProgress.State.HALTED, DeployProgress.State.SUCCEEDED);
        assertThat(snapshot.succeeded()).isFalse();
    }

    @Test
    void withoutATerminalEachChangeIsOnePlainLineAndNothingIsRepeated() {
        StringWriter text = new StringWriter();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), false);
        DeployProgress.Snapshot queued = DeployProgress.of(Arrays.asList((JsonNode) null), List.of("production"),
                MASTERS);
        DeployProgress.Snapshot done = DeployProgress.of(List.of(report("{'requestId':'r1','complete':true,"
                + "'plans':[" + PLAN + "],'results':["
                + "{'masterId':'mom','environment':'production','status':'SUCCEEDED','durationMs':1000},"
                + "{'masterId':'cm1','environment':'production','status':'SUCCEEDED','durationMs':2000}]}")),
                List.of("production"), MASTERS);

        printer.show(queued);
        printer.show(queued);
        printer.show(done);

        assertThat(text.toString().lines()).containsExactly(line("production", "mom", "queued"),
                line("production", "cm1", "queued"), line("production", "mom", "succeeded in 1.0 s"),
                line("production", "cm1", "succeeded in 2.0 s"));
        assertThat(text.toString()).doesNotContain("\u001b");
    }

    @Test
    void onATerminalTheBlockIsRedrawnInPlace() {
        StringWriter text = new StringWriter();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), true);
        DeployProgress.Snapshot queued = DeployProgress.of(Arrays.asList((JsonNode) null), List.of("production"),
                MASTERS);

        printer.show(queued);
        printer.show(queued);

        assertThat(text.toString()).contains("\u001b[2F").contains("\u001b[2K");
    }

    static String line(String environment, String master, String what) {
        return String.format("%-14s %-10s %s", environment, master, what);
    }
}
