package io.momentum.lb.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * File handling shared by the backends: a candidate is always written next to its target (same file system, so
 * the final rename is atomic), with a leading dot and a {@code .tmp} suffix so that include globs such as
 * {@code *.conf} never pick it up.
 */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] readIfExists(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    public static String sha256OfFile(Path file) {
        try {
            byte[] bytes = readIfExists(file);
            return bytes == null ? null : sha256(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes {@code content} to a fresh hidden sibling of {@code target}, world-readable like a normal config. */
    public static Path writeCandidate(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path candidate = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.write(candidate, content);
        try {
            Files.setPosixFilePermissions(candidate, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the default permissions apply
        }
        return candidate;
    }

    public static void moveIntoPlace(Path candidate, Path target) throws IOException {
        Files.move(candidate, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Puts {@code previous} back at {@code target}, or removes the target when there was no previous file. */
    public static void restore(Path target, byte[] previous) throws IOException {
        if (previous == null) {
            Files.deleteIfExists(target);
        } else {
            moveIntoPlace(writeCandidate(target, previous), target);
        }
    }

    public static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover hidden candidate is harmless
        }
    }
}
