package io.momentum.webhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.momentum.git.GitAccess;
import io.momentum.git.GitCredentials;
import io.momentum.git.GitTransportSettings;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.shared.source.Source;
import io.momentum.testing.GitRepo;
import io.momentum.testing.GitSshServer;
import io.momentum.webhook.domain.ControlSources;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.provider.RemoteHeads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poller over SSH against a real OpenSSH server: deploy keys and known_hosts from git-support's access. */
class BranchPollTest {

    @TempDir
    static Path dir;
    static Path repo;
    static String testing;
    static String main;
    static Path deployKey;
    static Path otherKey;
    static Path knownHosts;
    static GitSshServer ssh;

    @BeforeAll
    static void startServer() throws Exception {
        assumeTrue(GitSshServer.installed(), "openssh-server missing");
        repo = dir.resolve("repos/control.git");
        try (GitRepo control = GitRepo.createBare(repo)) {
            testing = control.commit("testing", Map.of("Puppetfile", "# testing\n"));
            main = control.commit("main", Map.of("Puppetfile", "# production\n"));
            control.commit("wip/idea", Map.of("Puppetfile", "# not yet\n"));
        }
        deployKey = GitSshServer.newClientKey(dir.resolve("keys"), "deploy", "");
        otherKey = GitSshServer.newClientKey(dir.resolve("keys"), "other", "");
        ssh = GitSshServer.start(dir.resolve("sshd"), List.of(Path.of(deployKey + ".pub")));
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");
    }

    @AfterAll
    static void stopServer() {
        if (ssh != null) {
            ssh.close();
        }
    }

    private final WebhookIntakeTest.RecordingPublisher publisher = new WebhookIntakeTest.RecordingPublisher();
    private final List<LogRecord> errors = new ArrayList<>();

    private List<DeployRequest> poll(Path key, Path trustedHosts) {
        Source control = new Source("control", ssh.url(repo), Optional.empty(), null, List.of(),
                List.of(Pattern.compile("wip/.*")), false, Source.InvalidBranches.CORRECT_AND_WARN,
                Map.of("main", "production"));
        GitCredentials credentials = new GitCredentials(Optional.of(key), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(BranchPoll.class.getName());
        logger.addHandler(capture);
        try (GitAccess access = new GitAccess(new GitTransportSettings(trustedHosts, true, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of()), remote -> credentials, dir.resolve("ssh-config"))) {
            return new BranchPoll(new ControlSources(List.of(control)), new RemoteHeads(access), new DeployState(),
                    publisher, Clock.systemUTC()).run();
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void theRightKeyListsTheHeadsAndPublishesWhatTheRulesDeploy() {
        List<DeployRequest> published = poll(deployKey, knownHosts);
        assertThat(published).extracting(DeployRequest::key)
                .containsExactlyInAnyOrder("env:testing", "env:production");
        assertThat(published).allSatisfy(r -> {
            assertThat(r.provider()).isEqualTo(Provider.POLL);
            assertThat(r.source()).isEqualTo("control");
        });
        assertThat(published).filteredOn(r -> r.environment().equals("production")).singleElement()
                .satisfies(r -> {
                    assertThat(r.branch()).isEqualTo("main");
                    assertThat(r.commit()).isEqualTo(main);
                });
        assertThat(published).filteredOn(r -> r.environment().equals("testing")).singleElement()
                .satisfies(r -> assertThat(r.commit()).isEqualTo(testing));
        assertThat(publisher.published).isEqualTo(published);
        assertThat(errors).isEmpty();
    }

    @Test
    void aWrongKeyFailsWithAClearLoggedErrorAndPublishesNothing() {
        assertThat(poll(otherKey, knownHosts)).isEmpty();
        assertThat(publisher.published).isEmpty();
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("poll of source control failed", "nothing published", "127.0.0.1"));
    }

    @Test
    void anUnknownHostKeyFailsWithAClearLoggedErrorAndPublishesNothing() throws Exception {
        Path empty = Files.createFile(dir.resolve("known_hosts_empty_" + System.nanoTime()));
        assertThat(poll(deployKey, empty)).isEmpty();
        assertThat(publisher.published).isEmpty();
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("poll of source control failed", "127.0.0.1"));
    }
}
