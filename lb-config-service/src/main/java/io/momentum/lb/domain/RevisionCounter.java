package io.momentum.lb.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jboss.logging.Logger;

/**
 * Numbers every apply attempt. Kept in the state directory so that the audit trail keeps counting across restarts;
 * a wiped state directory restarts at 1, which changes nothing in the rendered configuration.
 */
public final class RevisionCounter {

    private static final Logger LOG = Logger.getLogger(RevisionCounter.class);

    private final Path file;
    private long current;

    public RevisionCounter(Path stateDir) {
        this.file = stateDir == null ? null : stateDir.resolve("revision");
        this.current = read();
    }

    public synchronized long next() {
        current++;
        write();
        return current;
    }

    public synchronized long current() {
        return current;
    }

    private long read() {
        if (file == null || !Files.isRegularFile(file)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("cannot read revision from %s (%s); counting from 0", file, e.getMessage());
            return 0;
        }
    }

    private void write() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(".revision.tmp");
            Files.writeString(temp, Long.toString(current), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warnf("cannot persist revision to %s: %s", file, e.getMessage());
        }
    }
}
