package io.momentum.service.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An external command as an argument array (never a shell string), with what it runs in and how long it may take.
 *
 * @param arguments the program and its arguments
 * @param workDir the working directory, or null for the service's own
 * @param environment variables added to the service's environment (secrets go here, never into arguments)
 * @param timeout after this the whole process tree is killed
 * @param outputLimit how many characters of the end of the combined stdout/stderr are kept
 */
public record Command(List<String> arguments, Path workDir, Map<String, String> environment, Duration timeout,
        int outputLimit) {

    public static final int DEFAULT_OUTPUT_LIMIT = 4000;

    public Command {
        arguments = List.copyOf(arguments);
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
        if (outputLimit < 0) {
            throw new IllegalArgumentException("outputLimit must not be negative");
        }
    }

    public static Command of(List<String> arguments, Duration timeout) {
        return new Command(arguments, null, Map.of(), timeout, DEFAULT_OUTPUT_LIMIT);
    }

    public Command in(Path directory) {
        return new Command(arguments, directory, environment, timeout, outputLimit);
    }

    public Command withEnvironment(Map<String, String> variables) {
        return new Command(arguments, workDir, variables, timeout, outputLimit);
    }

    public Command keepingLast(int characters) {
        return new Command(arguments, workDir, environment, timeout, characters);
    }

    /** The program's file name, for messages. */
    public String program() {
        return Path.of(arguments.get(0)).getFileName().toString();
    }
}
