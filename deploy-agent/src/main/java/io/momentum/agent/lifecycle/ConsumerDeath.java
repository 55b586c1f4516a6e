package io.momentum.agent.lifecycle;

import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What happens when the planner's request consumer dies: the agent exits non-zero, so that systemd's
 * {@code Restart=on-failure} starts a fresh one (which rejoins its group and is redelivered everything
 * unfinished), instead of an agent that looks alive and plans nothing.
 */
public final class ConsumerDeath implements Consumer<Throwable> {

    public static final int EXIT_STATUS = 1;
    private static final Logger LOG = Logger.getLogger(ConsumerDeath.class);

    private final AgentExit exit;

    public ConsumerDeath(AgentExit exit) {
        this.exit = exit;
    }

    @Override
    public void accept(Throwable cause) {
        LOG.errorf("the planner's request consumer died (%s): exiting with status %d so that the service manager restarts "
                + "this agent", cause == null ? "no error" : cause.toString(), EXIT_STATUS);
        exit.exit(EXIT_STATUS);
    }
}
