package io.momentum.agent.deployer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the files of one commit straight from the object database into a fresh directory: no index, no
 * working-tree bookkeeping, no {@code .git}. Executable bits and symbolic links are kept as git records them;
 * submodules become empty directories, as a clone without {@code --recursive} leaves them.
 */
final class TreeWriter {

    private static final Set<PosixFilePermission> EXECUTABLE = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
    private static final int STREAM_THRESHOLD = 8 * 1024 * 1024;

    private TreeWriter() {
    }

    /**
     * Writes {@code commit}'s tree under {@code target} (created if missing), leaving out the paths {@code skip}
     * accepts (matched on the slash-separated path relative to the tree root).
     *
     * @return how many files were written
     */
    static int write(Repository repo, ObjectId commit, Path target, Predicate<String> skip)
            throws IOException, InterruptedException {
        Files.createDirectories(target);
        int files = 0;
        try (ObjectReader reader = repo.newObjectReader(); RevWalk revWalk = new RevWalk(reader);
                TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(revWalk.parseCommit(commit).getTree());
            walk.setRecursive(false);
            while (walk.next()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while writing " + target);
                }
                String name = walk.getNameString();
                if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
                        || name.indexOf('\0') >= 0 || name.equalsIgnoreCase(".git")) {
                    throw new IOException("refusing tree entry '" + walk.getPathString() + "'");
                }
                String path = walk.getPathString();
                if (skip.test(path)) {
                    continue;
                }
                Path file = target.resolve(path);
                FileMode mode = walk.getFileMode(0);
                if (walk.isSubtree()) {
                    Files.createDirectory(file);
                    walk.enterSubtree();
                } else if (mode == FileMode.GITLINK) {
                    Files.createDirectory(file);
                } else if (mode == FileMode.SYMLINK) {
                    String linkTarget = new String(reader.open(walk.getObjectId(0), Constants.OBJ_BLOB).getBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
                    Files.createSymbolicLink(file, Paths.get(linkTarget));
                    files++;
                } else {
                    writeBlob(reader.open(walk.getObjectId(0), Constants.OBJ_BLOB), file);
                    if (mode == FileMode.EXECUTABLE_FILE) {
                        Files.setPosixFilePermissions(file, EXECUTABLE);
                    }
                    files++;
                }
            }
        }
        return files;
    }

    private static void writeBlob(ObjectLoader loader, Path file) throws IOException {
        if (loader.getSize() < STREAM_THRESHOLD) {
            Files.write(file, loader.getCachedBytes());
        } else {
            try (OutputStream out = Files.newOutputStream(file)) {
                loader.copyTo(out);
            }
        }
    }

    /** The blob at {@code path} in {@code commit}, or {@code null} when there is none. */
    static byte[] readFile(Repository repo, ObjectId commit, String path) throws IOException {
        try (ObjectReader reader = repo.newObjectReader(); RevWalk revWalk = new RevWalk(reader)) {
            TreeWalk walk = TreeWalk.forPath(reader, path, revWalk.parseCommit(commit).getTree());
            if (walk == null || walk.isSubtree()) {
                return null;
            }
            try (walk) {
                return reader.open(walk.getObjectId(0), Constants.OBJ_BLOB).getBytes();
            }
        }
    }
}
