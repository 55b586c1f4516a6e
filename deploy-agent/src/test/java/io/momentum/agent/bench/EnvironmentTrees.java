package io.momentum.agent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What Puppet Server would read from deployed environments: every file's path and content, compared across engines.
 * Engine bookkeeping is left out: git metadata ({@code .git}, r10k keeps working copies), the deploy records at an
 * environment's top ({@code .r10k-deploy.json}, {@code .g10k-deploy.json}) and g10k's {@code .latest_commit} in
 * each git module.
 */
final class EnvironmentTrees {

    private static final Set<String> RECORDS = Set.of(".r10k-deploy.json", ".g10k-deploy.json");
    private static final String G10K_MODULE_RECORD = ".latest_commit";

    private EnvironmentTrees() {
    }

    /** Environment name -> (relative file path -> SHA-256 of its content, or {@code -> target} for a symlink). */
    static SortedMap<String, SortedMap<String, String>> read(Path environmentsDir, List<String> environments) {
        SortedMap<String, SortedMap<String, String>> trees = new TreeMap<>();
        environments.parallelStream().forEach(environment -> {
            SortedMap<String, String> files = files(environmentsDir.resolve(environment));
            synchronized (trees) {
                trees.put(environment, files);
            }
        });
        return trees;
    }

    private static SortedMap<String, String> files(Path environment) {
        SortedMap<String, String> files = new TreeMap<>();
        try {
            // The native backend's environment is a symlink to its live version.
            Path root = Files.exists(environment) ? environment.toRealPath() : environment;
            if (Files.isDirectory(root)) {
                addFiles(root, "", files);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds the files below {@code root} as {@code prefix + relative path}; a module directory the native backend
     * links to its shared tree ({@code .momentum/.modules}) is read through the link, as Puppet reads it.
     */
    private static void addFiles(Path root, String prefix, SortedMap<String, String> files) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return dir.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String relative = prefix + root.relativize(file);
                String name = file.getFileName().toString();
                if (name.equals(".git") || name.equals(G10K_MODULE_RECORD) || RECORDS.contains(relative)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attributes.isSymbolicLink() && isModuleTree(file)) {
                    addFiles(file.toRealPath(), relative + "/", files);
                    return FileVisitResult.CONTINUE;
                }
                files.put(relative, attributes.isSymbolicLink() ? "-> " + Files.readSymbolicLink(file)
                        : sha256(file));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static boolean isModuleTree(Path link) throws IOException {
        return Files.isDirectory(link) && link.toRealPath().getParent().endsWith(Path.of(".momentum", ".modules"));
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One digest of all environments' trees. */
    static String digest(SortedMap<String, SortedMap<String, String>> trees) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            trees.forEach((environment, files) -> files.forEach((path, content) ->
                    sha.update((environment + "/" + path + "\0" + content + "\n").getBytes())));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int fileCount(SortedMap<String, SortedMap<String, String>> trees) {
        return trees.values().stream().mapToInt(Map::size).sum();
    }

    /** The first few differences between two engines' trees, as lines; empty when they are equal. */
    static List<String> differences(SortedMap<String, SortedMap<String, String>> expected, String expectedName,
            SortedMap<String, SortedMap<String, String>> actual, String actualName, int limit) {
        List<String> differences = new ArrayList<>();
        Set<String> environments = new TreeSet<>(expected.keySet());
        environments.addAll(actual.keySet());
        int differing = 0;
        for (String environment : environments) {
            SortedMap<String, String> a = expected.getOrDefault(environment, new TreeMap<>());
            SortedMap<String, String> b = actual.getOrDefault(environment, new TreeMap<>());
            if (a.equals(b)) {
                continue;
            }
            differing++;
            Map<String, String> lines = new LinkedHashMap<>();
            Set<String> paths = new TreeSet<>(a.keySet());
            paths.addAll(b.keySet());
            for (String path : paths) {
                if (!b.containsKey(path)) {
                    lines.put(path, "only in " + expectedName);
                } else if (!a.containsKey(path)) {
                    lines.put(path, "only in " + actualName);
                } else if (!a.get(path).equals(b.get(path))) {
                    lines.put(path, "content differs");
                }
            }
            if (differences.size() < limit) {
                int[] shown = {0};
                lines.forEach((path, what) -> {
                    if (shown[0]++ < 3 && differences.size() < limit) {
                        differences.add(environment + "/" + path + ": " + what);
                    }
                });
                if (lines.size() > 3) {
                    differences.add(environment + ": " + lines.size() + " paths differ in all");
                }
            }
        }
        if (differing > 0) {
            differences.add(differing + " of " + environments.size() + " environments differ");
        }
        return differences;
    }
}
