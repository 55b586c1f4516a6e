#!/usr/bin/env bash
# Creates Momentum's topics with Kafka's own CLI, for clusters where services must not create topics
# (then set momentum.topics.provision=false). Existing topics are left alone.
#
#   deploy/kafka/topics.sh BOOTSTRAP [CLIENT_PROPERTIES]
#   e.g. deploy/kafka/topics.sh kafka1.example.net:9093 /etc/momentum/kafka-admin.properties
set -euo pipefail
bootstrap="${1:?usage: topics.sh BOOTSTRAP [CLIENT_PROPERTIES]}"
client=()
[ -n "${2:-}" ] && client=(--command-config "$2")
KAFKA_TOPICS="${KAFKA_TOPICS:-kafka-topics.sh}"
PARTITIONS="${PARTITIONS:-3}"
REPLICATION="${REPLICATION:-3}"
MIN_ISR="${MIN_ISR:-2}"

create() { # NAME CONFIGS...
  local name="$1"; shift
  local configs=()
  for c in "$@"; do configs+=(--config "$c"); done
  "$KAFKA_TOPICS" --bootstrap-server "$bootstrap" "${client[@]}" --create --if-not-exists --topic "$name" \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION" "${configs[@]}"
}

# State topics: compacted, the latest record per key is the state a service rebuilds from on start.
for topic in momentum.deploy-requests momentum.rollouts momentum.deploy-results momentum.masters momentum.master-status; do
  create "$topic" cleanup.policy=compact min.insync.replicas="$MIN_ISR"
done
# Plans: compacted too, but superseded plans stay 30 days (PLAN_HISTORY_MS): what a rollback picks from.
create momentum.deploy-plans cleanup.policy=compact min.compaction.lag.ms="${PLAN_HISTORY_MS:-2592000000}" \
  min.insync.replicas="$MIN_ISR"
# History of load-balancer changes: kept 7 days.
create momentum.lb-changes cleanup.policy=delete retention.ms=604800000 min.insync.replicas="$MIN_ISR"
# What the notifier sent (one key per notification and sink): compacted, and deleted after 7 days.
create momentum.notifications cleanup.policy=compact,delete retention.ms="${NOTIFICATIONS_RETENTION_MS:-604800000}" \
  min.insync.replicas="$MIN_ISR"
