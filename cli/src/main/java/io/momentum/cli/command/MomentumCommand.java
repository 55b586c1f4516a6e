package io.momentum.cli.command;

import io.momentum.cli.Momentum;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand has: the root command's settings, API client and output format, and its own output. */
abstract class MomentumCommand implements Callable<Integer> {

    @ParentCommand
    Momentum root;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
