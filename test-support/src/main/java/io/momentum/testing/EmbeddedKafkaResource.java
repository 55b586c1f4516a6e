package io.momentum.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real in-process KRaft broker for {@code @QuarkusTest}s and points the application at it. No Docker,
 * no Dev Services. Tests get the broker in a field annotated {@link InjectKafkaBroker}.
 */
public class EmbeddedKafkaResource implements QuarkusTestResourceLifecycleManager {

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.startFresh();
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", broker.bootstrapServers());
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
