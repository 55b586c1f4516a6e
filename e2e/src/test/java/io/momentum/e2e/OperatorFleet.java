package io.momentum.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One local fleet of two masters (mom and cm1) at port offset 4000, shared by every test class extended with it
 * (CliIT, ConsoleIT): started by {@code deploy/quickstart.sh up --masters 1} for the first such class, stopped with
 * {@code down} when the whole test run ends. It lives in the root context's store, which closes it then; failsafe
 * runs every IT class in one JVM (one fork, reused), so one run means one fleet.
 * <p>
 * The classes sharing it must leave it as they found it: every master up and serving, every environment deploying.
 * A lifecycle method or test takes it as a {@link Started} parameter; the first one asked for starts it. Without
 * nginx the classes are skipped.
 */
final class OperatorFleet implements ExecutionCondition, ParameterResolver {

    static final int PORT_OFFSET = 4000;
    static final String STATE_DIR = "momentum-operator";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OperatorFleet.class);

    /** The running fleet and what its {@code up} printed; closing it stops the fleet. */
    record Started(LocalFleet fleet, String upOutput) implements AutoCloseable {

        static Started up() {
            LocalFleet fleet = LocalFleet.fromSystemProperties(STATE_DIR, PORT_OFFSET);
            // Whatever an interrupted earlier run left behind.
            fleet.quickstart("down");
            LocalFleet.deleteRecursively(fleet.state);
            try {
                return new Started(fleet, fleet.quickstart("up", "--masters", "1"));
            } catch (RuntimeException | Error e) {
                // Nothing would stop what did start: the store holds only a fleet that came up.
                fleet.quickstart("down");
                throw e;
            }
        }

        @Override
        public void close() {
            fleet.quickstart("down");
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Files.isExecutable(Path.of("/usr/sbin/nginx")) ? ConditionEvaluationResult.enabled("nginx is there")
                : ConditionEvaluationResult.disabled("nginx is not installed (.ci/run installs it)");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Started.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return started(context);
    }

    private static Started started(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Started.class, key -> Started.up(),
                Started.class);
    }
}
