package io.momentum.agent.deployer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The files of each module release (a git commit or a Forge release, with or without {@code spec}), written once
 * on the environments' file system and shared by every version that installs it: the version's module directory is
 * a relative symbolic link to the tree ({@code code/modules/stdlib -> ../../../../.modules/<key>}), so that thirty
 * environments with the same module cost one checkout and thirty links, and moving the base directory as a whole
 * keeps every link working. Puppet follows symlinked module directories; {@code ls -l modules/} in an environment
 * shows where each one points.
 *
 * <pre>
 * &lt;base&gt;/.momentum/.modules/&lt;key&gt;/        one complete module tree, never changed once renamed into place
 * &lt;base&gt;/.momentum/.modules/.tmp-&lt;id&gt;/     a tree being written (removed by the next sweep)
 * </pre>
 *
 * <p>Sharing a tree is safe against deploys because nothing Momentum writes ever changes it: every deploy builds a
 * new version beside the live one and links it to the trees of its releases. A file edited in place on the master
 * (not through git) changes in every version of every environment using that release, which is why the
 * environments' trees are to be treated as read-only, as r10k's are (it overwrites such edits on the module's next
 * change).
 *
 * <p>A tree is removed once no version or staging directory of any environment links to it any more (what is in
 * use is read from the versions' links by {@link EnvironmentStore#moduleTreesInUse}). The sweep runs only while no
 * version is being built in this process ({@link #building} is held by every build), so that a tree is never removed
 * between the check that it exists and the link to it.
 */
final class ModuleTrees {

    static final String DIR = ".modules";
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path dir;
    private final ReadWriteLock building = new ReentrantReadWriteLock();
    /** One writer per tree: the second environment that wants it waits and links. */
    private final Map<String, Object> writing = new ConcurrentHashMap<>();
    /** Set when a version was deleted (and at start, for what a killed agent left): a sweep has work. */
    private final AtomicBoolean versionsDeleted = new AtomicBoolean(true);

    ModuleTrees(Path dir) {
        this.dir = dir;
    }

    /** Writes one module tree into an empty directory (git objects or a Forge tarball). */
    interface Writer {
        void write(Path target) throws IOException, InterruptedException, DeployException;
    }

    /** The key of a module's files: what it is made of, not where it goes. */
    static String key(String type, String source, String release, boolean excludeSpec) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((type + "\n" + source + "\n" + release + "\n" + excludeSpec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Held while a version is built, so that {@link #sweep} removes no tree a build is about to link. */
    void beginBuild() {
        building.readLock().lock();
    }

    void endBuild() {
        building.readLock().unlock();
    }

    /** The tree of {@code key} when {@code link} (a symbolic link) points to one, from where it is. */
    Optional<String> key(Path link) throws IOException {
        Path tree = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
        return dir.equals(tree.getParent()) ? Optional.of(tree.getFileName().toString()) : Optional.empty();
    }

    /**
     * Makes {@code target} (absent) a relative symbolic link to the tree of {@code key}, writing the tree first if it
     * is not there yet.
     */
    void install(String key, Path target, Writer writer) throws IOException, InterruptedException, DeployException {
        Path tree = dir.resolve(key);
        if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
            synchronized (writing.computeIfAbsent(key, k -> new Object())) {
                try {
                    if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
                        write(tree, writer);
                    }
                } finally {
                    writing.remove(key);
                }
            }
        }
        Files.createSymbolicLink(target, target.getParent().relativize(tree));
    }

    private void write(Path tree, Writer writer) throws IOException, InterruptedException, DeployException {
        Files.createDirectories(dir);
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            writer.write(temp);
            try {
                Files.move(temp, tree, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Another writer of the same release won (possible after a failed write released its lock): same tree.
                if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
            }
        } finally {
            FileTrees.delete(temp);
        }
    }

    /** A version was deleted: some tree may be unused now. */
    void versionsDeleted() {
        versionsDeleted.set(true);
    }

    /** What links to trees: the keys of every tree a version or staging directory of any environment uses. */
    interface Users {
        Set<String> treesInUse() throws IOException;
    }

    /**
     * Removes the trees nothing links to any more, and what killed writers left, when versions were deleted and no
     * build is running here; otherwise leaves them for a later sweep.
     */
    void sweep(Users users) throws IOException {
        if (!versionsDeleted.get() || !building.writeLock().tryLock()) {
            return;
        }
        try {
            versionsDeleted.set(false);
            if (!Files.isDirectory(dir)) {
                return;
            }
            try {
                Set<String> inUse = users.treesInUse();
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        if (!inUse.contains(entry.getFileName().toString())) {
                            FileTrees.delete(entry);
                        }
                    }
                }
            } catch (IOException e) {
                versionsDeleted.set(true);
                throw e;
            }
        } finally {
            building.writeLock().unlock();
        }
    }
}
