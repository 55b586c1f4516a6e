#!/usr/bin/env bash
# Grants each Momentum service exactly what it needs on a cluster with an authorizer, from the table in acls.txt
# (next to this script), with Kafka's own CLI. Adding an ACL that exists is a no-op, so re-running is safe; a line
# removed from the table is not revoked (kafka-acls.sh --remove does that).
#
#   deploy/kafka/acls.sh BOOTSTRAP [CLIENT_PROPERTIES]
#   e.g. deploy/kafka/acls.sh kafka1.example.net:9093 /etc/momentum/kafka-admin.properties
#
# CLIENT_PROPERTIES are the admin's client settings (SASL_SSL, its SCRAM login, the truststore). The services'
# users must exist (kafka-configs.sh --entity-type users --add-config-file, see docs/operator-guide.md).
set -euo pipefail
bootstrap="${1:?usage: acls.sh BOOTSTRAP [CLIENT_PROPERTIES]}"
client=()
[ -n "${2:-}" ] && client=(--command-config "$2")
KAFKA_ACLS="${KAFKA_ACLS:-kafka-acls.sh}"
table="$(dirname "$0")/acls.txt"

while read -r -a line; do
  case "${line[0]:-#}" in '#'*) continue ;; esac
  args=()
  IFS=, read -r -a principals <<<"${line[0]}"
  for principal in "${principals[@]}"; do args+=(--allow-principal "$principal"); done
  args+=(--operation "${line[1]}")
  for resource in "${line[@]:2}"; do
    case "$resource" in
      topic:*) args+=(--topic "${resource#topic:}") ;;
      group:*) args+=(--group "${resource#group:}") ;;
      *) echo "acls.txt: unknown resource '$resource' (topic:NAME or group:NAME)" >&2; exit 2 ;;
    esac
  done
  "$KAFKA_ACLS" --bootstrap-server "$bootstrap" "${client[@]}" --add "${args[@]}"
done <"$table"
