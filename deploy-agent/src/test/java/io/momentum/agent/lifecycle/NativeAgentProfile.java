package io.momentum.agent.lifecycle;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.GitRepo;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The agent with the real native deployer against real git repositories under {@code target/native-agent}: a
 * control repository with {@code production} (one git module at a tag) and {@code development}, and a broker whose
 * plans topic holds both plans before the application starts, so that the start-up catch-up has something to
 * deploy. The resource brings the broker, so the global embedded broker is not started.
 */
public class NativeAgentProfile implements QuarkusTestProfile {

    static final Path BASE = Path.of("target", "native-agent").toAbsolutePath();
    static final Path CONTROL = BASE.resolve("control.git");
    static final Path MOTD = BASE.resolve("motd.git");
    static final Path ENVIRONMENTS = BASE.resolve("environments");

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PlannedFleet.class));
    }

    static DeployPlan plan(String environment, String commit, List<PlannedModule> modules) {
        return DeployPlan.planned(UUID.randomUUID(), environment, "control", environment, commit, modules,
                Rollout.IMMEDIATE, Instant.now());
    }

    static void publish(KafkaBroker broker, DeployPlan... plans) {
        for (DeployPlan plan : plans) {
            send(broker, Topics.DEPLOY_PLANS, plan.key(), EventCodec.encodeToString(plan));
        }
    }

    static void publish(KafkaBroker broker, Activation activation) {
        send(broker, Topics.ROLLOUTS, activation.key(), EventCodec.encodeToString(activation));
    }

    private static void send(KafkaBroker broker, String topic, String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** The repositories, and their plans on the broker, before the agent starts. */
    public static class PlannedFleet implements QuarkusTestResourceLifecycleManager {

        private KafkaBroker broker;

        @Override
        public Map<String, String> start() {
            GitSshAgentResource.deleteRecursively(BASE);
            DeployPlan production;
            DeployPlan development;
            try (GitRepo control = GitRepo.createBare(CONTROL); GitRepo motd = GitRepo.createBare(MOTD)) {
                String v1 = motd.commit("main", Map.of("manifests/init.pp", "class motd { }\n"));
                motd.tag("v1.0.0", v1);
                String productionCommit = control.commit("production", Map.of(
                        "Puppetfile", "mod 'acme-motd', :git => '" + motd.url() + "', :tag => 'v1.0.0'\n",
                        "environment.conf", "modulepath = modules:site\n",
                        "site/role/manifests/init.pp", "class role { }\n"));
                String developmentCommit = control.commit("development", Map.of("Puppetfile", "",
                        "environment.conf", "modulepath = modules\n"));
                production = plan("production", productionCommit, List.of(new PlannedModule("motd", "modules/motd",
                        PlannedModule.Type.GIT, motd.url(), "v1.0.0", v1, null, false)));
                development = plan("development", developmentCommit, List.of());
            }
            broker = KafkaBroker.startFresh();
            publish(broker, production, development);
            return Map.of(
                    "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "mp.messaging.connector.smallrye-kafka.bootstrap.servers", broker.bootstrapServers(),
                    "momentum.deploy.backend", "native",
                    "momentum.agent.master-id", "native-master",
                    "momentum.agent.retry-interval", "2s",
                    "momentum.deploy.environments-dir", ENVIRONMENTS.toString(),
                    "momentum.deploy.cache-dir", BASE.resolve("cache").toString(),
                    "momentum.sources.control.remote", CONTROL.toUri().toString());
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(broker,
                    new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class, KafkaBroker.class));
        }

        @Override
        public void stop() {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
