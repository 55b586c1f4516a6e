package io.momentum.agent.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void stepsRunInOrderCollectFailuresAndSkipWhatDoesNotApplyToAPurge() {
        List<String> ran = new CopyOnWriteArrayList<>();
        PostDeploySteps steps = new PostDeploySteps(List.of(
                step("flush", true, ran, null),
                step("types", false, ran, "puppet not found"),
                step("command", true, ran, null)));

        assertThat(steps.run("production", false))
                .containsExactly("post-deploy types failed: puppet not found");
        assertThat(ran).containsExactly("flush production", "types production", "command production");

        ran.clear();
        assertThat(steps.run("feature", true)).isEmpty();
        assertThat(ran).containsExactly("flush feature", "command feature");
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
            public void run(String environment, boolean purged) throws PostDeployException {
                ran.add(name + " " + environment);
                if (failure != null) {
                    throw new PostDeployException(failure);
                }
            }
        };
    }
}
