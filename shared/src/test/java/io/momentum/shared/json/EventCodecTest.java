package io.momentum.shared.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Event;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.LbBackend;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.PostDeployOutcome;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Rollout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    static final Instant T0 = Instant.parse("2026-11-25T10:15:30.123Z");
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    static Stream<Event> everyEvent() {
        UUID id = UUID.fromString("7d444840-9dc0-11d1-b245-5ffdce74fad2");
        return Stream.of(
                new DeployRequest(id, DeployKind.ENVIRONMENT, "feature_x", "feature/x", "control",
                        "https://git.example.net/puppet/control.git", SHA, false, null, Provider.GITHUB,
                        "72d3162e-cc78-11e3-81ab-4c9367dc0958", "alice", T0),
                DeployRequest.module("stdlib", "https://git.example.net/puppet/stdlib.git", null,
                        Provider.BITBUCKET_SERVER, T0),
                DeployRequest.fullSync(Provider.MANUAL, T0),
                DeployPlan.planned(id, "production", "control", "production", SHA, List.of(
                        new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.GIT,
                                "https://git.example.net/puppet/stdlib.git", "main", SHA, null, false),
                        new PlannedModule("concat", "modules/concat", PlannedModule.Type.FORGE, "puppetlabs-concat",
                                "9.0.2", null, "a".repeat(64), true)), Rollout.FLEET, T0),
                DeployPlan.failed(id, "feature_x", "control", "feature/x", SHA,
                        "Puppetfile line 3: unknown option :bogus", T0),
                DeployPlan.absent(id, "feature_x", "control", "feature/x", T0),
                new Activation(id, "production", "c".repeat(64), Activation.Phase.BATCH, List.of("cm1", "cm2"),
                        "cm1 healthy for 60 s", T0),
                new DeployResult(id, "cm1", "production", SHA, DeployStatus.FAILED, T0, T0.plusMillis(1500), 1500,
                        new ModuleCounts(3, 17), "module apache: ref v9 not found"),
                new DeployResult(id, "cm2", "production", SHA, DeployStatus.SUCCEEDED, T0, T0.plusMillis(900), 900,
                        new ModuleCounts(0, 20), null).withPostDeploy(List.of(
                                new PostDeployOutcome("flush-environment-cache", true, "204 from cm2:8140", 35)))
                        .withPlanDigest("b".repeat(64)),
                new DeployResult(id, "cm3", "production", SHA, DeployStatus.SUCCEEDED, T0, T0.plusMillis(1), 1,
                        new ModuleCounts(0, 20), null).withPlanDigest("b".repeat(64)).asUnchanged(),
                new MasterAnnouncement("cm1", MasterRole.COMPILE, "https://cm1.example.net:8140",
                        "10.0.0.11:8140", MasterState.JOINING, "0.1.0", T0, T0.plusSeconds(5), 5000),
                new MasterAnnouncement("cm2", MasterRole.COMPILE, null, null, MasterState.JOINING, "0.1.0", T0, T0,
                        5000).withReason("cannot list branches of source control: authentication failed"),
                new MasterStatus("cm1", MasterRole.COMPILE, "10.0.0.11:8140", Health.UP, false,
                        List.of("production"), true, false, "serve-stale: catching up", 0, 12L, T0),
                new LbConfigApplied("lb1", "nginx", 7, List.of(new LbBackend("cm1", "10.0.0.11:8140", false)),
                        LbResult.APPLIED, null, "abc", T0));
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void roundTripsEveryEvent(Event event) {
        byte[] json = EventCodec.encode(event);
        assertThat(EventCodec.decode(json, event.getClass())).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void everyEventNamesItsTypeAndSchemaVersion(Event event) throws Exception {
        JsonNode tree = EventCodec.mapper().readTree(EventCodec.encode(event));
        assertThat(tree.get("type").asText()).isEqualTo(event.getClass().getSimpleName());
        assertThat(tree.get("schemaVersion").asInt()).isEqualTo(1);
    }

    @Test
    void writesSpecFieldNamesAndValues() throws Exception {
        DeployRequest request = (DeployRequest) everyEvent().findFirst().orElseThrow();
        JsonNode tree = EventCodec.mapper().readTree(EventCodec.encode(request));
        assertThat(tree.get("requestedAt").asText()).isEqualTo("2026-11-25T10:15:30.123Z");
        assertThat(tree.get("provider").asText()).isEqualTo("github");
        assertThat(tree.get("kind").asText()).isEqualTo("ENVIRONMENT");
        assertThat(tree.get("deleted").asBoolean()).isFalse();
        assertThat(request.key()).isEqualTo("env:feature_x");
        assertThat(EventCodec.encodeToString(DeployRequest.module("stdlib", null, null, Provider.GITLAB, T0)))
                .contains("\"provider\":\"gitlab\"");
    }

    @Test
    void toleratesUnknownFields() {
        String json = """
                {"type":"MasterStatus","schemaVersion":1,"masterId":"cm2","health":"DOWN","inSync":true,
                 "routable":false,"checkedAt":"2026-11-25T10:15:30Z","someFutureField":{"x":[1,2]}}
                """;
        MasterStatus status = EventCodec.decode(json, MasterStatus.class);
        assertThat(status.masterId()).isEqualTo("cm2");
        assertThat(status.health()).isEqualTo(Health.DOWN);
        assertThat(status.laggingEnvironments()).isEmpty();
    }

    @Test
    void readsAResultWrittenBeforeUnchangedExistedAsChanged() {
        String json = """
                {"type":"DeployResult","schemaVersion":1,"requestId":"7b0c6c4e-4a53-4bd5-9bd4-1f3ad1c5b3a8",
                 "masterId":"cm1","environment":"production","status":"SUCCEEDED",
                 "finishedAt":"2026-11-25T10:15:30Z","durationMs":2}
                """;
        assertThat(EventCodec.decode(json, DeployResult.class).unchanged()).isFalse();
    }

    @Test
    void readsAnAnnouncementWithoutAReason() {
        String json = """
                {"type":"MasterAnnouncement","schemaVersion":1,"masterId":"cm1","role":"COMPILE","state":"READY",
                 "startedAt":"2026-11-25T10:15:30Z","heartbeatAt":"2026-11-25T10:15:35Z","heartbeatIntervalMs":5000}
                """;
        MasterAnnouncement announcement = EventCodec.decode(json, MasterAnnouncement.class);
        assertThat(announcement.state()).isEqualTo(MasterState.READY);
        assertThat(announcement.reason()).isNull();
    }

    @Test
    void refusesAnotherTopicsEvent() {
        byte[] status = EventCodec.encode(everyEvent().filter(MasterStatus.class::isInstance).findFirst().orElseThrow());
        assertThatThrownBy(() -> EventCodec.decode(status, DeployResult.class))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("expected type DeployResult but got MasterStatus");
    }

    @Test
    void refusesMalformedJsonAndUnknownEnumValues() {
        assertThatThrownBy(() -> EventCodec.decode("{not json".getBytes(StandardCharsets.UTF_8), DeployRequest.class))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> EventCodec.decode("[1]", DeployRequest.class))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> EventCodec.decode("{\"provider\":\"svn\"}", DeployRequest.class))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("svn");
    }

    @Test
    void refusesANewerSchemaVersionByName() {
        String json = """
                {"type":"MasterStatus","schemaVersion":2,"masterId":"cm2","health":"DOWN","inSync":true,
                 "routable":false,"checkedAt":"2026-11-25T10:15:30Z"}
                """;
        assertThatThrownBy(() -> EventCodec.decode(json, MasterStatus.class))
                .isInstanceOf(UnsupportedSchemaVersionException.class)
                .hasMessageContaining("schemaVersion 2");
    }

    @Test
    void namesANewerSchemaVersionEvenWhenItsFieldsNoLongerBind() {
        String json = """
                {"type":"MasterStatus","schemaVersion":2,"masterId":"cm2","health":{"state":"DOWN"},"inSync":true,
                 "routable":false,"checkedAt":"2026-11-25T10:15:30Z"}
                """;
        assertThatThrownBy(() -> EventCodec.decode(json, MasterStatus.class))
                .isInstanceOf(UnsupportedSchemaVersionException.class)
                .hasMessageContaining("schemaVersion 2");
    }

    @Test
    void checksOnlyTheTopLevelType() {
        DeployPlan plan = everyEvent().filter(DeployPlan.class::isInstance).map(DeployPlan.class::cast)
                .filter(p -> !p.modules().isEmpty()).findFirst().orElseThrow();
        byte[] json = EventCodec.encode(plan);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"type\":\"GIT\"");
        assertThat(EventCodec.decode(json, DeployPlan.class)).isEqualTo(plan);
        assertThatThrownBy(() -> EventCodec.decode("{\"type\":{\"name\":\"MasterStatus\"}}", MasterStatus.class))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("expected type MasterStatus");
    }
}
