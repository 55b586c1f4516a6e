package io.momentum.agent.lifecycle;

import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;

/** Stops the application (shutdown hooks run: LEAVING is announced) and exits the JVM with the status. */
@ApplicationScoped
public class QuarkusExit implements AgentExit {

    @Override
    public void exit(int status) {
        Quarkus.asyncExit(status);
    }
}
