package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.testing.GitRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native backend's mirrors across processes: what a process killed in the middle of creating or fetching a
 * mirror leaves must not stop the next one, and a mirror whose objects are gone is fetched again from scratch. A
 * "killed process" is a {@link GitMirrors} that is dropped, its leftovers written as JGit leaves them.
 */
class GitMirrorsTest {

    @TempDir
    Path tmp;

    @Test
    void aNewMirrorIsCompleteWithTheGcSettingsAndAskedNothingBeforeItsFirstFetch() throws Exception {
        try (GitRepo remote = GitRepo.createBare(tmp.resolve("remote.git")); GitMirrors mirrors = mirrors()) {
            String head = remote.commit("main", Map.of("a.txt", "a\n"));
            GitMirrors.Mirror mirror = mirrors.mirror(remote.url());
            mirror.refresh(System.nanoTime());

            assertThat(mirror.branch("main")).isEqualTo(ObjectId.fromString(head));
            var config = mirror.repository().getConfig();
            assertThat(config.getInt(ConfigConstants.CONFIG_GC_SECTION, ConfigConstants.CONFIG_KEY_AUTO, -1))
                    .isZero();
            assertThat(config.getBoolean(ConfigConstants.CONFIG_GC_SECTION, ConfigConstants.CONFIG_KEY_AUTODETACH,
                    true)).isFalse();
            try (Stream<Path> cache = Files.list(tmp.resolve("cache"))) {
                assertThat(cache).hasSize(1);
            }
        }
    }

    @Test
    void locksAndPartialPacksOfAKilledFetchAndAnUnfinishedMirrorAreRemovedBeforeTheNextFetch() throws Exception {
        try (GitRepo remote = GitRepo.createBare(tmp.resolve("remote.git"))) {
            remote.commit("main", Map.of("a.txt", "a\n"));
            Path mirrorDir;
            try (GitMirrors killed = mirrors()) {
                GitMirrors.Mirror mirror = killed.mirror(remote.url());
                mirror.refresh(System.nanoTime());
                mirrorDir = mirror.repository().getDirectory().toPath();
            }
            for (String leftover : new String[] {"packed-refs.lock", "FETCH_HEAD.lock", "gc.log.lock",
                    "objects/incoming_123.pack", "refs/heads/main.lock"}) {
                Files.createDirectories(mirrorDir.resolve(leftover).getParent());
                Files.writeString(mirrorDir.resolve(leftover), "");
            }
            Files.createDirectories(tmp.resolve("cache/.new-4711/objects"));
            String moved = remote.commit("main", Map.of("b.txt", "b\n"));

            try (GitMirrors next = mirrors()) {
                GitMirrors.Mirror mirror = next.mirror(remote.url());
                mirror.refreshLacking(System.nanoTime());

                assertThat(mirror.branch("main")).isEqualTo(ObjectId.fromString(moved));
                assertThat(mirrorDir.resolve("packed-refs.lock")).doesNotExist();
                assertThat(mirrorDir.resolve("objects/incoming_123.pack")).doesNotExist();
                assertThat(tmp.resolve("cache/.new-4711")).doesNotExist();
            }
        }
    }

    @Test
    void aDirectoryLeftWhereAMirrorWasBeingCreatedIsReplacedByAMirror() throws Exception {
        try (GitRepo remote = GitRepo.createBare(tmp.resolve("remote.git"))) {
            String head = remote.commit("main", Map.of("a.txt", "a\n"));
            Path dir = tmp.resolve("cache").resolve(GitMirrors.directoryName(remote.url()));
            Files.createDirectories(dir.resolve("objects/pack"));

            try (GitMirrors mirrors = mirrors()) {
                GitMirrors.Mirror mirror = mirrors.mirror(remote.url());
                mirror.refresh(System.nanoTime());

                assertThat(mirror.branch("main")).isEqualTo(ObjectId.fromString(head));
            }
        }
    }

    @Test
    void aMirrorWhosePacksAreGoneOrCutShortGetsWhatItLacksFromTheNextFetch() throws Exception {
        try (GitRepo remote = GitRepo.createBare(tmp.resolve("remote.git"))) {
            remote.commit("main", Map.of("a.txt", "a\n", "big.txt", "x\n".repeat(2000)));
            Path mirrorDir;
            try (GitMirrors first = mirrors()) {
                GitMirrors.Mirror mirror = first.mirror(remote.url());
                mirror.refresh(System.nanoTime());
                mirrorDir = mirror.repository().getDirectory().toPath();
            }
            damagePacks(mirrorDir);
            String moved = remote.commit("main", Map.of("a.txt", "a\n", "big.txt", "x\n".repeat(2000) + "y\n"));

            try (GitMirrors next = mirrors()) {
                GitMirrors.Mirror mirror = next.mirror(remote.url());
                assertThat(mirror.commit(moved)).isNull();
                mirror.refreshLacking(System.nanoTime());

                assertThat(mirror.commit(moved)).isEqualTo(ObjectId.fromString(moved));
                assertThat(TreeWriter.readFile(mirror.repository(), ObjectId.fromString(moved), "a.txt"))
                        .asString().isEqualTo("a\n");
            }
        }
    }

    private GitMirrors mirrors() {
        return new GitMirrors(tmp.resolve("cache"), Duration.ofSeconds(30), GitRemotesFixture.plain(tmp));
    }

    /** As a crash of the machine could leave them without the syncs: one pack cut short, the index of the other gone. */
    private static void damagePacks(Path mirrorDir) throws IOException {
        try (Stream<Path> files = Files.list(mirrorDir.resolve("objects/pack"))) {
            for (Path file : files.toList()) {
                if (file.toString().endsWith(".pack")) {
                    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 20));
                }
            }
        }
    }
}
