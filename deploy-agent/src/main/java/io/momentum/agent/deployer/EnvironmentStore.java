package io.momentum.agent.deployer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.momentum.shared.env.EnvironmentNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The on-disk layout of natively deployed environments, all on the environments' own file system so that every
 * switch is a rename:
 *
 * <pre>
 * &lt;base&gt;/&lt;env&gt;                                  symlink -&gt; .momentum/&lt;env&gt;/&lt;version&gt;/code
 * &lt;base&gt;/.momentum/&lt;env&gt;/&lt;version&gt;/code/       the environment Puppet Server reads
 * &lt;base&gt;/.momentum/&lt;env&gt;/&lt;version&gt;/deploy.json  its {@link DeployManifest}
 * &lt;base&gt;/.momentum/&lt;env&gt;/.staging-&lt;id&gt;/         a version being built (never live)
 * &lt;base&gt;/.momentum/&lt;env&gt;/last-attempt.json       the last failed attempt, in r10k's format
 * &lt;base&gt;/.momentum/.modules/&lt;key&gt;/               one module release's files ({@link ModuleTrees})
 * </pre>
 *
 * A version's {@code code} holds the control repository's files (and {@code .r10k-deploy.json}); each module
 * directory there is a relative symbolic link to its release's tree in {@code .momentum/.modules}, shared with every
 * other version of any environment that has the same release. An operator running {@code ls -l modules/} in an
 * environment sees those links; a file edited in place below one changes in all of them.
 *
 * Puppet ignores {@code .momentum} (not a valid environment name). An environment is "managed" exactly when its
 * entry is a symlink into {@code .momentum/<env>/}; anything else in the base directory is left alone. The newest
 * {@code keepVersions} versions (the live one, and a staged one, always among them) are kept so that a rollback to one
 * of them moves the symlink only; older ones are deleted after each new version goes live or is staged. A staged
 * version is a complete version that is not live: activating it moves the symlink only.
 */
final class EnvironmentStore {

    static final String STATE_DIR = ".momentum";
    static final String CODE = "code";
    private static final String MANIFEST = "deploy.json";
    private static final String STAGING_PREFIX = ".staging-";
    static final String LAST_ATTEMPT = "last-attempt.json";
    private static final String TAKEN_OVER_PREFIX = "taken-over-";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path base;
    private final Path state;
    private final int keepVersions;
    private final ModuleTrees moduleTrees;

    /** @param keepVersions how many versions per environment stay on disk, the live one included (at least 1) */
    EnvironmentStore(Path base, int keepVersions) {
        if (keepVersions < 1) {
            throw new IllegalArgumentException("keep at least the live version, not " + keepVersions);
        }
        this.base = base.toAbsolutePath().normalize();
        this.state = this.base.resolve(STATE_DIR);
        this.keepVersions = keepVersions;
        this.moduleTrees = new ModuleTrees(state.resolve(ModuleTrees.DIR));
    }

    /** A deployed version: its directory and what it holds. */
    record Version(String name, Path dir, DeployManifest manifest) {

        Path code() {
            return dir.resolve(CODE);
        }
    }

    /** The module trees the versions of every environment link their module directories to. */
    ModuleTrees moduleTrees() {
        return moduleTrees;
    }

    Path link(String environment) {
        return EnvironmentNames.resolveInside(base, environment);
    }

    Path stateDir(String environment) {
        return EnvironmentNames.resolveInside(state, environment);
    }

