package io.momentum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.momentum.cli.client.MomentumApi;
import io.momentum.cli.command.CompletionCommand;
import io.momentum.cli.command.DeployCommand;
import io.momentum.cli.command.HistoryCommand;
import io.momentum.cli.command.LoadBalancersCommand;
import io.momentum.cli.command.MastersCommand;
import io.momentum.cli.command.ModulesCommand;
import io.momentum.cli.command.RollbackCommand;
import io.momentum.cli.command.StatusCommand;
import io.momentum.cli.command.UnpinCommand;
import io.momentum.cli.config.Settings;
import io.momentum.cli.config.SettingsResolver;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code momentum} command: its global options (where the server is, how to authenticate, text or JSON), the
 * subcommands, and one exit code per kind of failure ({@link ExitCode}).
 */
@Command(name = "momentum", mixinStandardHelpOptions = true, versionProvider = Momentum.Version.class,
        description = "Deploy, watch and inspect a Momentum fleet through its webhook-service.",
        footer = {"", "Server and token: --server/--token-file, else MOMENTUM_SERVER/MOMENTUM_TOKEN"
                + " (MOMENTUM_TOKEN_FILE), else server/token-file in ~/.config/momentum/config.",
                "Exit codes: 0 ok, 1 a deploy failed, 2 usage or configuration, 3 server unreachable,"
                        + " 4 token refused, 5 not found, 6 refused (invalid), 7 server error, 8 --wait timed out."},
        subcommands = {DeployCommand.class, StatusCommand.class, MastersCommand.class, LoadBalancersCommand.class,
                HistoryCommand.class, ModulesCommand.class, RollbackCommand.class, UnpinCommand.class,
                CompletionCommand.class})
public class Momentum implements Runnable {

    public enum Output { text, json }

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "webhook-service URL, e.g. https://mom.example.net:8088 (default http://127.0.0.1:8088)")
    String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "API bearer token; other users can see a command line: prefer --token-file or"
                    + " MOMENTUM_TOKEN")
    String token;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "file holding the API bearer token")
    Path tokenFile;

    @Option(names = "--ca-file", scope = ScopeType.INHERIT, paramLabel = "PEM",
            description = "CA certificate(s) to trust for an https:// server (env MOMENTUM_CA_FILE)")
    Path caFile;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "config file (env MOMENTUM_CONFIG; default ~/.config/momentum/config)")
    Path configFile;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "text|json",
            description = "text for people (default), json for scripts")
    Output output = Output.text;

    @Spec
    CommandSpec spec;

    private Map<String, String> environment = Map.of();
    private boolean terminal;
    private final Clock clock = Clock.systemUTC();
    // Made on first use: --help and usage errors never need Jackson.
    private ObjectMapper mapper;
    private MomentumApi api;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, System.getenv(), System.console() != null, out, err));
    }

    /**
     * Runs one command line.
     *
     * @param terminal whether stdout is a terminal (live progress redrawn in place, colours)
     */
    public static int execute(String[] args, Map<String, String> environment, boolean terminal, PrintWriter out,
            PrintWriter err) {
        Momentum momentum = new Momentum();
        momentum.environment = environment;
        momentum.terminal = terminal;
        return momentum.commandLine(out, err).execute(args);
    }

    CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(this);
        commandLine.setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(this::usageError)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    if (e instanceof CliException failure) {
                        cl.getErr().println("momentum: error: " + failure.getMessage());
                        cl.getErr().flush();
                        return failure.exitCode();
                    }
                    throw e;
                });
        return commandLine;
    }

    /**
     * picocli's message names the arguments it could not place, and a token given with a misspelt option would be
     * one of them: tokens are blanked out before anything is printed.
     */
    private int usageError(CommandLine.ParameterException e, String[] args) {
        String message = e.getMessage();
        for (String secret : secrets(args)) {
            message = message.replace(secret, "(hidden)");
        }
        PrintWriter err = e.getCommandLine().getErr();
        err.println("momentum: " + message);
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || !unmatched.isUnknownOption()
                || secrets(args).stream().noneMatch(s -> unmatched.getUnmatched().contains(s))) {
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        }
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE;
    }

    /** The values of --token and MOMENTUM_TOKEN, and any argument that follows something like --token. */
    private List<String> secrets(String[] args) {
        List<String> secrets = new ArrayList<>();
        if (environment.get(SettingsResolver.ENV_TOKEN) != null && !environment.get(SettingsResolver.ENV_TOKEN)
                .isBlank()) {
            secrets.add(environment.get(SettingsResolver.ENV_TOKEN).trim());
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--tok") && !arg.startsWith("--token-file") && arg.contains("=")) {
                secrets.add(arg.substring(arg.indexOf('=') + 1));
            } else if (arg.startsWith("--tok") && !arg.startsWith("--token-file") && i + 1 < args.length) {
                secrets.add(args[i + 1]);
            }
        }
        secrets.removeIf(String::isEmpty);
        return secrets;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a command; momentum --help lists them");
    }

    public Settings settings() {
        return SettingsResolver.resolve(new SettingsResolver.Flags(server, token, tokenFile, caFile, configFile),
                environment);
    }

    public MomentumApi api() {
        if (api == null) {
            api = new MomentumApi(settings(), mapper());
        }
        return api;
    }

    public boolean json() {
        return output == Output.json;
    }

    public boolean terminal() {
        return terminal;
    }

    public Clock clock() {
        return clock;
    }

    public ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        }
        return mapper;
    }

    /** Prints a JSON answer as it came, indented. */
    public void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(mapper().writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException(ExitCode.SERVER_ERROR, "cannot print the answer: " + e.getOriginalMessage());
        }
        out.flush();
    }

    /** The jar's Implementation-Version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Momentum.class.getPackage().getImplementationVersion();
            return new String[] {"momentum " + (version == null ? "(development build)" : version)};
        }
    }
}
