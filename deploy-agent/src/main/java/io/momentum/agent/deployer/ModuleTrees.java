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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * The files of each module release (a git commit or a Forge release, with or without {@code spec}), written once
 * on the environments' file system and hard-linked into every version that installs it, so that ten environments
 * with the same module cost one checkout and ten sets of links.
 *
 * <pre>
 * &lt;base&gt;/.momentum/.modules/&lt;key&gt;/        one complete module tree, never changed once renamed into place
 * &lt;base&gt;/.momentum/.modules/.tmp-&lt;id&gt;/     a tree being written (removed when found stale)
 * </pre>
 *
 * <p>Sharing inodes is safe against deploys because nothing Momentum writes ever changes a deployed file: every
 * deploy builds a new version beside the live one. A file edited in place on the master (not through git) would
 * change in every version and environment that shares it, which is why the environments' trees are to be treated
 * as read-only, as r10k's are (it overwrites such edits on the module's next change).
 *
 * <p>A tree is removed once no version links to it any more: every version links all its regular files, so a tree
 * whose first regular file has a single link is unused. The sweep runs only while no version is being built in
 * this process ({@link #building} is held by every build), so that a tree is never removed between the check that
 * it exists and its linking.
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

    /** Links the tree of {@code key} into {@code target} (absent), writing the tree first if it is not there yet. */
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
        FileTrees.link(tree, target);
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

    /**
     * Removes the trees no version links to any more, and what killed writers left, when versions were deleted and
     * no build is running here; otherwise leaves them for a later sweep.
     */
    void sweep() throws IOException {
        if (!versionsDeleted.get() || !building.writeLock().tryLock()) {
            return;
        }
        try {
            versionsDeleted.set(false);
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    if (entry.getFileName().toString().startsWith(TEMP_PREFIX) || unused(entry)) {
                        FileTrees.delete(entry);
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

    /** No other link to its first regular file; a tree without any is cheap to write again. */
    private static boolean unused(Path tree) throws IOException {
        Optional<Path> first;
        try (Stream<Path> files = Files.find(tree, Integer.MAX_VALUE,
                (path, attributes) -> attributes.isRegularFile())) {
            first = files.findFirst();
        }
        if (first.isEmpty()) {
            return true;
        }
        return ((Number) Files.getAttribute(first.get(), "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() <= 1;
    }
}
