package io.momentum.health.messaging;

import io.momentum.health.domain.MonitoredFleet;
import io.momentum.shared.event.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The Kafka half of the monitor's hearing: whether heartbeats on {@code momentum.masters} can reach it now. The
 * feed is live when the leader of every partition of the topic answers an offsets request within the timeout
 * (the replay reader polls the same leaders); otherwise it is lost, and the {@link MonitoredFleet} does not count
 * the time as silence of the agents (during a broker outage the agents cannot publish and the monitor cannot read).
 */
final class FeedWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FeedWatch.class);

    private final MonitoredFleet fleet;
    private final Map<String, Object> adminConfig;
    private final Duration timeout;
    private Admin admin;
    private Boolean live;

    /**
     * @param adminConfig the service's Kafka client settings for an admin client (bootstrap servers, TLS, SASL)
     * @param timeout how long the topic's leaders may take to answer
     */
    FeedWatch(MonitoredFleet fleet, Map<String, Object> adminConfig, String clientId, Duration timeout) {
        this.fleet = fleet;
        this.timeout = timeout;
        int ms = (int) Math.max(1, timeout.toMillis());
        Map<String, Object> config = new HashMap<>(adminConfig);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        config.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        this.adminConfig = Map.copyOf(config);
    }

    /** Asks once and tells the fleet; called on a schedule, never concurrently. */
    synchronized void check() {
        boolean reachable;
        String why = null;
        try {
            reachable = leadersAnswer();
            if (!reachable) {
                why = Topics.MASTERS + " has no partitions";
            }
        } catch (ExecutionException e) {
            reachable = false;
            why = String.valueOf(e.getCause());
        } catch (TimeoutException e) {
            reachable = false;
            why = "no answer within " + timeout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            reachable = false;
            why = e.toString();
        }
        if (reachable) {
            fleet.onFeedLive();
            if (Boolean.FALSE.equals(live)) {
                LOG.infof("%s is readable again: silence of agents counts from now", Topics.MASTERS);
            }
        } else {
            fleet.onFeedLost();
            if (!Boolean.FALSE.equals(live)) {
                LOG.warnf("%s cannot be read (%s): agents are not judged silent until it can", Topics.MASTERS, why);
            }
        }
        live = reachable;
    }

    private boolean leadersAnswer() throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Admin client = admin();
        TopicDescription topic = client.describeTopics(List.of(Topics.MASTERS),
                new DescribeTopicsOptions().timeoutMs(remainingMs(deadline))).allTopicNames()
                .get(remainingMs(deadline), TimeUnit.MILLISECONDS).get(Topics.MASTERS);
        if (topic == null || topic.partitions().isEmpty()) {
            return false;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topic.partitions().forEach(partition -> latest.put(new TopicPartition(Topics.MASTERS, partition.partition()),
                OffsetSpec.latest()));
        int ms = remainingMs(deadline);
        client.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(ms)).all()
                .get(ms, TimeUnit.MILLISECONDS);
        return true;
    }

    private static int remainingMs(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
