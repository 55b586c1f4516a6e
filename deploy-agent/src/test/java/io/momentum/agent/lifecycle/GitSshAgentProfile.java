package io.momentum.agent.lifecycle;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The agent with the native backend reaching its control repository over SSH ({@link GitSshAgentResource}), which
 * also brings the broker (with a plan on it before the agent starts), so the global embedded broker is not started.
 */
public class GitSshAgentProfile implements QuarkusTestProfile {

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(GitSshAgentResource.class));
    }
}
