package io.momentum.agent.post;

import io.momentum.service.process.Command;
import io.momentum.service.process.ProcessResult;
import io.momentum.service.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code puppet generate types --environment <env>}: regenerates the resource type metadata Puppet Server needs
 * for environment isolation, after an environment's code changed.
 */
public final class GenerateTypes implements PostDeployStep {

    private final String puppet;
    private final Path environmentsDir;
    private final Duration timeout;

    public GenerateTypes(String puppet, Path environmentsDir, Duration timeout) {
        this.puppet = puppet;
        this.environmentsDir = environmentsDir;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "generate-types";
    }

    @Override
    public boolean runsAfterPurge() {
        return false;
    }

    @Override
    public String run(String environment, boolean purged) throws PostDeployException {
        ProcessResult result = ProcessRunner.run(Command.of(command(environment), timeout)
                .keepingLast(PostDeployStep.OUTPUT_LIMIT));
        if (!result.ok()) {
            throw new PostDeployException(result.describe());
        }
        return "puppet generate types exited 0";
    }

    List<String> command(String environment) {
        return List.of(puppet, "generate", "types", "--environment", environment, "--environmentpath",
                environmentsDir.toAbsolutePath().toString());
    }
}
