#!/usr/bin/env bash
# Momentum local fleet: Kafka, the four services, three deploy agents with demo compile masters, and nginx,
# all on 127.0.0.1 with every bit of state under .momentum-local/.
#
#   deploy/quickstart.sh up [--masters N]   start everything (N compile masters besides the MoM; default 2)
#   deploy/quickstart.sh status             environment x master table, health, routable
#   deploy/quickstart.sh add-master ID...   start more compile masters (agent + demo Puppet Server each)
#   deploy/quickstart.sh down               stop everything this script started (by PID)
#   deploy/quickstart.sh restart kafka|webhook-service|health-monitor|lb-config-service|notifier [--wipe-state]
#   deploy/quickstart.sh restart master ID  stop and start a master's agent and demo Puppet Server (state kept)
# Faults, to see what Momentum does when things break (the chaos tests use the same commands):
#   deploy/quickstart.sh kill ID|kafka|webhook-service|health-monitor|lb-config-service|notifier [--signal KILL|TERM]
#                                           end a process as a crash would (default KILL; ID: that master's agent)
#   deploy/quickstart.sh fault master ID down|hang|ok   the demo Puppet Server's status fails / hangs / recovers
#   deploy/quickstart.sh fault git unreachable|ok       the local git repositories vanish / come back
# Settings read when a service starts (up, restart):
#   MOMENTUM_ROLLOUT=immediate|fleet|canary   how plans reach the masters (the MoM's planner; default immediate)
#   MOMENTUM_ROUTING=serve-stale|strict       health-monitor's routing policy (default serve-stale)
#   MOMENTUM_CANARY_MASTERS=cm1[,cm2]         canary masters (default: the first ready compile master)
#   MOMENTUM_CANARY_SOAK=20s                  how long canaries must stay healthy before the next batch
#   MOMENTUM_NOTIFY=1                         also run the notifier, its signed webhook sink pointed at a demo
#                                             receiver that prints what it gets (logs/notify-receiver.log)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${MOMENTUM_LOCAL_DIR:-$ROOT/.momentum-local}"
PIDS="$STATE/pids"
LOGS="$STATE/logs"
# MOMENTUM_PORT_OFFSET shifts every port, so a second fleet (the end-to-end tests) can run beside this one.
OFFSET="${MOMENTUM_PORT_OFFSET:-0}"
[[ "$OFFSET" =~ ^[0-9]{1,5}$ ]] || { echo "quickstart: error: MOMENTUM_PORT_OFFSET must be a number" >&2; exit 1; }
KAFKA_PORT=$((9092 + OFFSET))
KAFKA_CONTROLLER_PORT=$((9093 + OFFSET))
WEBHOOK_PORT=$((8088 + OFFSET))
HEALTH_PORT=$((8089 + OFFSET))
LB_PORT=$((8090 + OFFSET))
NGINX_PORT=$((18140 + OFFSET))
NOTIFIER_PORT=$((8092 + OFFSET))
NOTIFY_RECEIVER_PORT=$((8093 + OFFSET))
AGENT_BASE_PORT=$((8100 + OFFSET))   # agent i serves its API on 8100+i
DEMO_BASE_PORT=$((18150 + OFFSET))   # demo compile master i listens on 18150+i
JAVA_OPTS_SERVICE=(-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)

say() { printf 'quickstart: %s\n' "$*"; }
die() { printf 'quickstart: error: %s\n' "$*" >&2; exit 1; }

app_jar() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

build_if_needed() {
  local missing=0
  for m in webhook-service deploy-agent health-monitor lb-config-service; do
    [ -f "$(app_jar "$m")" ] || missing=1
  done
  [ -f "$ROOT/local-kafka/target/momentum-local-kafka-0.1.0-SNAPSHOT.jar" ] || missing=1
  [ -f "$ROOT/cli/target/momentum-cli.jar" ] || missing=1
  if notify_enabled && [ ! -f "$(app_jar notifier)" ]; then missing=1; fi
  if [ "$missing" = 1 ]; then
    say "building (first run only): ./mvnw -B -q install -DskipTests"
    (cd "$ROOT" && ./mvnw -B -q install -DskipTests)
  fi
}

