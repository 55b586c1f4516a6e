package io.momentum.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text views over answers shaped as webhook-service gives them. */
class ViewsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");
    static final String DESIRED = "d".repeat(64);
    static final String OLD = "0".repeat(64);

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static final JsonNode PRODUCTION = json("{'environment':'production','plan':{'digest':'" + DESIRED
            + "','commit':'" + "c".repeat(40) + "','branch':'production','status':'PLANNED','pinned':true,"
            + "'modules':[{'name':'motd','type':'GIT','version':'main','sha':'" + "1".repeat(40) + "'},"
            + "{'name':'stdlib','type':'FORGE','version':'9.4.1','sha256':'" + "f".repeat(64) + "'}]},"
            + "'failedPlan':{'error':'Puppetfile:\\n line 2'},"
            + "'masters':[{'masterId':'mom','deployedDigest':'" + DESIRED + "','deployedCommit':'" + "c".repeat(40)
            + "','status':'SUCCEEDED','finishedAt':'2026-12-02T06:57:00Z','inSync':true,'planState':'LIVE'},"
            + "{'masterId':'cm1','deployedDigest':'" + OLD + "','deployedCommit':'" + "b".repeat(40)
            + "','status':'FAILED','finishedAt':'2026-12-02T06:59:50Z','inSync':false,'planState':'PREVIOUS',"
            + "'error':'no space left'}]}");

    @Test
    void statusIsOneRowPerEnvironmentAndMasterThenNotes() {
        String text = StatusView.render(List.of(PRODUCTION), NOW);

        assertThat(text.lines()).containsExactly(
                "ENVIRONMENT  MASTER  COMMIT    PLAN          STATE   STATUS     AGE  ERROR",
                "production   mom     cccccccc  dddddddddddd  live    SUCCEEDED  3m",
                "production   cm1     bbbbbbbb  000000000000  behind  FAILED     10s  no space left",
                "",
                "production: pinned to plan dddddddddddd (commit cccccccc) by a rollback; `momentum unpin"
                        + " production` deploys the branch head again",
                "production: planning failed, masters keep the plan above: Puppetfile: line 2");
    }

    @Test
    void modulesShowWhichMasterServesAnotherVersionWhereTheyDiffer() {
        JsonNode oldPlan = json("{'digest':'" + OLD + "','modules':[{'name':'motd','type':'GIT','version':'main',"
                + "'sha':'" + "2".repeat(40) + "'},{'name':'stdlib','type':'FORGE','version':'9.4.1','sha256':'"
                + "f".repeat(64) + "'}]}");

        String text = ModulesView.render(PRODUCTION, List.of(new ModulesView.MasterPlan("mom", DESIRED, null),
                new ModulesView.MasterPlan("cm1", OLD, oldPlan)));

        assertThat(text.lines()).containsExactly(
                "production: plan dddddddddddd, commit cccccccc, branch production",
                "MODULE  TYPE   VERSION  PIN                  MASTERS",
                "motd    git    main     111111111111         mom",
                "motd    git    main     222222222222         cm1",
                "stdlib  forge  9.4.1    sha256:ffffffffffff  all");
    }

    @Test
    void mastersShowHealthSyncRoutingAndReason() {
        String text = MastersView.render(json("{'masters':[{'masterId':'cm1','role':'COMPILE','health':'DOWN',"
                + "'inSync':false,'laggingEnvironments':['production'],'routable':false,'draining':false,"
                + "'reason':'probe failed 3 times','latencyMs':12,'checkedAt':'2026-12-02T06:59:58Z'},"
                + "{'masterId':'mom','role':'MOM','health':'UP','inSync':true,'laggingEnvironments':[],"
                + "'routable':true,'draining':false,'checkedAt':'2026-12-02T06:59:59Z'}]}"), NOW);

        assertThat(text.lines()).containsExactly(
                "MASTER  ROLE     HEALTH  IN SYNC          ROUTABLE  LATENCY  CHECKED  REASON",
                "cm1     compile  DOWN    no (production)  no        12 ms    2s       probe failed 3 times",
                "mom     mom      UP      yes              yes       -        1s");
    }

    @Test
    void loadBalancersShowWhatTheyServeAndTheirLastChanges() {
        String text = LoadBalancersView.render(json("{'loadBalancers':[{'latest':{'lbId':'edge','backend':'nginx',"
                + "'revision':7,'result':'APPLIED','configSha256':'" + "e".repeat(64) + "',"
                + "'appliedAt':'2026-12-02T06:58:00Z','backends':[{'masterId':'mom','address':'10.0.0.1:8140',"
                + "'draining':false}]},'changes':[{'revision':7,'result':'APPLIED','appliedAt':'2026-12-02T06:58:00Z',"
                + "'backends':[{'masterId':'mom'}]},{'revision':6,'result':'REJECTED','error':'empty set',"
                + "'appliedAt':'2026-12-02T06:50:00Z','backends':[]}]}]}"), NOW);

        assertThat(text.lines()).containsExactly(
                "load balancer edge (nginx): revision 7, APPLIED 2m ago, config eeeeeeeeeeee",
                "  SERVING  ADDRESS        DRAINING",
                "  mom      10.0.0.1:8140  no",
                "  CHANGED  REVISION  RESULT    MASTERS  ERROR",
                "  2m ago   7         APPLIED   mom",
                "  10m ago  6         REJECTED           empty set");
    }

    @Test
    void historyShowsEachDeployWithItsResultsAndPendingMasters() {
        String text = HistoryView.render("production", json("{'deploys':[{'requestId':'"
                + "12345678-0000-0000-0000-000000000000','request':{'kind':'ENVIRONMENT','branch':'production',"
                + "'commit':'" + "c".repeat(40) + "','provider':'github','pusher':'alice',"
                + "'requestedAt':'2026-12-02T06:59:00Z'},'outcome':'PENDING','pendingMasters':['cm1'],"
                + "'plans':[],'results':[{'masterId':'mom','environment':'production','status':'SUCCEEDED',"
                + "'durationMs':1500,'commit':'" + "c".repeat(40) + "','planDigest':'" + DESIRED + "'}]},"
                + "{'requestId':'9abcdef0-0000-0000-0000-000000000000','request':null,'outcome':'COMPLETE',"
                + "'plans':[{'pinned':true,'digest':'" + OLD + "','branch':'production','commit':'" + "b".repeat(40)
                + "','plannedAt':'2026-12-02T05:00:00Z'}],'results':[]}]}"), NOW);

        assertThat(text.lines()).containsExactly(
                "60s ago  12345678  push branch production @ cccccccc by alice (github)  PENDING",
                "  MASTER  STATUS     DURATION  COMMIT    PLAN          ERROR",
                "  mom     SUCCEEDED  1.5 s     cccccccc  dddddddddddd",
                "  cm1     PENDING    -         -         -",
                "2h ago  9abcdef0  rollback to plan 000000000000 (branch production @ bbbbbbbb)  COMPLETE");
    }

    @Test
    void historyShowsAMasterThatWasAtThePlanAsAlreadyCurrentAndTheServersSummary() {
        String text = HistoryView.render("production", json("{'deploys':[{'requestId':'"
                + "12345678-0000-0000-0000-000000000000','request':{'kind':'FULL_SYNC','provider':'manual',"
                + "'requestedAt':'2026-12-02T06:59:00Z'},'outcome':'COMPLETE','pendingMasters':[],"
                + "'summary':'nothing to do: production already at plan " + DESIRED + "',"
                + "'plans':[],'results':[{'masterId':'mom','environment':'production','status':'SUCCEEDED',"
                + "'durationMs':2,'unchanged':true,'commit':'" + "c".repeat(40) + "','planDigest':'" + DESIRED
                + "'}]}]}"), NOW);

        assertThat(text.lines()).element(0).asString()
                .endsWith("COMPLETE: nothing to do: production already at plan " + DESIRED);
        assertThat(text.lines()).element(2).asString().startsWith("  mom     already current  -         cccccccc");
    }
}
