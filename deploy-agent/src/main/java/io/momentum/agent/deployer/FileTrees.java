package io.momentum.agent.deployer;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Predicate;

/** Whole-tree file operations that never follow symbolic links. */
final class FileTrees {

    private FileTrees() {
    }

    /** Deletes {@code root} and everything below it; a missing root is fine. */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException retry) {
                    delete(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Recreates {@code from} at {@code to} with hard links to the same files (copies when the file system refuses a
     * link), so that a module directory deployed before module trees were shared becomes its release's tree without
     * a checkout.
     */
    static int link(Path from, Path to) throws IOException, InterruptedException {
        return link(from, to, relative -> false);
    }

    /** {@link #link(Path, Path)} leaving out the paths (relative to {@code from}) {@code skip} accepts. */
    static int link(Path from, Path to, Predicate<Path> skip) throws IOException, InterruptedException {
        int[] files = {0};
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(dir);
                if (skip.test(relative)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(relative));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException(file);
                }
                Path relative = from.relativize(file);
                if (skip.test(relative)) {
                    return FileVisitResult.CONTINUE;
                }
                Path target = to.resolve(relative);
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                } else {
                    try {
                        Files.createLink(target, file);
                    } catch (UnsupportedOperationException | IOException e) {
                        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    }
                }
                files[0]++;
                return FileVisitResult.CONTINUE;
            }
        });
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while linking " + to);
        }
        return files[0];
    }

    private static final class InterruptedIOException extends java.io.InterruptedIOException {
        InterruptedIOException(Path file) {
            super("interrupted at " + file);
        }
    }
}
