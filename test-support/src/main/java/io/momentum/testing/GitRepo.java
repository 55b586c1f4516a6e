package io.momentum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A real bare git repository for tests, written with JGit: commit whole file sets to branches, tag, delete
 * branches. Each commit replaces the branch's tree with exactly the given files, which keeps tests explicit.
 */
public final class GitRepo implements AutoCloseable {

    private static final PersonIdent AUTHOR = new PersonIdent("Momentum Test", "test@momentum.invalid");

    private final Path dir;
    private final Git git;

    private GitRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    /** Creates a bare repository at {@code dir} (created if missing). */
    public static GitRepo createBare(Path dir) {
        try {
            Files.createDirectories(dir);
            Git git = Git.init().setBare(true).setInitialBranch("production").setDirectory(dir.toFile()).call();
            return new GitRepo(dir, git);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** A URL any git client (JGit, git, r10k, g10k) can clone. */
    public String url() {
        return dir.toUri().toString();
    }

    /**
     * Commits {@code files} (path -> content) as the whole tree of {@code branch}, on top of its current head.
     *
     * @return the new commit's 40-hex id
     */
    public String commit(String branch, Map<String, String> files, String message) {
        Repository repo = git.getRepository();
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId tree = writeTree(inserter, files, "");
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setAuthor(AUTHOR);
            commit.setCommitter(AUTHOR);
            commit.setMessage(message);
            ObjectId parent = repo.resolve(Constants.R_HEADS + branch);
            if (parent != null) {
                commit.setParentId(parent);
            }
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
            update.setNewObjectId(id);
            update.setForceUpdate(true);
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD
                    && result != RefUpdate.Result.FORCED) {
                throw new IllegalStateException("cannot update " + branch + ": " + result);
            }
            return id.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String commit(String branch, Map<String, String> files) {
        return commit(branch, files, "update " + branch);
    }

    /** Adds or replaces files on top of {@code branch}'s current tree. */
    public String amend(String branch, Map<String, String> changes) {
        Map<String, String> files = new java.util.TreeMap<>(files(branch));
        changes.forEach((path, content) -> {
            if (content == null) {
                files.remove(path);
            } else {
                files.put(path, content);
            }
        });
        return commit(branch, files, "change " + String.join(", ", changes.keySet()));
    }

    /** The files of {@code branch}'s head, path -> content. */
    public Map<String, String> files(String branch) {
        Repository repo = git.getRepository();
        Map<String, String> files = new java.util.TreeMap<>();
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId head = repo.resolve(Constants.R_HEADS + branch);
            if (head == null) {
                return files;
            }
            RevCommit commit = walk.parseCommit(head);
            try (TreeWalk tree = new TreeWalk(repo)) {
                tree.addTree(commit.getTree());
                tree.setRecursive(true);
                while (tree.next()) {
                    files.put(tree.getPathString(),
                            new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String tag(String name, String commit) {
        try {
            Repository repo = git.getRepository();
            RefUpdate update = repo.updateRef(Constants.R_TAGS + name);
            update.setNewObjectId(ObjectId.fromString(commit));
            update.setForceUpdate(true);
            update.update();
            return commit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteBranch(String branch) {
        try {
            RefUpdate update = git.getRepository().updateRef(Constants.R_HEADS + branch);
            update.setForceUpdate(true);
            update.delete();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The head commit of {@code branch}, or {@code null} when it does not exist. */
    public String head(String branch) {
        try {
            Ref ref = git.getRepository().exactRef(Constants.R_HEADS + branch);
            return ref == null ? null : ref.getObjectId().name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectId writeTree(ObjectInserter inserter, Map<String, String> files, String prefix)
            throws IOException {
        java.util.SortedMap<String, Object> entries = new java.util.TreeMap<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            String path = file.getKey();
            if (!path.startsWith(prefix)) {
                continue;
            }
            String rest = path.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                entries.put(rest, file.getValue());
            } else {
                entries.putIfAbsent(rest.substring(0, slash) + "/", Boolean.TRUE);
            }
        }
        // Directory keys end with '/', so this map iterates in git's tree order.
        TreeFormatter formatter = new TreeFormatter();
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            String name = entry.getKey();
            if (name.endsWith("/")) {
                String dirName = name.substring(0, name.length() - 1);
                formatter.append(dirName, FileMode.TREE, writeTree(inserter, files, prefix + name));
            } else {
                byte[] content = ((String) entry.getValue()).getBytes(StandardCharsets.UTF_8);
                formatter.append(name, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, content));
            }
        }
        return inserter.insert(formatter);
    }

    @Override
    public void close() {
        git.close();
    }
}
