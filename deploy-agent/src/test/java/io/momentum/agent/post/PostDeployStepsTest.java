package io.momentum.agent.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.momentum.shared.event.PostDeployOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostDeployStepsTest {

    @TempDir
    Path tmp;

    @Test
    void theUserCommandIsAnArgumentArrayWithTheEnvironmentFilledIn() throws Exception {
        Path marker = tmp.resolve("done");
        UserCommand command = new UserCommand(List.of("touch", marker + "-{environment}"), Duration.ofSeconds(30));

        command.run("production", false);

        assertThat(marker.resolveSibling("done-production")).exists();
        assertThat(new UserCommand(List.of("notify", "--env={environment}", "x y; rm -rf /"),
                Duration.ofSeconds(1)).command("production"))
                .containsExactly("notify", "--env=production", "x y; rm -rf /");
    }

    @Test
    void theUserCommandSeesTheEventInItsEnvironment() throws Exception {
        Path out = tmp.resolve("env.txt");
        new UserCommand(List.of("/bin/sh", "-c", "echo \"$MOMENTUM_ENVIRONMENT $MOMENTUM_EVENT\" > " + out),
                Duration.ofSeconds(30)).run("feature", true);
        assertThat(Files.readString(out)).isEqualTo("feature purged\n");
    }

    @Test
    void failuresSayWhatHappened() {
        assertThatThrownBy(() -> new UserCommand(List.of("/bin/sh", "-c", "echo boom >&2; exit 3"),
                Duration.ofSeconds(30)).run("production", false))
                .isInstanceOf(PostDeployException.class).hasMessageContaining("exited with 3").hasMessageContaining("boom");
        assertThatThrownBy(() -> new UserCommand(List.of(tmp.resolve("missing").toString()), Duration.ofSeconds(30))
                .run("production", false)).hasMessageContaining("cannot run missing");
        assertThatThrownBy(() -> new UserCommand(List.of("sleep", "30"), Duration.ofMillis(200))
                .run("production", false)).hasMessageContaining("sleep did not finish in time");
    }

    @Test
    void generateTypesTargetsTheEnvironmentAndTheEnvironmentsDir() {
        assertThat(new GenerateTypes("puppet", Path.of("/srv/environments"), Duration.ofMinutes(1))
                .command("production"))
                .containsExactly("puppet", "generate", "types", "--environment", "production", "--environmentpath",
                        "/srv/environments");
    }

    @Test
    void stepsRunInOrderReportEveryOutcomeAndSkipWhatDoesNotApplyToAPurge() {
        List<String> ran = new CopyOnWriteArrayList<>();
        PostDeploySteps steps = new PostDeploySteps(List.of(
                step("flush", true, ran, null),
                step("types", false, ran, "puppet not found"),
                step("command", true, ran, null)), Duration.ofSeconds(5), new SimpleMeterRegistry());

        assertThat(steps.run("production", false)).extracting(PostDeployOutcome::step, PostDeployOutcome::ok,
                PostDeployOutcome::detail).containsExactly(tuple("flush", true, "flush done"),
                tuple("types", false, "puppet not found"), tuple("command", true, "command done"));
        assertThat(ran).containsExactly("flush production", "types production", "command production");

        ran.clear();
        assertThat(steps.run("feature", true)).extracting(PostDeployOutcome::step).containsExactly("flush", "command");
        assertThat(ran).containsExactly("flush feature", "command feature");
    }

    @Test
    void outcomesAreCountedAndTimedPerStep() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PostDeploySteps steps = new PostDeploySteps(List.of(step("flush", true, new CopyOnWriteArrayList<>(), null),
                step("types", true, new CopyOnWriteArrayList<>(), "boom")), Duration.ofSeconds(5), registry);

        steps.run("production", false);
        steps.run("development", false);

        assertThat(registry.counter("momentum.agent.post.deploy", "step", "flush", "outcome", "ok").count())
                .isEqualTo(2.0);
        assertThat(registry.counter("momentum.agent.post.deploy", "step", "types", "outcome", "failed").count())
                .isEqualTo(2.0);
        assertThat(registry.find("momentum.agent.post.deploy.duration").tags("step", "flush", "outcome", "ok")
                .timer().count()).isEqualTo(2);
    }

    @Test
    void onlyTransientFailuresAreTriedAgain() {
        List<String> ran = new CopyOnWriteArrayList<>();
        PostDeployStep startingServer = new PostDeployStep() {
            @Override
            public String name() {
                return "flush";
            }

            @Override
            public boolean runsAfterPurge() {
                return true;
            }

            @Override
            public String run(String environment, boolean purged) throws PostDeployException {
                ran.add(environment);
                if (ran.size() < 3) {
                    throw new PostDeployException("HTTP 503 (starting?)", true);
                }
                return "HTTP 204";
            }
        };
        PostDeploySteps steps = new PostDeploySteps(List.of(startingServer, step("types", true, ran, "exited 1")),
                Duration.ofSeconds(10), new SimpleMeterRegistry());

        List<PostDeployOutcome> outcomes = steps.run("production", false);

        assertThat(outcomes.get(0).ok()).isTrue();
        assertThat(outcomes.get(0).detail()).startsWith("HTTP 204 (3 attempts in ");
        assertThat(outcomes.get(1).detail()).isEqualTo("exited 1");
        assertThat(ran).containsExactly("production", "production", "production", "types production");
    }

    private static PostDeployStep step(String name, boolean afterPurge, List<String> ran, String failure) {
        return new PostDeployStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean runsAfterPurge() {
                return afterPurge;
            }

            @Override
            public String run(String environment, boolean purged) throws PostDeployException {
                ran.add(name + " " + environment);
                if (failure != null) {
                    throw new PostDeployException(failure);
                }
                return name + " done";
            }
        };
    }
}
