package io.momentum.agent.lifecycle;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The agent with the native backend reaching its control repository over SSH ({@link GitSshAgentResource}). */
public class GitSshAgentProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(GitSshAgentResource.class));
    }
}
