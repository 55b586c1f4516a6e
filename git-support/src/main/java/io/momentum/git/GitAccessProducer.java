package io.momentum.git;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** The one {@link GitAccess} of a service, from {@code momentum.git.*}. */
@ApplicationScoped
public class GitAccessProducer {

    private static final Logger LOG = Logger.getLogger(GitAccessProducer.class);

    @Produces
    @ApplicationScoped
    GitAccess gitAccess(GitConfig config) throws java.io.IOException {
        GitTransportSettings settings = GitTransportSettings.of(config);
        if (!settings.strictHostKeyChecking()) {
            LOG.warn("momentum.git.strict-host-key-checking=false: SSH host keys of git servers are NOT checked; "
                    + "anyone on the network path can impersonate them. Add them to " + settings.knownHosts()
                    + " and turn checking back on.");
        }
        GitAccess.installGlobal(settings);
        Path workDir = Files.createTempDirectory("momentum-git-ssh");
        return new GitAccess(settings, remote -> GitCredentials.forRemote(config, remote), workDir);
    }

    void close(@Disposes GitAccess access) {
        access.close();
    }
}