    /**
     * Refuses to deploy over a directory or link Momentum did not create, except an environment directory r10k or
     * g10k deployed (it holds their deploy file): that one is taken over, so that switching an existing master from
     * r10k or g10k to the native backend needs no manual step.
     */
    void requireManageable(String environment) throws DeployException {
        Path link = link(environment);
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && versionName(environment) == null
                && !deployedByAnotherTool(link)) {
            throw new DeployException(link + " exists and is not managed by Momentum; move it away to deploy "
                    + environment + " here");
        }
    }

    private static boolean deployedByAnotherTool(Path dir) {
        return !Files.isSymbolicLink(dir) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && (Files.isRegularFile(dir.resolve(R10kDeployFile.NAME), LinkOption.NOFOLLOW_LINKS)
                        || Files.isRegularFile(dir.resolve(G10kDeployer.DEPLOY_FILE), LinkOption.NOFOLLOW_LINKS));
    }

    Optional<Version> live(String environment) {
        String name = versionName(environment);
        return name == null ? Optional.empty() : version(environment, name);
    }

    /** A kept version built from the plan with this digest, the live one included. */
    Optional<Version> kept(String environment, String planDigest) {
        return versions(environment).stream().filter(v -> planDigest.equals(v.manifest().planDigest())).findFirst();
    }

    private Optional<Version> version(String environment, String name) {
        Path dir = stateDir(environment).resolve(name);
        try {
            return Optional.of(new Version(name, dir, JSON.readValue(dir.resolve(MANIFEST).toFile(), DeployManifest.class)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every complete version of the environment (those with a manifest), newest first. */
    private List<Version> versions(String environment) {
        Path dir = stateDir(environment);
        List<Version> versions = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return versions;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(entry.resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
                    version(environment, name).ifPresent(versions::add);
                }
            }
        } catch (IOException e) {
            return versions;
        }
        // Names start with the creation time in milliseconds: compare it as a number, then the rest.
        versions.sort(Comparator.comparingLong((Version v) -> createdAt(v.name())).thenComparing(Version::name)
                .reversed());
        return versions;
    }

    private static long createdAt(String versionName) {
        int dash = versionName.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? versionName : versionName.substring(0, dash));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** The live version's directory name when the environment's entry is one of our symlinks. */
    private String versionName(String environment) {
        Path link = link(environment);
        if (!Files.isSymbolicLink(link)) {
            return null;
        }
        try {
            Path target = Files.readSymbolicLink(link);
            // .momentum/<env>/<version>/code
            if (target.getNameCount() == 4 && target.getName(0).toString().equals(STATE_DIR)
                    && target.getName(1).toString().equals(environment) && target.getName(3).toString().equals(CODE)
                    && !target.isAbsolute()) {
                return target.getName(2).toString();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** A fresh, empty staging directory; leftovers of killed deploys of this environment are removed first. */
    Path newStaging(String environment) throws IOException {
        Path dir = stateDir(environment);
        Files.createDirectories(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, STAGING_PREFIX + "*")) {
            for (Path stale : entries) {
                FileTrees.delete(stale);
            }
        }
        Path staging = dir.resolve(STAGING_PREFIX + UUID.randomUUID());
        Files.createDirectory(staging);
        Files.createDirectory(staging.resolve(CODE));
        return staging;
    }

    /**
     * Makes a fully built staging directory the live version: rename it to its version name, then replace the
     * environment's symlink in one {@code rename(2)}. Returns the version name.
     */
    String activate(String environment, Path staging, DeployManifest manifest) throws IOException {
        String name = complete(environment, staging, manifest);
        String takenOver = takeOver(environment);
        swap(environment, name);
        Files.deleteIfExists(stateDir(environment).resolve(LAST_ATTEMPT));
        retain(environment, Set.of(name), takenOver);
        return name;
    }

    /**
     * Taking over from r10k/g10k: a directory cannot be replaced by a symlink in one rename, so for a moment between
     * this rename and the symlink's the environment is absent. Its old content stays (until the next version goes
     * live or is staged) beside ours, under the name returned; null when there is nothing to take over.
     */
    private String takeOver(String environment) throws IOException {
        Path link = link(environment);
        if (!deployedByAnotherTool(link)) {
            return null;
        }
        String takenOver = TAKEN_OVER_PREFIX + System.currentTimeMillis();
        Files.move(link, stateDir(environment).resolve(takenOver), StandardCopyOption.ATOMIC_MOVE);
        return takenOver;
    }

    /**
     * Keeps a fully built staging directory as a version beside the live one, the symlink untouched: a staged
     * version, made live later by {@link #reactivate}. It is never pruned by its own staging (it is the newest),
     * and the live one neither. Returns the version name.
     */
    String stage(String environment, Path staging, DeployManifest manifest) throws IOException {
        String name = complete(environment, staging, manifest);
        Set<String> keep = new HashSet<>();
        keep.add(name);
        String live = versionName(environment);
        if (live != null) {
            keep.add(live);
        }
        retain(environment, keep, null);
        return name;
    }

    /** Writes the manifest and renames the staging directory to a new version name, which it returns. */
    private String complete(String environment, Path staging, DeployManifest manifest) throws IOException {
        Files.write(staging.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
        Path dir = stateDir(environment);
        String shortCommit = manifest.commit().substring(0, Math.min(12, manifest.commit().length()));
        String name = System.currentTimeMillis() + "-" + shortCommit;
        for (int n = 1; Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS); n++) {
            name = System.currentTimeMillis() + "-" + shortCommit + "-" + n;
        }
        Files.move(staging, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return name;
    }

    /**
     * Makes a kept or staged version live by replacing the symlink in one {@code rename(2)}: nothing is written
     * besides the link (a stale failure record is removed; an environment r10k or g10k deployed is moved aside).
     */
    void reactivate(String environment, Version version) throws IOException {
        takeOver(environment);
        swap(environment, version.name());
        Files.deleteIfExists(stateDir(environment).resolve(LAST_ATTEMPT));
    }

    private void swap(String environment, String version) throws IOException {
        Path tmpLink = state.resolve(".link-" + environment + "-" + UUID.randomUUID());
        Files.createSymbolicLink(tmpLink, Paths.get(STATE_DIR, environment, version, CODE));
        try {
            Files.move(tmpLink, link(environment), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmpLink);
        }
    }

    /**
     * Deletes every version but {@code kept} (the live one, and a staged one) and the newest others up to
     * {@code keepVersions} in all, and any other directory but {@code takenOver} (what r10k or g10k left, kept beside
     * ours until the next switch).
     */
    private void retain(String environment, Set<String> kept, String takenOver) throws IOException {
        Set<String> keep = new HashSet<>(kept);
        keep.add(takenOver);
        versions(environment).stream().map(Version::name).filter(name -> !kept.contains(name))
                .limit(Math.max(0, keepVersions - kept.size())).forEach(keep::add);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(stateDir(environment))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!keep.contains(name) && !name.startsWith(".")
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    FileTrees.delete(entry);
                    moduleTrees.versionsDeleted();
                }
            }
        }
    }

    /**
     * The keys of the module trees linked from any version or staging directory of any environment. A version's
     * links are found at its manifest's module paths; a directory without a readable manifest (a staging directory,
     * a damaged version) is searched for links. Any error is thrown: a tree must not be removed on a partial answer.
     */
    Set<String> moduleTreesInUse() throws IOException {
        Set<String> inUse = new HashSet<>();
        if (!Files.isDirectory(state)) {
            return inUse;
        }
        try (DirectoryStream<Path> environments = Files.newDirectoryStream(state,
                entry -> !entry.getFileName().toString().startsWith(".")
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))) {
            for (Path environment : environments) {
                try (DirectoryStream<Path> versions = Files.newDirectoryStream(environment,
                        entry -> !entry.getFileName().toString().startsWith(TAKEN_OVER_PREFIX)
                                && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))) {
                    for (Path version : versions) {
                        addTreesLinkedFrom(version, inUse);
                    }
                }
            }
        }
        return inUse;
    }

    private void addTreesLinkedFrom(Path version, Set<String> inUse) throws IOException {
        Path code = version.resolve(CODE);
        DeployManifest manifest = null;
        try {
            manifest = JSON.readValue(version.resolve(MANIFEST).toFile(), DeployManifest.class);
        } catch (IOException e) {
            // No manifest yet (staging) or an unreadable one: look at every link instead.
        }
        if (manifest != null) {
            for (DeployManifest.ModuleRecord module : manifest.modules()) {
                Path dir = code.resolve(module.path()).normalize();
                if (dir.startsWith(code) && Files.isSymbolicLink(dir)) {
                    moduleTrees.key(dir).ifPresent(inUse::add);
                }
            }
            return;
        }
        if (!Files.isDirectory(code, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(code)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isSymbolicLink(path)) {
                    moduleTrees.key(path).ifPresent(inUse::add);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    void recordFailure(String environment, String content) {
        try {
            Path dir = stateDir(environment);
            Files.createDirectories(dir);
            Path tmp = dir.resolve(LAST_ATTEMPT + "~");
            Files.writeString(tmp, content);
            Files.move(tmp, dir.resolve(LAST_ATTEMPT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // The failure itself is reported by the caller; this record is a courtesy for operators on the host.
        }
    }

    void discard(Path staging) {
        try {
            FileTrees.delete(staging);
        } catch (IOException e) {
            // Whatever is left is removed by the next deploy of this environment (newStaging).
        }
    }

    /** Removes a managed environment: the symlink first (one atomic step for Puppet), then its versions. */
    boolean purge(String environment) throws IOException {
        boolean managed = versionName(environment) != null;
        if (managed) {
            Files.delete(link(environment));
        } else if (Files.exists(link(environment), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path dir = stateDir(environment);
        boolean had = Files.exists(dir);
        FileTrees.delete(dir);
        moduleTrees.versionsDeleted();
        return managed || had;
    }

    /** Every managed environment and its live control commit. */
    Map<String, String> deployed() {
        Map<String, String> deployed = new TreeMap<>();
        if (!Files.isDirectory(base)) {
            return deployed;
        }
        List<Path> links = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, Files::isSymbolicLink)) {
            entries.forEach(links::add);
        } catch (IOException e) {
            return deployed;
        }
        for (Path link : links) {
            String environment = link.getFileName().toString();
            if (EnvironmentNames.isValid(environment)) {
                live(environment).ifPresent(v -> deployed.put(environment, v.manifest().commit()));
            }
        }
        return deployed;
    }
}
