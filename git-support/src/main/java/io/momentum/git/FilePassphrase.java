package io.momentum.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.KeyPasswordProvider;

/** The private key's passphrase, read from a file once per attempt to load the key; no second guess. */
final class FilePassphrase implements KeyPasswordProvider {

    private final Path file;

    FilePassphrase(Path file) {
        this.file = file;
    }

    @Override
    public char[] getPassphrase(URIish uri, int attempt) throws IOException {
        if (file == null || attempt > 0) {
            return null;
        }
        return Files.readString(file).strip().toCharArray();
    }

    @Override
    public void setAttempts(int maxNumberOfAttempts) {
        // One attempt: the passphrase file does not change between attempts.
    }

    @Override
    public boolean keyLoaded(URIish uri, int attempt, Exception error) {
        return false;
    }
}
