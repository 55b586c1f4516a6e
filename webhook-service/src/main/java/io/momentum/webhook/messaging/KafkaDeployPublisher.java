package io.momentum.webhook.messaging;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.webhook.config.WebhookConfig;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes deploy requests with a producer of its own ({@code acks=all}, idempotent), so that the answer to a
 * webhook can wait for the broker's acknowledgement and give up after a bounded time. Sends run on a dedicated
 * thread: {@code send()} may block while the broker is unreachable, and HTTP threads must not.
 */
@ApplicationScoped
public class KafkaDeployPublisher implements DeployPublisher {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    WebhookConfig config;

    @Inject
    DeployState state;

    private KafkaProducer<String, byte[]> producer;
    private ExecutorService sender;
    private Duration timeout;

    @PostConstruct
    void start() {
        timeout = config.publishTimeout();
        producer = new KafkaProducer<>(producerConfig(kafkaConfig, timeout), new StringSerializer(),
                new ByteArraySerializer());
        sender = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "momentum-deploy-request-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The channel-wide Kafka settings (TLS, SASL included) plus what a durable, bounded publish needs. */
    static Map<String, Object> producerConfig(Map<String, Object> kafka, Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        int total = (int) Math.max(2000, timeout.toMillis());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "momentum-webhook-service");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, total / 2);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, total);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, total / 2);
        return props;
    }

    @Override
    public CompletionStage<Void> publish(List<DeployRequest> requests) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        try {
            sender.execute(() -> send(requests, all));
        } catch (RejectedExecutionException e) {
            all.completeExceptionally(e);
        }
        // The producer gives up at delivery.timeout.ms; the extra second only guards against a lost callback.
        return all.orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .thenRun(() -> requests.forEach(state::onRequest));
    }

    private void send(List<DeployRequest> requests, CompletableFuture<Void> all) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[requests.size()];
        try {
            for (int i = 0; i < requests.size(); i++) {
                DeployRequest request = requests.get(i);
                CompletableFuture<Void> ack = new CompletableFuture<>();
                acks[i] = ack;
                producer.send(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, request.key(), EventCodec.encode(request)),
                        (metadata, failure) -> {
                            if (failure != null) {
                                ack.completeExceptionally(failure);
                            } else {
                                ack.complete(null);
                            }
                        });
            }
        } catch (RuntimeException e) {
            all.completeExceptionally(e);
            return;
        }
        CompletableFuture.allOf(acks).whenComplete((ok, failure) -> {
            if (failure != null) {
                all.completeExceptionally(failure);
            } else {
                all.complete(null);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        sender.shutdown();
        producer.close(Duration.ofSeconds(5));
    }
}
