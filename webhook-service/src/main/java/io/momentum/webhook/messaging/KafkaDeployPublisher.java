package io.momentum.webhook.messaging;

import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.service.kafka.EventSerializer;
import io.momentum.service.kafka.KafkaClientSettings;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Event;
import io.momentum.webhook.config.WebhookConfig;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Publishes deploy requests on {@code momentum.deploy-requests} with a plain Kafka producer ({@code acks=all},
 * idempotent: see application.properties), so that the answer to a webhook can wait for the broker's
 * acknowledgement and give up after {@code momentum.webhook.publish-timeout}.
 * <p>
 * A plain producer rather than a SmallRye channel because intake is CPU-bound: the emitter's message wrapping,
 * context propagation and hop to the sink's sending thread cost about a fifth of the event loop's time per webhook.
 * The producer is configured from the application's {@code kafka.*} settings (bootstrap servers, TLS, SASL) with the
 * Kafka properties under {@code mp.messaging.outgoing.deploy-requests.*} on top, as the channel used to be, and
 * sends from the caller's thread (the event loop), which {@link KafkaProducer#send} never blocks once it knows the
 * topic: until then, sends go through a thread of their own.
 */
@ApplicationScoped
public class KafkaDeployPublisher implements DeployPublisher {

    private static final Logger LOG = Logger.getLogger(KafkaDeployPublisher.class);
    static final String PREFIX = "mp.messaging.outgoing.deploy-requests.";
    static final String DELIVERY_TIMEOUT = PREFIX + "delivery.timeout.ms";

    @Inject
    WebhookConfig config;

    @Inject
    DeployState state;

    @Inject
    KafkaClientSettings kafka;

    @Inject
    Config settings;

    private String topic;
    private Producer<String, Event> producer;
    /** Sends that might wait for the topic's metadata (max.block.ms) never run on the event loop. */
    private final ExecutorService firstSends =
            Executors.newSingleThreadExecutor(DaemonThreads.factory("deploy-requests-first-send"));
    private volatile boolean topicKnown;

    @PostConstruct
    void open() {
        topic = settings.getValue(PREFIX + "topic", String.class);
        producer = new KafkaProducer<>(kafka.producer(producerSettings()), new StringSerializer(),
                new EventSerializer());
        firstSends.execute(this::learnTopic);
    }

    /**
     * A record the producer still retries after the hook was answered 503 would be stored twice once the git host
     * redelivers, so the producer must give up first.
     */
    void check(@Observes StartupEvent event) {
        Acknowledgements.requireGivingUpInTime(DELIVERY_TIMEOUT,
                settings.getValue(DELIVERY_TIMEOUT, Long.class), config.publishTimeout());
    }

    @PreDestroy
    void close() {
        firstSends.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }

    private Map<String, Object> producerSettings() {
        Map<String, Object> own = new HashMap<>();
        for (String name : settings.getPropertyNames()) {
            if (name.startsWith(PREFIX) && ProducerConfig.configNames().contains(name.substring(PREFIX.length()))) {
                own.put(name.substring(PREFIX.length()), settings.getValue(name, String.class));
            }
        }
        // The topic's metadata stays known through a year without webhooks, so a send does not wait for it (not
        // Long.MAX_VALUE: the producer adds it to the time of the last send, and an overflow would drop the topic).
        own.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, String.valueOf(Duration.ofDays(365).toMillis()));
        own.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        own.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return own;
    }

    /** Asks for the topic's partitions until the broker answers (it may be down at start). */
    private void learnTopic() {
        while (!topicKnown && !Thread.currentThread().isInterrupted()) {
            try {
                producer.partitionsFor(topic);
                topicKnown = true;
            } catch (RuntimeException e) {
                LOG.debugf("topic %s not known yet: %s", topic, e.getMessage());
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public CompletionStage<Void> publish(List<DeployRequest> requests) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        if (topicKnown) {
            send(requests, acknowledged);
        } else {
            firstSends.execute(() -> send(requests, acknowledged));
        }
        // The producer gives up at delivery.timeout.ms; the extra second only guards against a lost acknowledgement.
        return acknowledged.orTimeout(config.publishTimeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(List<DeployRequest> requests, CompletableFuture<Void> acknowledged) {
        AtomicInteger pending = new AtomicInteger(requests.size());
        try {
            for (DeployRequest request : requests) {
                producer.send(new ProducerRecord<>(topic, request.key(), request), (metadata, failure) -> {
                    if (failure != null) {
                        acknowledged.completeExceptionally(failure);
                    } else if (pending.decrementAndGet() == 0) {
                        requests.forEach(state::onRequest);
                        acknowledged.complete(null);
                    }
                });
            }
            topicKnown = true;
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
    }
}
