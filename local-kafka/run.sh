#!/usr/bin/env bash
# Runs the local single-node Kafka broker in the foreground (Ctrl-C or SIGTERM shuts it down cleanly).
# Options are passed through: --host 127.0.0.1 --port 9092 --controller-port 9093 --data-dir .momentum-local/kafka
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/momentum-local-kafka-0.1.0-SNAPSHOT.jar"
if [ ! -f "$jar" ] || [ ! -d "$here/target/lib" ]; then
  echo "local-kafka is not built: run ./mvnw -B install -DskipTests first" >&2
  exit 1
fi
exec java -Xms256m -Xmx512m -cp "$jar:$here/target/lib/*" io.momentum.localkafka.LocalKafka "$@"
