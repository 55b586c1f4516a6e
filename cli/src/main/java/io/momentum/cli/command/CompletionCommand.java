package io.momentum.cli.command;

import io.momentum.cli.ExitCode;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script (bash; zsh with bashcompinit).",
                "  source <(momentum completion bash)",
                "or install it as /etc/bash_completion.d/momentum."})
public class CompletionCommand extends MomentumCommand {

    @Parameters(paramLabel = "SHELL", arity = "0..1", defaultValue = "bash", description = "bash")
    String shell;

    @Override
    public Integer call() {
        if (!"bash".equals(shell)) {
            throw new ParameterException(spec.commandLine(), "only bash completion is generated (zsh: autoload"
                    + " bashcompinit && bashcompinit, then source it)");
        }
        out().print(AutoComplete.bash("momentum", spec.root().commandLine()));
        out().flush();
        return ExitCode.OK;
    }
}
