package io.momentum.agent.lifecycle;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.GitRepo;
import io.momentum.testing.GitSshServer;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real OpenSSH server serving the control repository (production, with a Puppetfile module on the same server),
 * an embedded broker whose plans topic already holds production's plan when the agent starts (as on a master joining
 * a fleet), and an agent configured with a deploy key FILE that at first holds a key the server refuses: the test
 * fixes the file's content later, as an operator would.
 */
public class GitSshAgentResource implements QuarkusTestResourceLifecycleManager {

    static final Path BASE = Path.of("target", "ssh-agent").toAbsolutePath();
    static final Path KEY_FILE = BASE.resolve("etc/id_ed25519");
    static final Path ENVIRONMENTS = BASE.resolve("environments");
    static Path goodKey;
    private GitSshServer ssh;
    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        deleteRecursively(BASE);
        goodKey = GitSshServer.newClientKey(BASE.resolve("keys"), "deploy", "");
        Path wrongKey = GitSshServer.newClientKey(BASE.resolve("keys"), "wrong", "");
        ssh = GitSshServer.start(BASE.resolve("sshd"), List.of(Path.of(goodKey + ".pub")));
        Path control = BASE.resolve("repos/control.git");
        Path motd = BASE.resolve("repos/motd.git");
        DeployPlan plan;
        try (GitRepo controlRepo = GitRepo.createBare(control); GitRepo motdRepo = GitRepo.createBare(motd)) {
            String v1 = motdRepo.commit("main", Map.of("manifests/init.pp", "class motd { }\n"));
            motdRepo.tag("v1", v1);
            String commit = controlRepo.commit("production", Map.of("Puppetfile",
                    "mod 'motd', :git => '" + ssh.url(motd) + "', :tag => 'v1'\n"));
            plan = DeployPlan.planned(UUID.randomUUID(), "production", "control", "production", commit,
                    List.of(new PlannedModule("motd", "modules/motd", PlannedModule.Type.GIT, ssh.url(motd), "v1", v1,
                            null, false)), Rollout.IMMEDIATE, Instant.now());
        }
        broker = KafkaBroker.startFresh();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DEPLOY_PLANS, plan.key(), EventCodec.encodeToString(plan)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the plan", e);
        }
        try {
            Files.createDirectories(KEY_FILE.getParent());
            Files.copy(wrongKey, KEY_FILE, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(BASE.resolve("etc/known_hosts"), ssh.knownHostsLine() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", broker.bootstrapServers(),
                "momentum.deploy.backend", "native",
                "momentum.agent.master-id", "ssh-master",
                "momentum.deploy.environments-dir", ENVIRONMENTS.toString(),
                "momentum.deploy.cache-dir", BASE.resolve("cache").toString(),
                "momentum.sources.control.remote", ssh.url(control),
                "momentum.git.private-key", KEY_FILE.toString(),
                "momentum.git.known-hosts", BASE.resolve("etc/known_hosts").toString(),
                "momentum.git.ssh-agent-socket", BASE.resolve("no-agent.sock").toString());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class, KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (ssh != null) {
            ssh.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