ensure_tools() {
  command -v java >/dev/null && command -v javac >/dev/null || die "java (JDK 17) is not installed"
  command -v git >/dev/null || die "git is not installed"
  command -v curl >/dev/null || die "curl is not installed"
  command -v openssl >/dev/null || die "openssl is not installed"
  if ! command -v nginx >/dev/null || [ ! -f /usr/lib/nginx/modules/ngx_stream_module.so ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing nginx and its stream module (apt-get)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-stream >/dev/null
      # The package starts a system nginx; the quickstart runs its own.
      nginx -s stop 2>/dev/null || true
    else
      die "nginx is missing: run  sudo apt-get install -y nginx libnginx-mod-stream"
    fi
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_port() {
  port_free "$1" || die "port $1 ($2) is already taken on 127.0.0.1; stop what uses it (ss -ltnp 'sport = :$1') or run deploy/quickstart.sh down"
}

is_running() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

# start NAME COMMAND...: runs COMMAND in the background, logs to logs/NAME.log, remembers its PID.
start() {
  local name="$1"; shift
  if is_running "$name"; then say "$name already running"; return; fi
  # Appends, so a restart keeps what happened before it.
  nohup "$@" >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}

wait_http() { # URL WHAT [SECONDS]
  local deadline=$((SECONDS + ${3:-90}))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "$2 did not become ready ($1); see $LOGS"
    sleep 0.2
  done
}

wait_port() { # PORT WHAT [SECONDS]
  local deadline=$((SECONDS + ${3:-60}))
  until ! port_free "$1"; do
    [ $SECONDS -lt $deadline ] || die "$2 did not open port $1; see $LOGS"
    sleep 0.2
  done
}

create_layout() {
  mkdir -p "$PIDS" "$LOGS" "$STATE/kafka" "$STATE/git/modules" "$STATE/masters" "$STATE/nginx" "$STATE/state"
  if [ ! -f "$STATE/webhook-secret" ]; then
    openssl rand -hex 24 >"$STATE/webhook-secret"
    chmod 600 "$STATE/webhook-secret"
  fi
  if [ ! -f "$STATE/api-token" ]; then
    openssl rand -hex 24 >"$STATE/api-token"
    chmod 600 "$STATE/api-token"
  fi
}

# A module repository with one manifest, branch main.
create_module_repo() { # NAME
  local name="$1" bare="$STATE/git/modules/$1.git" work
  [ -d "$bare" ] && return
  work="$(mktemp -d)"
  git init -q -b main "$work"
  mkdir -p "$work/manifests"
  printf 'class %s {\n  notify { "%s from Momentum quickstart": }\n}\n' "$name" "$name" >"$work/manifests/init.pp"
  printf '{\n  "name": "demo-%s",\n  "version": "1.0.0",\n  "author": "demo",\n  "summary": "quickstart module",\n  "license": "Apache-2.0",\n  "source": "local",\n  "dependencies": []\n}\n' "$name" >"$work/metadata.json"
  git -C "$work" add -A
  git -C "$work" -c user.name=quickstart -c user.email=quickstart@localhost commit -q -m "$name 1.0.0"
  git clone -q --bare "$work" "$bare"
  rm -rf "$work"
}

create_control_repo() {
  local bare="$STATE/git/control.git" work
  [ -d "$bare" ] && return
  create_module_repo motd
  create_module_repo ntp
  work="$(mktemp -d)"
  git init -q -b production "$work"
  mkdir -p "$work/manifests"
  cat >"$work/Puppetfile" <<PUPPETFILE
# Modules from local git repositories (file URLs), the way r10k reads a Puppetfile.
mod 'motd', :git => 'file://$STATE/git/modules/motd.git', :branch => 'main'
mod 'ntp',  :git => 'file://$STATE/git/modules/ntp.git',  :branch => 'main'
PUPPETFILE
  printf 'modulepath = modules:site:$basemodulepath\n' >"$work/environment.conf"
  printf 'node default {\n  include motd\n}\n' >"$work/manifests/site.pp"
  git -C "$work" add -A
  git -C "$work" -c user.name=quickstart -c user.email=quickstart@localhost commit -q -m "production"
  git -C "$work" branch development
  git clone -q --bare "$work" "$bare"
  rm -rf "$work"
  install_post_receive_hook "$bare"
}

# The hook sends a GitHub-format push webhook, signed with the quickstart's secret, for every updated branch.
install_post_receive_hook() {
  cat >"$1/hooks/post-receive" <<HOOK
#!/usr/bin/env bash
# Benchmarks push without the hook and send the webhook themselves, to time exactly that request.
[ -n "\${MOMENTUM_HOOK_DISABLED:-}" ] && exit 0
secret="\$(cat '$STATE/webhook-secret')"
zero=0000000000000000000000000000000000000000
while read -r old new ref; do
  case "\$ref" in refs/heads/*) ;; *) continue ;; esac
  deleted=false; [ "\$new" = "\$zero" ] && deleted=true
  body=\$(printf '{"ref":"%s","before":"%s","after":"%s","created":%s,"deleted":%s,"forced":false,"repository":{"name":"control","full_name":"local/control","clone_url":"file://%s","html_url":"file://%s"},"pusher":{"name":"%s","email":"%s@localhost"},"sender":{"login":"%s"},"head_commit":{"id":"%s"},"commits":[]}' \\
    "\$ref" "\$old" "\$new" "\$([ "\$old" = "\$zero" ] && echo true || echo false)" "\$deleted" \\
    '$STATE/git/control.git' '$STATE/git/control.git' "\${USER:-quickstart}" "\${USER:-quickstart}" "\${USER:-quickstart}" "\$new")
  sig=\$(printf '%s' "\$body" | openssl dgst -sha256 -hmac "\$secret" | sed 's/^.*= //')
  code=\$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$WEBHOOK_PORT/payload" \\
    -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' \\
    -H "X-GitHub-Delivery: \$(cat /proc/sys/kernel/random/uuid)" -H "X-Hub-Signature-256: sha256=\$sig" \\
    --data-binary "\$body")
  echo "momentum: webhook for \$ref answered \$code"
done
HOOK
  chmod +x "$1/hooks/post-receive"
}

start_kafka() {
  require_port "$KAFKA_PORT" "Kafka"
  require_port "$KAFKA_CONTROLLER_PORT" "Kafka controller"
  local seen=0
  [ -f "$LOGS/kafka.log" ] && seen="$(wc -l <"$LOGS/kafka.log")"
  start kafka "$ROOT/local-kafka/run.sh" --port "$KAFKA_PORT" --controller-port "$KAFKA_CONTROLLER_PORT" \
    --data-dir "$STATE/kafka"
  local deadline=$((SECONDS + 60))
  until tail -n +$((seen + 1)) "$LOGS/kafka.log" 2>/dev/null | grep -q "local-kafka: ready"; do
    is_running kafka || die "Kafka stopped; see $LOGS/kafka.log"
    [ $SECONDS -lt $deadline ] || die "Kafka did not start; see $LOGS/kafka.log"
    sleep 0.2
  done
}

# service_cmd MODULE SYSTEM_PROPERTIES...: sets CMD to the java command line of a service.
service_cmd() {
  local module="$1"; shift
  CMD=(java "${JAVA_OPTS_SERVICE[@]}" -Dkafka.bootstrap.servers="127.0.0.1:$KAFKA_PORT"
    -Dquarkus.http.host=127.0.0.1 "$@" -jar "$(app_jar "$module")")
}

start_webhook() {
  require_port "$WEBHOOK_PORT" "webhook-service"
  # Secrets go in through the environment, not the command line (ps shows arguments).
  service_cmd webhook-service \
    -Dquarkus.http.port="$WEBHOOK_PORT" \
    -Dmomentum.sources.control.repository=local/control \
    -Dmomentum.sources.control.remote="file://$STATE/git/control.git"
  MOMENTUM_WEBHOOK_GITHUB_SECRET="$(cat "$STATE/webhook-secret")" MOMENTUM_API_TOKEN="$(cat "$STATE/api-token")" \
    start webhook-service "${CMD[@]}"
}

# The index of a master: mom is 0, cmN is N.
master_index() { case "$1" in mom) echo 0 ;; cm*) echo "${1#cm}" ;; *) die "master ids are mom or cmN (N a number): $1" ;; esac; }

# Compiled once for every master (running the source would compile it again in each one).
compile_demo() {
  local source="$ROOT/deploy/demo/DemoCompileMaster.java" class="$STATE/demo-classes/DemoCompileMaster.class"
  [ -f "$class" ] && [ "$class" -nt "$source" ] && return
  javac -d "$STATE/demo-classes" "$source" || die "could not compile $source"
}

start_master() { # ID
  local id="$1" index role=COMPILE lb_address
  index="$(master_index "$id")"
  local planner=false
  # The MoM's agent plans every request once for the whole fleet.
  [ "$id" = mom ] && role=MOM && planner=true
  local demo_port=$((DEMO_BASE_PORT + index)) agent_port=$((AGENT_BASE_PORT + index))
  # As in small fleets, the MoM compiles too and sits in the pool.
  lb_address="127.0.0.1:$demo_port"
  local dir="$STATE/masters/$id"
  mkdir -p "$dir/environments" "$dir/cache"
  require_port "$demo_port" "demo compile master $id"
  require_port "$agent_port" "deploy agent $id"
  # DEMO ONLY: stands in for Puppet Server (status API + which commit each environment has).
  compile_demo
  start "demo-$id" java -Xmx48m -XX:+UseSerialGC -cp "$STATE/demo-classes" DemoCompileMaster \
    "$demo_port" "$dir/environments" "$id"
  service_cmd deploy-agent \
    -Dquarkus.http.port="$agent_port" \
    -Dmomentum.agent.master-id="$id" \
    -Dmomentum.agent.role="$role" \
    -Dmomentum.agent.puppet-server-url="http://127.0.0.1:$demo_port" \
    -Dmomentum.agent.lb-address="$lb_address" \
    -Dmomentum.agent.heartbeat-interval=2s \
    -Dmomentum.planner.enabled="$planner" \
    -Dmomentum.planner.rollout.default="${MOMENTUM_ROLLOUT:-immediate}" \
    -Dmomentum.deploy.environments-dir="$dir/environments" \
    -Dmomentum.deploy.cache-dir="$dir/cache" \
    -Dmomentum.sources.control.repository=local/control \
    -Dmomentum.sources.control.remote="file://$STATE/git/control.git"
  start "agent-$id" "${CMD[@]}"
  echo "$id" >>"$STATE/masters.list"
  sort -u -o "$STATE/masters.list" "$STATE/masters.list"
}

start_health() {
  require_port "$HEALTH_PORT" "health-monitor"
  # Masters come from the agents' announcements; a 1 s interval makes the demo react quickly.
  local canary=()
  [ -n "${MOMENTUM_CANARY_MASTERS:-}" ] && canary=(-Dmomentum.rollout.canary.masters="$MOMENTUM_CANARY_MASTERS")
  service_cmd health-monitor \
    -Dquarkus.http.port="$HEALTH_PORT" \
    -Dmomentum.health.interval=1s \
    -Dmomentum.health.timeout=500ms \
    -Dmomentum.health.policy="${MOMENTUM_ROUTING:-serve-stale}" \
    -Dmomentum.rollout.canary.soak="${MOMENTUM_CANARY_SOAK:-20s}" \
    -Dmomentum.rollout.stage-timeout=60s \
    "${canary[@]}"
  # The same API token as the webhook's: /api/v1 of every service refuses calls without one.
  MOMENTUM_API_TOKEN="$(cat "$STATE/api-token")" start health-monitor "${CMD[@]}"
}

write_nginx_config() {
  cat >"$STATE/nginx/nginx.conf" <<NGINX
# Quickstart nginx: TCP passthrough on $NGINX_PORT to the compile masters. lb-config-service writes the
# included file (upstream + server) and reloads nginx; nothing listens until it has a routable master.
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
pid $STATE/nginx/nginx.pid;
error_log $LOGS/nginx-error.log warn;
worker_processes 1;
events { worker_connections 256; }
stream {
    include $STATE/nginx/momentum-upstream.conf;
}
NGINX
}

start_nginx() {
  require_port "$NGINX_PORT" "nginx"
  write_nginx_config
  [ -f "$STATE/nginx/momentum-upstream.conf" ] || : >"$STATE/nginx/momentum-upstream.conf"
  nginx -p "$STATE/nginx/" -c "$STATE/nginx/nginx.conf" -e "$LOGS/nginx-error.log" -t -q \
    || die "nginx rejected $STATE/nginx/nginx.conf"
  nginx -p "$STATE/nginx/" -c "$STATE/nginx/nginx.conf" -e "$LOGS/nginx-error.log"
  local deadline=$((SECONDS + 10))
  until [ -s "$STATE/nginx/nginx.pid" ]; do
    [ $SECONDS -lt $deadline ] || die "nginx did not start; see $LOGS/nginx-error.log"
    sleep 0.2
  done
  cp "$STATE/nginx/nginx.pid" "$PIDS/nginx.pid"
}

start_lb() {
  require_port "$LB_PORT" "lb-config-service"
  mkdir -p "$STATE/state/lb-config-service"
  service_cmd lb-config-service \
    -Dquarkus.http.port="$LB_PORT" \
    -Dmomentum.lb.lb-id=quickstart \
    -Dmomentum.lb.backends=nginx \
    -Dmomentum.lb.state-dir="$STATE/state/lb-config-service" \
    -Dmomentum.lb.nginx.listen="127.0.0.1:$NGINX_PORT" \
    -Dmomentum.lb.nginx.output-file="$STATE/nginx/momentum-upstream.conf" \
    -Dmomentum.lb.nginx.main-config="$STATE/nginx/nginx.conf" \
    -Dmomentum.lb.nginx.prefix="$STATE/nginx/" \
    -Dmomentum.lb.nginx.error-log="$LOGS/nginx-error.log" \
    -Dmomentum.lb.nginx.connect-timeout=2s
  MOMENTUM_API_TOKEN="$(cat "$STATE/api-token")" start lb-config-service "${CMD[@]}"
}

# ---- notifier (MOMENTUM_NOTIFY=1): the notifier with one generic webhook sink, signed with a generated secret,
# pointed at deploy/demo/DemoNotifyReceiver.java, which prints every notification and whether its signature holds.
notify_enabled() { [ "${MOMENTUM_NOTIFY:-0}" = 1 ]; }

start_notifier() {
  require_port "$NOTIFIER_PORT" "notifier"
  require_port "$NOTIFY_RECEIVER_PORT" "demo notification receiver"
  if [ ! -f "$STATE/notify-secret" ]; then
    openssl rand -hex 24 >"$STATE/notify-secret"
    chmod 600 "$STATE/notify-secret"
  fi
  # DEMO ONLY: stands in for a chat or any system that takes a webhook.
  start notify-receiver java -Xmx32m -XX:+UseSerialGC "$ROOT/deploy/demo/DemoNotifyReceiver.java" \
    "$NOTIFY_RECEIVER_PORT" "$STATE/notify-secret"
  # A short deploy timeout, so a master that never reports shows up in the demo within a minute.
  service_cmd notifier \
    -Dquarkus.http.port="$NOTIFIER_PORT" \
    -Dmomentum.notifier.deploy-timeout=60s \
    -Dmomentum.notifier.sinks.demo.type=webhook \
    -Dmomentum.notifier.sinks.demo.url="http://127.0.0.1:$NOTIFY_RECEIVER_PORT/momentum" \
    -Dmomentum.notifier.sinks.demo.secret-file="$STATE/notify-secret"
  start notifier "${CMD[@]}"
}

stop_notifier() { stop_pids notifier notify-receiver; }
# ---- end of notifier

# stop_pids NAME...: SIGTERM to all of them at once, then waits for every one to end (SIGKILL after 30 s).
stop_pids() {
  local name pid live=() still
  for name in "$@"; do
    [ -f "$PIDS/$name.pid" ] || continue
    pid="$(cat "$PIDS/$name.pid")"
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    live+=("$pid")
  done
  local deadline=$((SECONDS + 30))
  while [ ${#live[@]} -gt 0 ] && [ $SECONDS -lt $deadline ]; do
    sleep 0.1
    still=()
    for pid in "${live[@]}"; do kill -0 "$pid" 2>/dev/null && still+=("$pid"); done
    live=("${still[@]}")
  done
  for pid in "${live[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for name in "$@"; do rm -f "$PIDS/$name.pid"; done
}

stop_pid() { stop_pids "$1"; }

# "N ms after its start (M ms CPU)" of process PID: from /proc, its start time and CPU time in clock ticks.
process_age() { # PID
  awk -v hz="$(getconf CLK_TCK)" -v up="$(cut -d' ' -f1 /proc/uptime)" \
    '{sub(/^.*\) /, ""); printf "%d ms after its start (%d ms CPU)", (up - $20 / hz) * 1000, ($12 + $13) * 1000 / hz}' \
    "/proc/$1/stat"
}

# wait_ready NAME:PORT...: polls every /q/health/ready side by side and says, for each, how long after its process
# started it was first ready (the benchmark reads these lines: "NAME ready N ms after its start (M ms CPU)").
wait_ready() {
  local pending=("$@") still item name port deadline=$((SECONDS + 120))
  while [ ${#pending[@]} -gt 0 ]; do
    still=()
    for item in "${pending[@]}"; do
      name="${item%%:*}" port="${item##*:}"
      if curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; then
        say "$name ready $(process_age "$(cat "$PIDS/$name.pid")")"
      else
        is_running "$name" || die "$name stopped; see $LOGS/$name.log"
        still+=("$item")
      fi
    done
    pending=("${still[@]}")
    [ ${#pending[@]} -eq 0 ] && break
    [ $SECONDS -lt $deadline ] || die "not ready within 120 s: ${pending[*]%%:*}; see $LOGS"
    sleep 0.1
  done
}

start_all_masters() {
  local id ready=()
  for id in "$@"; do start_master "$id"; done
  for id in "$@"; do ready+=("agent-$id:$((AGENT_BASE_PORT + $(master_index "$id")))"); done
  wait_ready "${ready[@]}"
}

cmd_up() {
  local compile_masters=2
  while [ $# -gt 0 ]; do
    case "$1" in
      --masters) compile_masters="${2:?--masters needs a number}"; shift 2 ;;
      *) die "unknown option $1 (up [--masters N])" ;;
    esac
  done
  [[ "$compile_masters" =~ ^[1-9]$ ]] || die "--masters takes 1 to 9"
  ensure_tools
  local masters=(mom) i
  for i in $(seq 1 "$compile_masters"); do masters+=("cm$i"); done
  # Every port up front, so a taken one stops the start before anything runs.
  is_running kafka && die "the fleet is already up (deploy/quickstart.sh status, or down)"
  require_port "$KAFKA_PORT" "Kafka"
  require_port "$KAFKA_CONTROLLER_PORT" "Kafka controller"
  require_port "$WEBHOOK_PORT" "webhook-service"
  require_port "$HEALTH_PORT" "health-monitor"
  require_port "$LB_PORT" "lb-config-service"
  require_port "$NGINX_PORT" "nginx"
  if notify_enabled; then require_port "$NOTIFIER_PORT" "notifier"; require_port "$NOTIFY_RECEIVER_PORT" "demo notification receiver"; fi
  for i in "${masters[@]}"; do
    require_port $((DEMO_BASE_PORT + $(master_index "$i"))) "demo compile master $i"
    require_port $((AGENT_BASE_PORT + $(master_index "$i"))) "deploy agent $i"
  done
  build_if_needed
  create_layout
  create_control_repo
  say "starting Kafka on 127.0.0.1:$KAFKA_PORT"
  start_kafka
  say "starting webhook-service :$WEBHOOK_PORT, health-monitor :$HEALTH_PORT, lb-config-service :$LB_PORT"
  start_nginx
  start_webhook
  start_health
  start_lb
  wait_ready webhook-service:"$WEBHOOK_PORT" health-monitor:"$HEALTH_PORT" lb-config-service:"$LB_PORT"
  if notify_enabled; then
    say "starting the notifier :$NOTIFIER_PORT and the demo notification receiver :$NOTIFY_RECEIVER_PORT"
    start_notifier; wait_ready notifier:"$NOTIFIER_PORT"
  fi
  say "starting masters ${masters[*]} (deploy agent + demo compile master each)"
  start_all_masters "${masters[@]}"
  # First deploy of every branch, as an operator runs after installing (r10k deploy environment --modules).
  say "deploying every branch of the control repository (POST /api/v1/deploys {\"all\": true})"
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$WEBHOOK_PORT/api/v1/deploys" \
    -H "Authorization: Bearer $(cat "$STATE/api-token")" -H 'Content-Type: application/json' \
    --data '{"all": true}' || die "the webhook-service refused the first deploy; see $LOGS/webhook-service.log"
  say "waiting for the first deploy to be served through nginx on 127.0.0.1:$NGINX_PORT"
  local deadline=$((SECONDS + 120))
  until curl -fsS "http://127.0.0.1:$NGINX_PORT/code/production" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "nothing is served through nginx yet; see deploy/quickstart.sh status and $LOGS"
    sleep 0.2
  done
  cat <<DONE

Momentum is up. Everything lives in $STATE.
  control repository   git clone $STATE/git/control.git  (a push deploys it: the post-receive hook sends a signed webhook)
  through nginx        curl http://127.0.0.1:$NGINX_PORT/code/production
  status               deploy/quickstart.sh status
  command line         MOMENTUM_SERVER=http://127.0.0.1:$WEBHOOK_PORT MOMENTUM_TOKEN_FILE=$STATE/api-token deploy/bin/momentum status
  one more master      deploy/quickstart.sh add-master cm$((compile_masters + 1))
  web console          http://127.0.0.1:$WEBHOOK_PORT/console/  (log in with the token in $STATE/api-token)
  stop                 deploy/quickstart.sh down
DONE
  if notify_enabled; then
    echo "  notifications        tail -f $LOGS/notify-receiver.log"
  fi
}

cmd_add_master() { # ID...
  local id
  [ $# -gt 0 ] || die "add-master needs an id such as cm4"
  for id in "$@"; do
    [[ "$id" =~ ^cm[0-9]{1,2}$ ]] || die "compile master ids are cmN (N a number): $id"
    is_running "agent-$id" && die "$id is already running"
  done
  is_running kafka || die "the fleet is not up: deploy/quickstart.sh up"
  start_all_masters "$@"
  say "$* started: each catches up on every environment, then the health monitor lets it into the upstream"
}

cmd_restart() { # NAME [--wipe-state] | master ID
  local name="${1:?restart needs a name: kafka, webhook-service, health-monitor, lb-config-service, master ID}" wipe="${2:-}"
  case "$name" in
    master) restart_master "${2:?restart master needs an id such as cm1}" ;;
    kafka) stop_pid kafka; start_kafka ;;
    webhook-service) stop_pid "$name"; start_webhook; wait_ready "$name:$WEBHOOK_PORT" ;;
    health-monitor)
      stop_pid "$name"
      [ "$wipe" = --wipe-state ] && rm -rf "$STATE/state/health-monitor"
      start_health; wait_ready "$name:$HEALTH_PORT" ;;
    lb-config-service)
      stop_pid "$name"
      [ "$wipe" = --wipe-state ] && rm -rf "$STATE/state/lb-config-service"
      start_lb; wait_ready "$name:$LB_PORT" ;;
    notifier) stop_notifier; start_notifier; wait_ready "$name:$NOTIFIER_PORT" ;;
    *) die "cannot restart $name" ;;
  esac
}

# A master this fleet started (up or add-master), whether its processes still run or not.
require_master() { # ID
  master_index "$1" >/dev/null
  [ -f "$STATE/masters.list" ] || die "no masters in $STATE: deploy/quickstart.sh up"
  grep -qx -- "$1" "$STATE/masters.list" \
    || die "no master $1 in this fleet (masters: $(paste -sd' ' "$STATE/masters.list"))"
}

# Stops what is left of the master (after a crash: nothing, or only one of the two) and starts both again; its
# environments and git cache stay, so the agent resumes from its committed offsets and catches up.
restart_master() { # ID
  local id="$1"
  require_master "$id"
  is_running kafka || die "the fleet is not up: deploy/quickstart.sh up"
  stop_pid "agent-$id"
  stop_pid "demo-$id"
  start_all_masters "$id"
  say "$id restarted: it catches up on every environment, then the health monitor lets it into the upstream"
}

cmd_kill() { # TARGET [--signal KILL|TERM]
  local target="${1:?kill needs a master id (its agent), kafka, webhook-service, health-monitor or lb-config-service}"
  local signal=KILL name pid
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --signal) signal="${2:?--signal needs KILL or TERM}"; shift 2 ;;
      *) die "unknown option $1 (kill TARGET [--signal KILL|TERM])" ;;
    esac
  done
  [[ "$signal" =~ ^(KILL|TERM)$ ]] || die "--signal takes KILL or TERM, not $signal"
  case "$target" in
    kafka|webhook-service|health-monitor|lb-config-service|notifier) name="$target" ;;
    mom|cm*) require_master "$target"; name="agent-$target" ;;
    *) die "cannot kill $target: a master id (mom, cmN), kafka, webhook-service, health-monitor or lb-config-service" ;;
  esac
  is_running "$name" || die "$name is not running"
  pid="$(cat "$PIDS/$name.pid")"
  kill -"$signal" "$pid"
  # The PID file stays, as a crash leaves it; start and restart see that the process is gone.
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && die "$name (PID $pid) still runs 30 s after SIG$signal"
  say "$name (PID $pid) ended by SIG$signal"
}

cmd_fault() { # master ID down|hang|ok | git unreachable|ok
  local what="${1:?fault needs: master ID down|hang|ok, or git unreachable|ok}"
  case "$what" in
    master)
      local id="${2:?fault master needs an id}" mode="${3:?fault master ID needs down, hang or ok}" dir
      require_master "$id"
      dir="$STATE/masters/$id"
      case "$mode" in
        down) rm -f "$dir/demo-hang"; echo fault >"$dir/demo-down" ;;
        hang) rm -f "$dir/demo-down"; echo fault >"$dir/demo-hang" ;;
        ok) rm -f "$dir/demo-down" "$dir/demo-hang" ;;
        *) die "fault master $id takes down, hang or ok, not $mode" ;;
      esac
      say "demo Puppet Server of $id: $mode" ;;
    git)
      local mode="${2:?fault git needs unreachable or ok}"
      case "$mode" in
        unreachable)
          [ -d "$STATE/git-unreachable" ] && { say "git remotes already unreachable"; return; }
          [ -d "$STATE/git" ] || die "no git repositories in $STATE: deploy/quickstart.sh up"
          mv -- "$STATE/git" "$STATE/git-unreachable" ;;
        ok)
          [ -d "$STATE/git-unreachable" ] || { say "git remotes already reachable"; return; }
          [ -d "$STATE/git" ] && die "both $STATE/git and $STATE/git-unreachable exist; keep one"
          mv -- "$STATE/git-unreachable" "$STATE/git" ;;
        *) die "fault git takes unreachable or ok, not $mode" ;;
      esac
      say "git remotes under $STATE/git: $mode" ;;
    *) die "fault takes master ID down|hang|ok, or git unreachable|ok; not $what" ;;
  esac
}

cmd_down() {
  local name stopping=()
  if [ -f "$STATE/masters.list" ]; then
    while read -r name; do stopping+=("agent-$name" "demo-$name"); done <"$STATE/masters.list"
  fi
  # The services and masters shut down side by side, each on its own; Kafka goes last, so they leave it cleanly.
  stop_pids "${stopping[@]}" notifier notify-receiver lb-config-service health-monitor webhook-service
  rm -f "$STATE/masters.list"
  if [ -f "$PIDS/nginx.pid" ] && kill -0 "$(cat "$PIDS/nginx.pid")" 2>/dev/null; then
    nginx -p "$STATE/nginx/" -c "$STATE/nginx/nginx.conf" -e "$LOGS/nginx-error.log" -s quit 2>/dev/null || true
    # Half a second for the graceful quit; stop_pid ends what is left of it.
    local pid
    pid="$(cat "$PIDS/nginx.pid")"
    for _ in 1 2 3 4 5; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  stop_pid nginx
  stop_pid kafka
  say "stopped (state kept in $STATE; delete it for a fresh start)"
}

api_get() { curl -fsS -H "Authorization: Bearer $(cat "$STATE/api-token" 2>/dev/null)" "$1" 2>/dev/null || true; }

cmd_status() {
  [ -d "$STATE" ] || die "nothing here yet: deploy/quickstart.sh up"
  local environments masters backends
  environments="$(api_get "http://127.0.0.1:$WEBHOOK_PORT/api/v1/environments")"
  masters="$(api_get "http://127.0.0.1:$HEALTH_PORT/api/v1/masters")"
  backends="$(api_get "http://127.0.0.1:$LB_PORT/api/v1/backends")"
  ENVIRONMENTS="$environments" MASTERS="$masters" BACKENDS="$backends" java -cp "$ROOT/local-kafka/target/lib/*" "$ROOT/deploy/StatusTable.java"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  add-master) shift; cmd_add_master "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  kill) shift; cmd_kill "$@" ;;
  fault) shift; cmd_fault "$@" ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
