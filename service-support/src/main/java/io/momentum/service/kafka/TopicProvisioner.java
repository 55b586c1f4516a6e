package io.momentum.service.kafka;

import io.momentum.shared.event.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the SPEC topics that do not exist yet, with their cleanup policy. Existing topics are left exactly as
 * they are: an operator may have tuned them.
 */
public final class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class.getName());
    private static final long TIMEOUT_SECONDS = 30;

    private final Map<String, Object> adminConfig;
    private final TopicSettings settings;

    /**
     * @param adminConfig Kafka client settings ({@code bootstrap.servers}, security ...), passed through as is
     */
    public TopicProvisioner(Map<String, Object> adminConfig, TopicSettings settings) {
        this.adminConfig = Map.copyOf(adminConfig);
        this.settings = settings;
    }

    /** The topics as this provisioner would create them. */
    public List<NewTopic> desiredTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.ALL) {
            Map<String, String> configs = name.equals(Topics.DEPLOY_PLANS)
                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(settings.planHistory().toMillis()),
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInsyncReplicas()))
                    : name.equals(Topics.NOTIFICATIONS)
                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                                    + TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG,
                            String.valueOf(settings.notificationsRetention().toMillis()),
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInsyncReplicas()))
                    : Topics.COMPACTED.contains(name)
                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInsyncReplicas()))
                    : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG, String.valueOf(settings.lbChangesRetention().toMillis()),
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInsyncReplicas()));
            topics.add(new NewTopic(name, settings.partitions(), settings.replicationFactor()).configs(configs));
        }
        return topics;
    }

    /**
     * Creates the missing topics.
     *
     * @return the names of the topics this call created
     */
    public Set<String> provision() {
        Properties props = new Properties();
        props.putAll(adminConfig);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = desiredTopics().stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return Set.of();
            }
            Set<String> created = new java.util.TreeSet<>();
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(name);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + name, e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("timed out creating topic " + name, e);
                }
            });
            LOG.info(() -> "created topics " + created);
            return created;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
    }
}
