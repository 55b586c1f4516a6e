package io.momentum.git;

import java.io.File;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.transport.sshd.agent.Connector;
import org.eclipse.jgit.transport.sshd.agent.ConnectorFactory;

/** ssh-agent connections for JGit: the socket {@code IdentityAgent} names, else the one in {@code SSH_AUTH_SOCK}. */
final class UnixSocketAgentFactory implements ConnectorFactory {

    static final String ENVIRONMENT = "SSH_AUTH_SOCK";

    private static final ConnectorDescriptor DEFAULT = new ConnectorDescriptor() {
        @Override
        public String getIdentityAgent() {
            return ENVIRONMENT;
        }

        @Override
        public String getDisplayName() {
            return "ssh-agent (" + ENVIRONMENT + ")";
        }
    };

    @Override
    public Connector create(String identityAgent, File homeDir) {
        String socket = identityAgent == null || identityAgent.isBlank() || identityAgent.equals(ENVIRONMENT)
                ? System.getenv(ENVIRONMENT) : identityAgent;
        return new UnixSocketAgentConnector(socket == null || socket.isBlank() ? null : Path.of(socket));
    }

    @Override
    public boolean isSupported() {
        return true;
    }

    @Override
    public String getName() {
        return "momentum-unix-socket";
    }

    @Override
    public Collection<ConnectorDescriptor> getSupportedConnectors() {
        return List.of(DEFAULT);
    }

    @Override
    public ConnectorDescriptor getDefaultConnector() {
        return DEFAULT;
    }
}
