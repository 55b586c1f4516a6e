package io.momentum.agent.deployer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;

/**
 * One bare mirror per repository URL under {@code <cacheDir>/git}, shared by every environment that uses the
 * repository (the control repository and each module). A mirror is fetched at most once per deploy: a fetch that
 * started after a deploy began already shows everything that deploy must see, so concurrent deploys share it.
 */
final class GitMirrors implements AutoCloseable {

    private static final List<RefSpec> REFSPECS = List.of(
            new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"));

    private final Path dir;
    private final Duration timeout;
    private final GitRemotes remotes;
    private final Map<String, Mirror> mirrors = new ConcurrentHashMap<>();

    GitMirrors(Path dir, Duration timeout, GitRemotes remotes) {
        this.dir = dir;
        this.timeout = timeout;
        this.remotes = remotes;
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
                if (!Files.isDirectory(path.resolve("objects"))) {
                    Files.createDirectories(path.getParent());
                    Git.init().setBare(true).setDirectory(path.toFile()).call().close();
                }
                return new FileRepositoryBuilder().setGitDir(path.toFile()).setMustExist(true).build();
            } catch (IOException | GitAPIException e) {
                throw new DeployException("cannot create the git cache for " + Urls.redact(url) + ": " + e.getMessage(), e);
            }
        }

        /** Fetches, unless a fetch that started at or after {@code notBeforeNanos} already did. */
        void refresh(long notBeforeNanos) throws DeployException {
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
                try (Git git = new Git(repo)) {
                    if (!upToDate(repo)) {
                        remotes.configure(git.fetch().setRemote(url), url).setRefSpecs(REFSPECS)
                                .setTagOpt(TagOpt.NO_TAGS).setRemoveDeletedRefs(true)
                                .setTimeout(timeoutSeconds()).call();
                    }
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
