package io.momentum.lb.state;

import io.momentum.lb.config.LbConfig;
import io.momentum.lb.domain.RevisionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jboss.logging.Logger;

/**
 * The revision counter in {@code <state-dir>/revision}, replaced atomically. Unreadable or unwritable is a warning,
 * not a failure: the counter only numbers the audit trail.
 */
@ApplicationScoped
public class RevisionFile implements RevisionStore {

    private static final Logger LOG = Logger.getLogger(RevisionFile.class);

    private final Path file;

    @Inject
    RevisionFile(LbConfig config) {
        this(config.stateDir());
    }

    public RevisionFile(Path stateDir) {
        this.file = stateDir.resolve("revision");
    }

    @Override
    public long load() {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("cannot read revision from %s (%s); counting from 0", file, e.getMessage());
            return 0;
        }
    }

    @Override
    public void save(long revision) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(".revision.tmp");
            Files.writeString(temp, Long.toString(revision), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warnf("cannot persist revision to %s: %s", file, e.getMessage());
        }
    }
}
