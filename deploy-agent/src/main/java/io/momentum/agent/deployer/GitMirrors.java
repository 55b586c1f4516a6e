package io.momentum.agent.deployer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;

/**
 * One bare mirror per repository URL under {@code <cacheDir>/git}, shared by every environment that uses the
 * repository (the control repository and each module). A mirror is fetched at most once per deploy: a fetch that
 * started after a deploy began already shows everything that deploy must see, so concurrent deploys share it.
 *
 * <p>The cache directory belongs to one agent process. A process killed in the middle of a fetch leaves at most a
 * lock file, a pack JGit had not finished receiving, or a mirror being created under a temporary name: the next
 * process removes them before it first uses the mirror (JGit writes a received pack and its index, and syncs them,
 * before it moves any ref, so what the refs name is always there).
 */
final class GitMirrors implements AutoCloseable {

    private static final List<RefSpec> REFSPECS = List.of(
            new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"));
    private static final String NEW_MIRROR_PREFIX = ".new-";
    /**
     * A new mirror's configuration. {@code gc.autoDetach=false}: JGit checks after every fetch whether the mirror
     * needs a gc, and a detached check locks {@code gc.log} (a file created and deleted per fetch) and hands the check
     * to a thread of its own; in the fetching thread the check is a look at the pack list JGit already holds.
     * {@code gc.auto=0}: a fetch always keeps the pack it receives, so a mirror has no loose objects to count; a
     * mirror is still repacked when it holds more than {@code gc.autoPackLimit} (50) packs, by the fetch that brought
     * the last one.
     */
    private static final String CONFIG = """
            [core]
            \trepositoryformatversion = 0
            \tfilemode = true
            \tbare = true
            [gc]
            \tauto = 0
            \tautoDetach = false
            """;

    private final Path dir;
    private final Duration timeout;
    private final GitRemotes remotes;
    private final Map<String, Mirror> mirrors = new ConcurrentHashMap<>();

    GitMirrors(Path dir, Duration timeout, GitRemotes remotes) {
        this.dir = dir;
        this.timeout = timeout;
        this.remotes = remotes;
        removeUnfinishedMirrors(dir);
    }

    /**
     * Mirrors whose creation a killed process left under their temporary name. What cannot be removed only takes
     * space (no cache yet, or one the agent cannot write, which its deploys report).
     */
    private static void removeUnfinishedMirrors(Path dir) {
        try (DirectoryStream<Path> unfinished = Files.newDirectoryStream(dir, NEW_MIRROR_PREFIX + "*")) {
            for (Path mirror : unfinished) {
                FileTrees.delete(mirror);
            }
        } catch (IOException e) {
            // see above
        }
    }

    /** Whether {@code path} holds a complete mirror (created under a temporary name and renamed, or by git init). */
    private static boolean isMirror(Path path) {
        return Files.isDirectory(path.resolve("objects")) && Files.isRegularFile(path.resolve(Constants.HEAD))
                && Files.isRegularFile(path.resolve(Constants.CONFIG));
    }

    /**
     * Removes what a process killed during a fetch or a ref update left: lock files (which would make every later
     * ref update fail), the temporary files of a pack being received, and the {@code .keep} files that pin a
     * received pack until its refs are written. Only called before this process first uses the mirror, so no fetch
     * of its own is running.
     */
    private static void removeLeftovers(Path path) throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Stream.concat(list(path), list(path.resolve("objects"))),
                Stream.concat(list(path.resolve("objects/pack")), walk(path.resolve(Constants.R_REFS))))) {
            files.filter(file -> {
                String name = file.getFileName().toString();
                return name.endsWith(".lock") || name.startsWith("incoming_") || name.endsWith(".keep");
            }).forEach(leftovers::add);
        }
        for (Path leftover : leftovers) {
            Files.deleteIfExists(leftover);
        }
    }

    private static Stream<Path> list(Path dir) throws IOException {
        return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
    }

    private static Stream<Path> walk(Path dir) throws IOException {
        return Files.isDirectory(dir) ? Files.walk(dir).filter(Files::isRegularFile) : Stream.empty();
    }

    Mirror mirror(String url) {
        return mirrors.computeIfAbsent(url, u -> new Mirror(u, dir.resolve(directoryName(u))));
    }

    @Override
    public void close() {
        mirrors.values().forEach(Mirror::close);
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, timeout.toSeconds());
    }

    /** Whether JGit gave up waiting for the remote (HTTP read timeout, SSH channel or session timeout). */
    static boolean timedOut(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (cause instanceof SocketTimeoutException || cause instanceof InterruptedIOException
                    || message.contains("timed out") || message.contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    /** Readable and unique: a sanitized tail of the URL plus a hash of all of it. */
    static String directoryName(String url) {
        String readable = url.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 60) {
            readable = readable.substring(readable.length() - 60);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(hash, 0, 8) + ".git";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    final class Mirror {

        private final String url;
        private final Path path;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile Repository repository;
        private volatile long lastFetchStartedNanos = Long.MIN_VALUE;

        private Mirror(String url, Path path) {
            this.url = url;
            this.path = path;
        }

        String url() {
            return url;
        }

        Repository repository() throws DeployException {
            Repository repo = repository;
            if (repo == null) {
                lock.lock();
                try {
                    if (repository == null) {
                        repository = open();
                    }
                    repo = repository;
                } finally {
                    lock.unlock();
                }
            }
            return repo;
        }

        private Repository open() throws DeployException {
            try {
                if (isMirror(path)) {
                    removeLeftovers(path);
                    try {
                        return withSettings(build());
                    } catch (IOException | IllegalArgumentException unreadable) {
                        // Only a cache: created again below.
                    }
                }
                create();
                return build();
            } catch (IOException | RuntimeException e) {
                throw new DeployException("cannot create the git cache for " + Urls.redact(url) + ": " + e.getMessage(), e);
            }
        }

        private Repository build() throws IOException {
            return new FileRepositoryBuilder().setGitDir(path.toFile()).setMustExist(true).build();
        }

        /** A mirror created before {@link #CONFIG} had its gc settings gets them once. */
        private static Repository withSettings(Repository repo) throws IOException {
            StoredConfig config = repo.getConfig();
            if (config.getString(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH)
                    == null) {
                config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
                config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH,
                        false);
                config.save();
            }
            return repo;
        }

        /**
         * Creates the mirror under a temporary name and renames it into place, so that a mirror that exists is
         * complete. What is there under the mirror's name without being one (a creation by an older version cut
         * short, an unreadable mirror) is removed first. Written by hand rather than by {@code git init}: JGit's init
         * probes the file system (file modes, symbolic links) and creates files and directories a mirror never uses,
         * and a cold deploy creates one mirror per repository.
         */
        private void create() throws IOException {
            Files.createDirectories(dir);
            FileTrees.delete(path);
            Path fresh = Files.createTempDirectory(dir, NEW_MIRROR_PREFIX);
            Files.createDirectories(fresh.resolve("objects/pack"));
            Files.createDirectory(fresh.resolve(Constants.R_REFS));
            Files.writeString(fresh.resolve(Constants.HEAD), "ref: refs/heads/master\n");
            Files.writeString(fresh.resolve(Constants.CONFIG), CONFIG);
            Files.move(fresh, path, StandardCopyOption.ATOMIC_MOVE);
        }

        /**
         * Fetches, unless a fetch that started at or after {@code notBeforeNanos} already did; asks the remote's refs
         * first and fetches only when they differ from the mirror's.
         */
        void refresh(long notBeforeNanos) throws DeployException {
            refresh(notBeforeNanos, true);
        }

        /**
         * As {@link #refresh(long)}, for a caller that needs a commit the mirror lacks: the remote's refs then differ
         * from the mirror's (or the remote no longer has the commit and the fetch brings nothing), so they are not
         * asked first, which saves a round trip to the remote.
         */
        void refreshLacking(long notBeforeNanos) throws DeployException {
            refresh(notBeforeNanos, false);
        }

        private void refresh(long notBeforeNanos, boolean askFirst) throws DeployException {
            Repository repo = repository();
            lock.lock();
            try {
                if (lastFetchStartedNanos != Long.MIN_VALUE && lastFetchStartedNanos - notBeforeNanos >= 0) {
                    return;
                }
                long started = System.nanoTime();
                if (Thread.currentThread().isInterrupted()) {
                    throw new DeployException("interrupted before fetching " + Urls.redact(url));
                }
                try {
                    fetch(repo, askFirst);
                } catch (GitAPIException | RuntimeException e) {
                    String failure = remotes.failure("fetch", url, e);
                    // sshd sometimes reports its own handshake timeout only as "Session is being closed".
                    boolean waitedOut = failure.startsWith("cannot fetch ")
                            && System.nanoTime() - started >= timeout.toNanos();
                    throw new DeployException(timedOut(e) || waitedOut
                            ? "timed out fetching " + Urls.redact(url) + ": the git host did not answer (waits "
                                    + "bounded by momentum.deploy.command-timeout=" + timeoutSeconds() + "s, SSH "
                                    + "set-up by momentum.git.ssh-handshake-timeout)"
                            : failure, e);
                }
                lastFetchStartedNanos = started;
            } finally {
                lock.unlock();
            }
        }

        private void fetch(Repository repo, boolean askFirst) throws GitAPIException {
            if (askFirst && upToDate(repo)) {
                return;
            }
            try (Git git = new Git(repo)) {
                remotes.configure(git.fetch().setRemote(url), url).setRefSpecs(REFSPECS).setTagOpt(TagOpt.NO_TAGS)
                        .setRemoveDeletedRefs(true).setTimeout(timeoutSeconds()).call();
            }
        }

        /**
         * Whether the remote's branches and tags are exactly the mirror's, so that a fetch would bring nothing: asking
         * costs one ref advertisement, about a third of a fetch that finds nothing new (which also reads the local refs
         * again, negotiates and writes {@code FETCH_HEAD}), and most fetches of a deploy find nothing new. An empty
         * mirror is fetched without asking.
         */
        private boolean upToDate(Repository repo) throws GitAPIException {
            Map<String, ObjectId> local = new HashMap<>();
            try {
                for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
                    local.put(ref.getName(), ref.getObjectId());
                }
            } catch (IOException e) {
                return false;
            }
            if (local.isEmpty()) {
                return false;
            }
            Collection<Ref> remote = remotes.configure(Git.lsRemoteRepository().setRemote(url), url).setHeads(true)
                    .setTags(true).setTimeout(timeoutSeconds()).call();
            if (remote.size() != local.size()) {
                return false;
            }
            for (Ref ref : remote) {
                if (ref.getObjectId() == null || !ref.getObjectId().equals(local.get(ref.getName()))) {
                    return false;
                }
            }
            return true;
        }

        /** The commit of a branch, or {@code null} when the mirror has no such branch. */
        ObjectId branch(String branch) throws DeployException {
            return peeled(Constants.R_HEADS + branch);
        }

        ObjectId tag(String tag) throws DeployException {
            return peeled(Constants.R_TAGS + tag);
        }

        /** A (possibly abbreviated) commit id, if the mirror has that commit. */
        ObjectId commit(String id) throws DeployException {
            try {
                ObjectId resolved = repository().resolve(id + "^{commit}");
                return resolved != null && resolved.name().startsWith(id.toLowerCase()) ? resolved : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /**
         * Any ref as git's rev-parse (and so r10k) reads a name: {@code refs/<name>}, a tag, a branch, then a commit
         * id (possibly abbreviated); {@code null} when the mirror has none of them.
         */
        ObjectId resolve(String name) throws DeployException {
            Repository repo = repository();
            try {
                Ref ref = name.equals(Constants.HEAD) ? null : repo.findRef(name);
                if (ref != null && ref.getName().startsWith(Constants.R_REFS)) {
                    return peeled(ref.getName());
                }
            } catch (IOException e) {
                throw new DeployException("cannot read " + name + " of " + Urls.redact(url) + ": " + e.getMessage(), e);
            }
            return name.matches("[0-9a-fA-F]{4,40}") ? commit(name) : null;
        }

        /**
         * Whether {@code name} already names a tag or a commit here: those never move, so r10k does not fetch for
         * them; anything else (a branch, or a name not seen yet) needs a fetch first.
         */
        boolean holdsFixed(String name) throws DeployException {
            return name.matches("[0-9a-fA-F]{5,40}") && commit(name) != null || tag(name) != null;
        }

        private ObjectId peeled(String refName) throws DeployException {
            Repository repo = repository();
            try {
                Ref ref = repo.exactRef(refName);
                if (ref == null) {
                    return null;
                }
                try (RevWalk walk = new RevWalk(repo)) {
                    RevCommit commit = walk.parseCommit(ref.getObjectId());
                    return commit.getId();
                }
            } catch (IOException e) {
                throw new DeployException("cannot read " + refName + " of " + Urls.redact(url) + ": " + e.getMessage(), e);
            }
        }

        private void close() {
            Repository repo = repository;
            if (repo != null) {
                repo.close();
            }
        }
    }
}
