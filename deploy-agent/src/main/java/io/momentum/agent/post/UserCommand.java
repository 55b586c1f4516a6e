package io.momentum.agent.post;

import io.momentum.service.process.Command;
import io.momentum.service.process.ProcessResult;
import io.momentum.service.process.ProcessRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An operator's command after each deploy and purge, as an argument array in which {@code {environment}} is
 * replaced; it also gets {@code MOMENTUM_ENVIRONMENT} and {@code MOMENTUM_EVENT} ({@code deployed} or
 * {@code purged}) in its environment.
 */
public final class UserCommand implements PostDeployStep {

    private static final String PLACEHOLDER = "{environment}";

    private final List<String> template;
    private final Duration timeout;

    public UserCommand(List<String> template, Duration timeout) {
        if (template.isEmpty()) {
            throw new IllegalArgumentException("the post-deploy command is empty");
        }
        this.template = List.copyOf(template);
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "command";
    }

    @Override
    public boolean runsAfterPurge() {
        return true;
    }

    @Override
    public String run(String environment, boolean purged) throws PostDeployException {
        ProcessResult result = ProcessRunner.run(Command.of(command(environment), timeout)
                .withEnvironment(Map.of("MOMENTUM_ENVIRONMENT", environment, "MOMENTUM_EVENT",
                        purged ? "purged" : "deployed"))
                .keepingLast(PostDeployStep.OUTPUT_LIMIT));
        if (!result.ok()) {
            throw new PostDeployException(result.describe());
        }
        return template.get(0) + " exited 0";
    }

    /** The environment name is validated ({@code [A-Za-z0-9_]}) before any step runs, so it is safe as an argument. */
    List<String> command(String environment) {
        return template.stream().map(argument -> argument.replace(PLACEHOLDER, environment)).toList();
    }
}
