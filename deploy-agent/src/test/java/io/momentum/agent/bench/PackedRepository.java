package io.momentum.agent.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Writes a bare repository in one go: all its objects into a single pack (JGit's pack inserter) rather than one loose
 * file each, so that generating hundreds of module repositories and a control repository of a thousand files takes
 * seconds even on a busy disk.
 */
final class PackedRepository {

    private static final PersonIdent AUTHOR = new PersonIdent("Momentum Bench", "bench@momentum.invalid");

    private PackedRepository() {
    }

    /**
     * Creates a bare repository at {@code dir} whose branch {@code main} holds {@code files} (tagged {@code tag}
     * when not null) and then, when {@code next} is not null, a second commit with {@code next} on top.
     */
    static void write(Path dir, Map<String, String> files, String tag, Map<String, String> next) throws IOException {
        try (Repository repo = FileRepositoryBuilder.create(dir.toFile())) {
            repo.create(true);
            ObjectId first;
            ObjectId head;
            try (PackInserter inserter = ((ObjectDirectory) repo.getObjectDatabase()).newPackInserter()) {
                inserter.checkExisting(false);
                first = commit(inserter, files, null);
                head = next == null ? first : commit(inserter, next, first);
                inserter.flush();
            }
            update(repo, Constants.R_HEADS + "main", head);
            if (tag != null) {
                update(repo, Constants.R_TAGS + tag, first);
            }
            repo.updateRef(Constants.HEAD).link(Constants.R_HEADS + "main");
        }
    }

    /** Creates a bare repository at {@code dir} with one commit of {@code files} on each of {@code branches}. */
    static void writeBranches(Path dir, Map<String, String> files, List<String> branches) throws IOException {
        try (Repository repo = FileRepositoryBuilder.create(dir.toFile())) {
            repo.create(true);
            Map<String, ObjectId> heads = new LinkedHashMap<>();
            try (PackInserter inserter = ((ObjectDirectory) repo.getObjectDatabase()).newPackInserter()) {
                inserter.checkExisting(false);
                ObjectId tree = tree(inserter, new TreeMap<>(files), "");
                for (String branch : branches) {
                    heads.put(branch, commit(inserter, tree, null, "environment " + branch + "\n"));
                }
                inserter.flush();
            }
            for (Map.Entry<String, ObjectId> head : heads.entrySet()) {
                update(repo, Constants.R_HEADS + head.getKey(), head.getValue());
            }
            repo.updateRef(Constants.HEAD).link(Constants.R_HEADS + branches.get(0));
        }
    }

    private static ObjectId commit(PackInserter inserter, Map<String, String> files, ObjectId parent)
            throws IOException {
        return commit(inserter, tree(inserter, new TreeMap<>(files), ""), parent, "release\n");
    }

    private static ObjectId commit(PackInserter inserter, ObjectId tree, ObjectId parent, String message)
            throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setAuthor(AUTHOR);
        commit.setCommitter(AUTHOR);
        commit.setMessage(message);
        if (parent != null) {
            commit.setParentId(parent);
        }
        return inserter.insert(commit);
    }

    /** The tree of the files under {@code prefix}; sorted paths keep each directory's files together. */
    private static ObjectId tree(PackInserter inserter, SortedMap<String, String> files, String prefix)
            throws IOException {
        SortedMap<String, Object> entries = new TreeMap<>();
        for (Map.Entry<String, String> file : files.subMap(prefix, prefix + Character.MAX_VALUE).entrySet()) {
            String rest = file.getKey().substring(prefix.length());
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
                formatter.append(name.substring(0, name.length() - 1), FileMode.TREE,
                        tree(inserter, files, prefix + name));
            } else {
                formatter.append(name, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB,
                        ((String) entry.getValue()).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return inserter.insert(formatter);
    }

    private static void update(Repository repo, String ref, ObjectId id) throws IOException {
        RefUpdate update = repo.updateRef(ref);
        update.setNewObjectId(id);
        RefUpdate.Result result = update.update();
        if (result != RefUpdate.Result.NEW) {
            throw new IOException("cannot create " + ref + ": " + result);
        }
    }
}
