#!/usr/bin/env bash
# Benchmarks Momentum with one command. Generates its own inputs (control repositories, a local fleet) and removes
# them afterwards; prints one table per case and writes everything it prints to bench/results/<UTC timestamp>.txt.
#
#   bench/run.sh           full run (about 12 minutes on 2 cores)
#   bench/run.sh --quick   smaller: 3x20 deploys without r10k-shellgit, fewer rounds and samples (about 3.5 minutes)
#
# Cases:
#   1. deploy engines: native (JGit) vs g10k vs r10k (rugged, shellgit) on generated control repositories: 3
#      environments x 20 git modules, and a real site's size (full run only): 30 x 300 modules (git on branches and
#      tags, Forge releases from a local Forge) with 1,000 hiera files; cold, no-change, one environment, one module
#   2. push to consistent: signed webhook until every master of a local fleet deployed the commit, at 3 masters
#      and scaled out to 10 (quickstart.sh add-master), with where the time goes and CPU per push
#   3. webhook intake: signed GitHub pushes per second at saturation (acks=all): webhook-service alone with an
#      embedded broker (WebhookLoadBench, 32 and 256 in flight, CPU per push), and the fleet's webhook-service
#      while its agents consume the requests
#   4. load balancer: MasterStatus on the topic -> nginx / HAProxy serving it; and a fleet master failing and
#      recovering -> nginx (health-monitor + lb-config-service end to end)
#   5. memory: peak RSS (VmHWM) of every process of the fleet at the end (11 masters)
#   6. mixed serving: continuous pushes while clients request through nginx; requests that got older code than an
#      earlier request (regressions) and the switch spread, for immediate, fleet and fleet + strict rollouts
#   7. start-up: process start to ready of each service and agent; a fresh master's catch-up of 30 environments
#
# Maven runs as ./mvnw -B -q: pass more flags through MAVEN_ARGS (MAVEN_ARGS=-o to stay offline). The fleet uses
# port offset BENCH_PORT_OFFSET (default 2000: Kafka 11092, webhook 10088, nginx 20140, ...). Needs JDK 17, git,
# nginx with the stream module, HAProxy, g10k and r10k (with ruby-rugged); .ci/run installs them.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
QUICK=0
case "${1:-}" in
  --quick) QUICK=1 ;;
  "") ;;
  -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "bench: unknown option $1 (--quick)" >&2; exit 2 ;;
esac

OFFSET="${BENCH_PORT_OFFSET:-2000}"
WEBHOOK_URL="http://127.0.0.1:$((8088 + OFFSET))"
NGINX_PORT=$((18140 + OFFSET))
BUDGET=870 # seconds; a full run must stay under 15 minutes
if [ "$QUICK" = 1 ]; then
  MODE=quick; LB_SAMPLES=10; PUSHES=10; INTAKE_REQUESTS=1000; FAILOVER_CYCLES=1; MIXED_PUSHES=8
else
  MODE=full; LB_SAMPLES=20; PUSHES=50; INTAKE_REQUESTS=5000; FAILOVER_CYCLES=2; MIXED_PUSHES=12
fi
CATCH_UP_ENVIRONMENTS=30
INTAKE_CONCURRENCY=32

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$ROOT/bench/results"
RESULT="$ROOT/bench/results/$STAMP.txt"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/momentum-bench.XXXXXX")"
LOGS="$WORK/logs"
FLEET="$WORK/fleet"
mkdir -p "$LOGS"
FLEET_UP=0
OK=0

exec > >(tee -a "$RESULT") 2>&1
TEE_PID=$!

fleet() { MOMENTUM_LOCAL_DIR="$FLEET" MOMENTUM_PORT_OFFSET="$OFFSET" "$ROOT/deploy/quickstart.sh" "$@"; }

cleanup() {
  local code=$?
  if [ "$FLEET_UP" = 1 ]; then
    fleet down >>"$LOGS/quickstart.log" 2>&1 || echo "bench: quickstart down failed; see $LOGS/quickstart.log"
    FLEET_UP=0
  fi
  if [ "$OK" = 1 ]; then
    rm -rf "$WORK"
  else
    echo "bench: FAILED (exit $code); logs kept in $LOGS"
  fi
  exec 1>&- 2>&-
  wait "$TEE_PID" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

START=$SECONDS
say() { printf '%s\n' "$*"; }
die() { say "bench: error: $*"; exit 1; }
elapsed() { echo $((SECONDS - START)); }
load() { cut -d' ' -f1-3 /proc/loadavg; }
section() { printf '\n== %s  [t=%ds, load average %s]\n' "$*" "$(elapsed)" "$(load)"; }
# fail_with LOG MESSAGE: the end of a log, then stop.
fail_with() { say "--- last lines of $1"; tail -n 40 "$1" | sed 's/^/  /'; die "$2"; }

for tool in java git curl nginx haproxy g10k r10k; do
  command -v "$tool" >/dev/null || die "$tool is not installed (.ci/run installs what the benchmarks need)"
done

say "Momentum benchmark ($MODE run), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(java -version 2>&1 | head -n 1)"
say "Other work on this machine (tests, other fleets) shows up in these numbers: each section prints the load average."
say "results: $RESULT"

# ---------------------------------------------------------------------------------------------------------------
section "build; case 4a: MasterStatus on the topic -> load balancer serving it; case 3a: webhook-service alone"
say "one Maven run: packages what the fleet runs (so it never measures a stale build), writes deploy-agent's test"
say "classpath, and runs two @QuarkusTest"
say "benchmarks with an embedded Kafka broker: lb-config-service's TopicToServingBench (one application per load"
say "balancer, the real nginx / HAProxy) and webhook-service's WebhookLoadBench"
MAVEN_LOG="$LOGS/maven-benchmarks.log"
if ! "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -pl deploy-agent,lb-config-service,webhook-service,health-monitor,notifier,local-kafka -am package \
    -Dtest='TopicToServingBench*,WebhookLoadBench' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.samples="$LB_SAMPLES" -Dbench.requests="$INTAKE_REQUESTS" -Dbench.concurrency="$INTAKE_CONCURRENCY" \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt \
    >"$MAVEN_LOG" 2>&1; then
  fail_with "$MAVEN_LOG" "the build, TopicToServingBench or WebhookLoadBench failed"
fi
[ -s "$ROOT/deploy-agent/target/bench-classpath.txt" ] || fail_with "$MAVEN_LOG" "no deploy-agent test classpath"
grep -q '^BENCH topic-to-serving' "$MAVEN_LOG" || fail_with "$MAVEN_LOG" "TopicToServingBench printed no result"
grep -q '^\[bench measured\]' "$MAVEN_LOG" || fail_with "$MAVEN_LOG" "WebhookLoadBench printed no result"
say
say "case 4a: time from publishing a MasterStatus change (cm2 not routable / routable again, 2 masters) until"
say "traffic through the load balancer follows it; includes lb-config-service's 500 ms debounce (production default)"
printf '%-9s %7s %7s %7s %7s %7s   %s\n' "lb" "samples" "min" "median" "p99" "max" "(ms)"
LB_SUMMARY=()
while read -r line; do
  lb=$(sed -E 's/.* lb=([a-z]+) .*/\1/' <<<"$line")
  read -r n mn md p99 mx < <(sed -E 's/.* samples=([0-9]+) min=([0-9]+) median=([0-9]+) p99=([0-9]+) max=([0-9]+) .*/\1 \2 \3 \4 \5/' <<<"$line")
  detail=$(sed -E 's/.*\(ms; (.*)\)$/\1/' <<<"$line")
  printf '%-9s %7s %7s %7s %7s %7s   %s\n' "$lb" "$n" "$mn" "$md" "$p99" "$mx" "$detail"
  LB_SUMMARY+=("$lb median $md ms, p99 $p99 ms")
done < <(grep '^BENCH topic-to-serving' "$MAVEN_LOG" | sort)

# ---------------------------------------------------------------------------------------------------------------
section "local fleet for cases 2-7 (deploy/quickstart.sh up, port offset $OFFSET, state in $FLEET)"
FLEET_START=$SECONDS
FLEET_UP=1
fleet up >"$LOGS/quickstart.log" 2>&1 || fail_with "$LOGS/quickstart.log" "the fleet did not start"
say "Kafka, webhook-service, health-monitor, lb-config-service, nginx, 3 masters (mom, cm1, cm2: deploy agent +"
say "demo compile master each): up and first deploy served through nginx in $((SECONDS - FLEET_START)) s"
cp "$LOGS/quickstart.log" "$LOGS/startup-up.log"

# cpu_snapshot FILE: CPU time (ms) of every process of the fleet, one "name ms" line each.
cpu_snapshot() {
  local f
  for f in "$FLEET"/pids/*.pid; do
    awk -v n="$(basename "$f" .pid)" -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); print n, ($12 + $13) * 1000 / hz}' \
      "/proc/$(cat "$f")/stat" 2>/dev/null || true
  done >"$1"
}
# cpu_per_push BEFORE AFTER PUSHES: the fleet's CPU time per push between two snapshots, by kind of process.
cpu_per_push() {
  join <(sort "$1") <(sort "$2") | awk -v n="$3" '
    {d = ($3 - $2) / n; t += d
     if ($1 ~ /^agent-/) {a += d; na++; if ($1 == "agent-mom") m = d} else if ($1 ~ /^demo-/) {p += d} else k[$1] = d}
    END {printf "%d ms: %d agents %d (the MoM'"'"'s, with the planner, %d), kafka %d, webhook-service %d, health-monitor %d, lb-config-service %d, demo masters %d",
         t, na, a, m, k["kafka"], k["webhook-service"], k["health-monitor"], k["lb-config-service"], p}'
}
# cpu_rate BEFORE AFTER MS: the fleet's CPU time per second between two snapshots MS apart.
cpu_rate() { join <(sort "$1") <(sort "$2") | awk -v ms="$3" '{t += $3 - $2} END {printf "%d", t * 1000 / ms}'; }
# push_to_consistent MASTERS PUSHES: case 2 on the fleet as it is; one table row, and the hops and CPU below it.
PUSH_ROWS=()
PUSH_SUMMARY=()
push_to_consistent() {
  local masters="$1" pushes="$2" log="$LOGS/push-$1.log" line n mn md p99 mx cpu
  local t0 t1 t2
  cpu_snapshot "$WORK/cpu-idle0"; t0=$(date +%s%3N)
  sleep 2
  cpu_snapshot "$WORK/cpu-before"; t1=$(date +%s%3N)
  java "$ROOT/bench/PushToConsistent.java" "$FLEET" "$pushes" "$WEBHOOK_URL" "$masters" >"$log" 2>&1 \
    || fail_with "$log" "PushToConsistent ($masters masters) failed"
  cpu_snapshot "$WORK/cpu-after"; t2=$(date +%s%3N)
  line=$(grep '^push-to-consistent' "$log") || fail_with "$log" "PushToConsistent printed no result"
  read -r n mn md p99 mx warm < <(sed -E 's/.*pushes=([0-9]+) +min=([0-9]+) ms +median=([0-9]+) ms +p99=([0-9]+) ms +max=([0-9]+) ms +warm-ups=([0-9]+).*/\1 \2 \3 \4 \5 \6/' <<<"$line")
  cpu=$(cpu_per_push "$WORK/cpu-before" "$WORK/cpu-after" $((n + warm)))
  printf '%-8s %7s %7s %7s %7s %7s   %s\n' "masters" "pushes" "min" "median" "p99" "max" "(ms)"
  printf '%-8s %7s %7s %7s %7s %7s   load average %s\n' "$masters" "$n" "$mn" "$md" "$p99" "$mx" "$(load)"
  sed -n 's/^hops /  hops /p' "$log"
  say "  CPU per push (every process of the fleet, the bench's polling of the webhook's API included): $cpu"
  say "  the same fleet idle, the 2 s before: $(cpu_rate "$WORK/cpu-idle0" "$WORK/cpu-before" $((t1 - t0))) ms CPU per second; pushes took $(((t2 - t1) / (n + warm))) ms each"
  PUSH_SUMMARY+=("$masters masters: median $md ms, p99 $p99 ms ($n pushes, load $(load | cut -d' ' -f1))")
}
# ready_times LOG: "name ms cpu" for every "NAME ready N ms after its start (M ms CPU)" line quickstart wrote.
ready_times() { sed -nE 's/^quickstart: ([a-z0-9-]+) ready ([0-9]+) ms after its start \(([0-9]+) ms CPU\).*/\1 \2 \3/p' "$1"; }
# await_agents_ready ID...: until each agent's own API says READY (it has every environment at its plan).
await_agents_ready() {
  local id deadline=$((SECONDS + 120))
  for id in "$@"; do
    until curl -fsS "http://127.0.0.1:$((8100 + OFFSET + ${id#cm}))/api/v1/agent" 2>/dev/null | grep -q '"state":"READY"'; do
      [ $SECONDS -lt $deadline ] || die "agent $id is not READY within 120 s"
      sleep 0.2
    done
  done
}

section "case 2: push to consistent, 3 masters"
say "$PUSHES pushes after a warm-up: commit + git push to the fleet's control repository, then from the signed GitHub"
say "webhook POST until GET /api/v1/deploys/<id> says every READY master reported SUCCEEDED (and all of them did)."
say "hops, along the master that finished last: intake (POST -> requestedAt), plan (-> plannedAt), pickup (-> that"
say "master starts its deploy), deploy (its durationMs), report (its result -> the webhook's API says complete)"
push_to_consistent 3 "$PUSHES"

section "case 3: webhook intake at saturation"
say "signed GitHub push webhooks, a new delivery id each, $INTAKE_CONCURRENCY in flight, after a warm-up; the service answers"
say "202 only after Kafka acknowledged the DeployRequest (acks=all, idempotent producer)"
say "  alone: webhook-service's WebhookLoadBench (@QuarkusTest, embedded broker, 50 branches), from the Maven run above"
say "  fleet: bench/WebhookLoad.java against the fleet's webhook-service (one branch); the fleet's 3 deploy agents"
say "         consume the requests meanwhile on the same 2 cores (in production they run on other hosts)"
java "$ROOT/bench/WebhookLoad.java" "$FLEET" "$WEBHOOK_URL" "$INTAKE_REQUESTS" "$INTAKE_CONCURRENCY" \
  >"$LOGS/intake.log" 2>&1 || fail_with "$LOGS/intake.log" "WebhookLoad failed"
line=$(grep '^webhook-intake ' "$LOGS/intake.log") || fail_with "$LOGS/intake.log" "WebhookLoad printed no result"
read -r n c bad rate mn md p99 mx < <(sed -E 's/.*requests=([0-9]+) +concurrency=([0-9]+) +not202=([0-9]+) +rate=([0-9]+)\/s +min=([0-9.]+) ms +median=([0-9.]+) ms +p99=([0-9.]+) ms +max=([0-9.]+) ms.*/\1 \2 \3 \4 \5 \6 \7 \8/' <<<"$line")
intake_alone() { # LABEL: the WebhookLoadBench line of that run, as fields
  sed -E 's/.*\] ([0-9]+) signed GitHub pushes, ([0-9]+) in flight, ([0-9]+) not 202: ([0-9]+) pushes\/s; latency p50 ([0-9.]+) ms, p99 ([0-9.]+) ms, max ([0-9.]+) ms; ([0-9.]+) ms CPU per push.*/\1 \2 \3 \4 \5 \6 \7 \8/' \
    <<<"$(grep "^\[bench $1\]" "$MAVEN_LOG")"
}
read -r an ac abad arate amd ap99 amx acpu < <(intake_alone measured)
read -r hn hc hbad hrate hmd hp99 hmx hcpu < <(intake_alone "measured high")
printf '%-6s %9s %9s %8s %9s %7s %7s %7s %7s   %s\n' "" "requests" "in-flight" "not-202" "pushes/s" "min" "median" "p99" "max" "(ms)"
printf '%-6s %9s %9s %8s %9s %7s %7s %7s %7s\n' "alone" "$an" "$ac" "$abad" "$arate" "-" "$amd" "$ap99" "$amx"
printf '%-6s %9s %9s %8s %9s %7s %7s %7s %7s\n' "alone" "$hn" "$hc" "$hbad" "$hrate" "-" "$hmd" "$hp99" "$hmx"
printf '%-6s %9s %9s %8s %9s %7s %7s %7s %7s\n' "fleet" "$n" "$c" "$bad" "$rate" "$mn" "$md" "$p99" "$mx"
grep '^  not 202' "$LOGS/intake.log" || true
say "alone: CPU time of the whole test JVM (load generator, service and broker) per push: $acpu ms at $ac in flight,"
say "$hcpu ms at $hc in flight; by thread role:"
grep '^\[bench measured.* cpu\]' "$MAVEN_LOG" | sed 's/^/  /'
INTAKE_SUMMARY="alone $arate pushes/s, p99 $ap99 ms ($hrate/s, p99 $hp99 ms at $hc in flight); whole fleet on this machine $rate pushes/s, p99 $p99 ms ($c in flight)"

section "case 4b: a fleet master fails and recovers -> nginx"
say "touch / remove <fleet>/masters/<cm2, cm1 in turn>/demo-down (its status answers 503), $FAILOVER_CYCLES time(s); until"
say "requests through nginx stop / start reaching that master: health-monitor (1 s interval, fall 3, rise 2 in the"
say "quickstart) + lb-config-service (500 ms debounce, nginx -t, reload). At most 2 cycles per master: after 6 health"
say "changes within 5 minutes the health monitor holds a master out for 2 minutes (flap damping)."
java "$ROOT/bench/MasterFailover.java" "$FLEET" "$NGINX_PORT" cm2,cm1 "$FAILOVER_CYCLES" >"$LOGS/failover.log" 2>&1 \
  || fail_with "$LOGS/failover.log" "MasterFailover failed"
line=$(grep '^master-failover' "$LOGS/failover.log") || fail_with "$LOGS/failover.log" "MasterFailover printed no result"
read -r omn omd omx bmn bmd bmx failed < <(sed -E 's/.*out: min=([0-9]+) median=([0-9]+) max=([0-9]+) ms +back: min=([0-9]+) median=([0-9]+) max=([0-9]+) ms +failed-requests=([0-9]+).*/\1 \2 \3 \4 \5 \6 \7/' <<<"$line")
printf '%-16s %7s %7s %7s   %s\n' "master" "min" "median" "max" "(ms)"
printf '%-16s %7s %7s %7s\n' "status 503->out" "$omn" "$omd" "$omx"
printf '%-16s %7s %7s %7s\n' "status 200->back" "$bmn" "$bmd" "$bmx"
say "requests through nginx that failed meanwhile: $failed"
FAILOVER_SUMMARY="out in $omd ms, back in $bmd ms (medians), $failed failed requests"

section "case 6: mixed serving during continuous pushes (the headline: agents never get old code after new)"
say "$MIXED_PUSHES pushes to production, one every 1.5 s, while 4 clients request /code/production through nginx on a new"
say "connection each and record which commit and which master answered. regressions = requests answered with an"
say "older commit than one an earlier request had already been answered with; spread = per push, first to last"
say "master seen serving it. Three fleet settings, switched with quickstart restarts between the runs:"
say "  immediate       each master switches when its deploy is done (the default)"
say "  fleet           every ready master stages the plan, one activation switches them together"
say "  fleet + strict  the same, and health-monitor routes only masters at the desired plan"
printf '%-16s %9s %12s %9s %9s %9s   %s\n' "rollout" "requests" "regressions" "spread50" "spread99" "max" "(ms)"
MIXED_SUMMARY=()
mixed() { # LABEL
  java "$ROOT/bench/MixedServing.java" "$FLEET" "$MIXED_PUSHES" "127.0.0.1:$NGINX_PORT" 1500 4 >"$LOGS/mixed-$1.log" 2>&1 \
    || fail_with "$LOGS/mixed-$1.log" "MixedServing ($1) failed"
  line=$(grep '^mixed-serving' "$LOGS/mixed-$1.log") || fail_with "$LOGS/mixed-$1.log" "MixedServing printed no result"
  read -r req reg pct s50 s99 smx < <(sed -E 's/.*requests=([0-9]+) .*regressions=([0-9]+) \(([0-9.]+)%\) +spread median=(-?[0-9]+) ms p99=(-?[0-9]+) ms max=(-?[0-9]+) ms.*/\1 \2 \3 \4 \5 \6/' <<<"$line")
  printf '%-16s %9s %12s %9s %9s %9s\n' "$1" "$req" "$reg ($pct%)" "$s50" "$s99" "$smx"
  MIXED_SUMMARY+=("$1: $reg of $req requests regressed ($pct%), spread median $s50 ms")
}
mixed immediate
MOMENTUM_ROLLOUT=fleet fleet restart master mom >>"$LOGS/quickstart.log" 2>&1 \
  || fail_with "$LOGS/quickstart.log" "restarting the MoM's agent with fleet rollouts failed"
mixed fleet
MOMENTUM_ROUTING=strict fleet restart health-monitor >>"$LOGS/quickstart.log" 2>&1 \
  || fail_with "$LOGS/quickstart.log" "restarting health-monitor with strict routing failed"
mixed fleet+strict

section "case 7a: start-up, each service restarted alone (and back to immediate rollouts, serve-stale routing)"
say "process start -> its /q/health/ready first answers 200 (polled every 0.1 s by quickstart), and the CPU time the"
say "process had used by then (load-independent). cold = the same during 'quickstart up' above, Kafka's services"
say "starting side by side, then the 3 agents side by side. The agent is the MoM's (planner on); the catch-up below"
say "shows a compile master's."
: >"$LOGS/startup-restart.log"
for target in "master mom" health-monitor webhook-service lb-config-service; do
  # shellcheck disable=SC2086 # two words for a master
  fleet restart $target >>"$LOGS/startup-restart.log" 2>&1 \
    || fail_with "$LOGS/startup-restart.log" "restarting $target failed"
done
declare -A COLD_MS=() COLD_CPU=()
while read -r name ms cpu; do COLD_MS[$name]=$ms; COLD_CPU[$name]=$cpu; done < <(ready_times "$LOGS/startup-up.log")
printf '%-18s %12s %12s %12s %12s\n' "process" "alone ms" "alone CPU" "cold ms" "cold CPU"
STARTUP_SUMMARY=()
while read -r name ms cpu; do
  printf '%-18s %12s %12s %12s %12s\n' "$name" "$ms" "$cpu" "${COLD_MS[$name]:--}" "${COLD_CPU[$name]:--}"
  STARTUP_SUMMARY+=("${name/agent-mom/agent (MoM)} $(awk -v m="$ms" 'BEGIN {printf "%.1f", m / 1000}') s")
done < <(ready_times "$LOGS/startup-restart.log")

section "case 2: push to consistent, scaling out to 10 masters (quickstart.sh add-master)"
# A step at 6 masters (3 added, 20 pushes) cost about 110 s of the 15 minutes under load: 3 and 10 show the scaling.
ADDED=(cm3 cm4 cm5 cm6 cm7 cm8 cm9)
say "7 compile masters added side by side (each an agent, -Xmx256m, and a demo Puppet Server, -Xmx48m), then, once"
say "every agent is READY, push to consistent as above, $PUSHES pushes"
fleet add-master "${ADDED[@]}" >>"$LOGS/add-masters.log" 2>&1 || fail_with "$LOGS/add-masters.log" "add-master ${ADDED[*]} failed"
await_agents_ready "${ADDED[@]}"
say "added ${ADDED[*]}: agents ready $(ready_times "$LOGS/add-masters.log" | awk '{printf "%s%.1f", (NR > 1 ? "/" : ""), $2 / 1000}') s after their start (started together)"
push_to_consistent 10 "$PUSHES"

section "case 7b: catch-up: a fresh master (empty disk) joins a fleet of 10 with $CATCH_UP_ENVIRONMENTS environments"
say "first the control repository gets $((CATCH_UP_ENVIRONMENTS - 2)) more branches and one full sync deploys all $CATCH_UP_ENVIRONMENTS environments on the"
say "10 masters; then quickstart.sh add-master cm10, timed from its agent's process start until /q/health/ready"
say "(ready) and until its own API says READY with all $CATCH_UP_ENVIRONMENTS environments deployed (joined)"
java "$ROOT/bench/CatchUp.java" prepare "$FLEET" "$CATCH_UP_ENVIRONMENTS" "$WEBHOOK_URL" >"$LOGS/catch-up.log" 2>&1 \
  || fail_with "$LOGS/catch-up.log" "CatchUp prepare failed"
sync_ms=$(sed -nE 's/^full-sync .* ms=([0-9]+).*/\1/p' "$LOGS/catch-up.log")
say "full sync of $CATCH_UP_ENVIRONMENTS environments ($((CATCH_UP_ENVIRONMENTS - 2)) new) on 10 masters: $sync_ms ms (load average $(load))"
java "$ROOT/bench/CatchUp.java" join "$FLEET" cm10 $((8110 + OFFSET)) "$CATCH_UP_ENVIRONMENTS" >>"$LOGS/catch-up.log" 2>&1 &
join_pid=$!
fleet add-master cm10 >>"$LOGS/add-masters.log" 2>&1 || fail_with "$LOGS/add-masters.log" "add-master cm10 failed"
wait "$join_pid" || fail_with "$LOGS/catch-up.log" "CatchUp join failed"
read -r ready_ms joined_ms < <(sed -nE 's/^catch-up .* ready=([0-9]+) ms joined=([0-9]+) ms.*/\1 \2/p' "$LOGS/catch-up.log")
joined_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / hz}' "/proc/$(cat "$FLEET/pids/agent-cm10.pid")/stat")
printf '%-10s %12s %12s %12s   %s\n' "master" "environments" "ready ms" "joined ms" "(CPU when measured: $joined_cpu ms)"
printf '%-10s %12s %12s %12s   load average %s\n' "cm10" "$CATCH_UP_ENVIRONMENTS" "$ready_ms" "$joined_ms" "$(load)"
CATCH_UP_SUMMARY="fresh agent ready in $(awk -v m="$ready_ms" 'BEGIN {printf "%.1f", m / 1000}') s, all $CATCH_UP_ENVIRONMENTS environments deployed and READY $(awk -v m="$joined_ms" 'BEGIN {printf "%.1f", m / 1000}') s after its start; full sync of $CATCH_UP_ENVIRONMENTS environments on 10 masters $sync_ms ms"

section "case 5: peak memory of the fleet's processes after cases 2-4, 6 and 7 (11 masters)"
say "VmHWM (peak resident set) and VmRSS from /proc/<pid>/status; services and agents run with -Xmx256m"
say "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 (quickstart's settings), demo Puppet Servers with -Xmx48m, Kafka with"
say "-Xmx512m. Target: every Momentum service under 256 MiB (Kafka and the demo masters are not Momentum's)."
printf '%-18s %8s %12s %12s\n' "process" "pid" "peak MiB" "now MiB"
MEM_SUMMARY=()
total=0
agents_max=0
demo_max=0
over=()
for pidfile in "$FLEET"/pids/kafka.pid "$FLEET"/pids/webhook-service.pid "$FLEET"/pids/health-monitor.pid \
    "$FLEET"/pids/lb-config-service.pid $(ls "$FLEET"/pids/agent-*.pid | sort -V) $(ls "$FLEET"/pids/demo-*.pid | sort -V); do
  name=$(basename "$pidfile" .pid)
  pid=$(cat "$pidfile")
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ] || die "$name (pid $pid) is not a running java process"
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  total=$((total + hwm))
  printf '%-18s %8s %12d %12d\n' "$name" "$pid" $((hwm / 1024)) $((rss / 1024))
  case "$name" in
    agent-*) [ $((hwm / 1024)) -gt "$agents_max" ] && agents_max=$((hwm / 1024)) ;;
    demo-*) [ $((hwm / 1024)) -gt "$demo_max" ] && demo_max=$((hwm / 1024)) ;;
    *) MEM_SUMMARY+=("$name $((hwm / 1024))") ;;
  esac
  case "$name" in kafka|demo-*) ;; *) [ $((hwm / 1024)) -lt 256 ] || over+=("$name") ;; esac
done
printf '%-18s %8s %12d\n' "sum of peaks" "" $((total / 1024))
MEM_SUMMARY+=("agents (11) at most $agents_max" "demo masters at most $demo_max")
if [ "${#over[@]}" -gt 0 ]; then
  say "OVER 256 MiB: ${over[*]}"
  MEM_SUMMARY+=("over 256 MiB: ${over[*]}")
else
  MEM_SUMMARY+=("every Momentum service under 256 MiB")
fi

fleet down >>"$LOGS/quickstart.log" 2>&1 || say "bench: quickstart down failed; see $LOGS/quickstart.log"
FLEET_UP=0
FLEET_SECONDS=$((SECONDS - FLEET_START))
say
say "fleet cases (2-7) took $FLEET_SECONDS s"

# ---------------------------------------------------------------------------------------------------------------
CP="$ROOT/deploy-agent/target/classes:$ROOT/deploy-agent/target/test-classes:$(cat "$ROOT/deploy-agent/target/bench-classpath.txt")"
# engine_bench NAME ARGS...: DeployEngineBench's own output (rounds and tables) is printed; its logging goes to a file.
engine_bench() {
  local name="$1"; shift
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" io.momentum.agent.bench.DeployEngineBench \
    "$@" 2>"$LOGS/$name.err" | tee "$LOGS/$name.log" || fail_with "$LOGS/$name.err" "DeployEngineBench $* failed"
}
# median_sum LOG ENGINE: seconds of one round of ENGINE (sum of its medians over the four cases).
median_sum() { awk -v e="$2" '$1 == e && NF >= 5 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+\.[0-9]+$/ {s += $4} END {printf "%.1f", s}' "$1"; }
# cold_summary LOG: the cold-case medians as "native 1.1 s, g10k 5.0 s (4.6x slower), ...".
cold_summary() {
  awk '/^case cold/ {on = 1; next} on && /^engine/ {next} on && NF == 0 {on = 0}
       on {r = ""; for (i = 6; i <= NF; i++) r = r (i > 6 ? " " : "") $i
           printf "%s%s %.2f s%s", (n++ ? ", " : ""), $1, $4, (r == "-" ? "" : " (" r ")")}' "$1"
}

section "case 1: deploy engines, 3 environments x 20 git modules"
say "native = deploy-agent's JGit backend (environments in parallel, as the agent does); g10k and r10k run the way"
say "operators run them (one call for all environments, one environment, or one module). Every module is a local"
say "file:// git repository (branches and tags), so network time is not part of it. After the first measured round"
say "the trees the engines deployed are compared file by file."
if [ "$QUICK" = 1 ]; then
  say "quick: 2 measured rounds, warm-up round for native only (JIT); r10k-shellgit left out (45-60 s per round"
  say "here; the full run has it)"
  engine_bench engines-3x20 git:3x20 2 native,g10k,r10k-rugged native
else
  say "3 measured rounds (r10k-shellgit 2: about a minute per round here) after 1 warm-up round (r10k-shellgit"
  say "without: it showed no warm-up effect, and its round is the most expensive)"
  engine_bench engines-3x20 git:3x20 3 native,g10k,r10k-rugged,r10k-shellgit:2 native,g10k,r10k-rugged
fi
SMALL_COLD="$(cold_summary "$LOGS/engines-3x20.log")"
if [ "$QUICK" = 1 ]; then SMALL_COLD="$SMALL_COLD (r10k-shellgit: full run only)"; fi

BIG_COLD=""
BIG_NOTE=""
if [ "$QUICK" = 1 ]; then
  BIG_NOTE="30x300 not run (--quick)"
else
  section "case 1: deploy engines, a real site's size: 30 environments x 300 modules, 1,000 hiera files"
  say "of the 300 modules 120 git on a branch, 60 git on a tag (whose branch moved on), 120 pinned Forge releases from a"
  say "Forge in the bench's process (every engine configured for it: r10k forge.baseurl, g10k forge_base_url, native"
  say "momentum.deploy.forge-base-url); 240,000 files per engine's 30 environments. One round is minutes here (each"
  say "cold deploy writes them all), so: no warm-up round, r10k-shellgit not at this size."
  # Which engines and rounds fit: an engine's round here (4 cases) took 73x (native), 55x (g10k) and 48x
  # (r10k-rugged) its 3x20 round (sum of medians, after the warm-up round) at the same load (2026-12-02, load average
  # about 20); the factors below add a fifth for removing the files the round wrote (one native round leaves about
  # 500,000 entries: 67 s to remove) and margin. Fixed costs: generation (8 s), the tree check (20-45 s), the JVM.
  # First one round of every engine that fits, in this order, then more rounds while the budget allows.
  remaining=$((BUDGET - $(elapsed) - 20 - 90))
  engines=(native g10k r10k-rugged)
  declare -A factor=([native]=90 [g10k]=65 [r10k-rugged]=60)
  declare -A most=([native]=3 [g10k]=2 [r10k-rugged]=1)
  declare -A per_round=() rounds=()
  planned=0
  for engine in "${engines[@]}"; do
    per_round[$engine]=$(awk -v r="$(median_sum "$LOGS/engines-3x20.log" "$engine")" -v f="${factor[$engine]}" \
      'BEGIN {printf "%d", r * f + 1}')
    if [ $((planned + ${per_round[$engine]})) -le "$remaining" ]; then
      rounds[$engine]=1; planned=$((planned + ${per_round[$engine]}))
    fi
  done
  for engine in "${engines[@]}"; do
    while [ -n "${rounds[$engine]:-}" ] && [ "${rounds[$engine]}" -lt "${most[$engine]}" ] \
        && [ $((planned + ${per_round[$engine]})) -le "$remaining" ]; do
      rounds[$engine]=$((${rounds[$engine]} + 1)); planned=$((planned + ${per_round[$engine]}))
    done
  done
  plan=(); skipped=(); reduced=()
  for engine in "${engines[@]}"; do
    if [ -z "${rounds[$engine]:-}" ]; then
      skipped+=("$engine (estimated ${per_round[$engine]} s per round: its 3x20 round x ${factor[$engine]}; $((remaining - planned)) s of the 15-minute budget left)")
      continue
    fi
    plan+=("$engine:${rounds[$engine]}")
    if [ "${rounds[$engine]}" -lt "${most[$engine]}" ]; then
      reduced+=("$engine ${rounds[$engine]} of ${most[$engine]} rounds")
      say "FEWER ROUNDS: $engine ${rounds[$engine]} of ${most[$engine]} (estimated ${per_round[$engine]} s per round)"
    fi
  done
  say "planned: ${plan[*]} (engine:rounds, no warm-up round), estimated $planned s + 90 s fixed of $((remaining + 90)) s left"
  for s in "${skipped[@]}"; do say "SKIPPED: $s"; done
  if [ "${#reduced[@]}" -gt 0 ]; then
    BIG_NOTE="time budget: $(printf '%s, ' "${reduced[@]}" | sed 's/, $//')"
  fi
  if [ "${#skipped[@]}" -gt 0 ]; then
    BIG_NOTE="${BIG_NOTE:+$BIG_NOTE; }not run at this size (time budget): $(printf '%s, ' "${skipped[@]%% (*}" | sed 's/, $//')"
  fi
  if [ "${#plan[@]}" -gt 0 ]; then
    engine_bench engines-30x300 site:30x300 3 "$(IFS=,; echo "${plan[*]}")" none
    BIG_COLD="$(cold_summary "$LOGS/engines-30x300.log")"
    trees=$(sed -nE 's/^tree check .*: (ALL EQUAL|DIFFERENT) .*/\1/p' "$LOGS/engines-30x300.log")
    if [ -n "$trees" ]; then BIG_NOTE="${BIG_NOTE:+$BIG_NOTE; }deployed trees: ${trees,,}"; fi
  fi
fi

# ---------------------------------------------------------------------------------------------------------------
section "summary ($MODE run, $(date -u '+%Y-%m-%d'), $(nproc) cores, shared with other work)"
say "| case | result |"
say "| --- | --- |"
say "| 1. deploy, 3 envs x 20 git modules, cold, median | $SMALL_COLD |"
if [ -n "$BIG_COLD" ]; then
  say "| 1. deploy, 30 envs x 300 modules (git, Forge), 1,000 hiera files, cold, median | $BIG_COLD${BIG_NOTE:+; $BIG_NOTE} |"
else
  say "| 1. deploy, 30 envs x 300 modules (git, Forge), 1,000 hiera files | ${BIG_NOTE:-not run} |"
fi
say "| 6. mixed serving during continuous pushes (headline) | $(printf '%s; ' "${MIXED_SUMMARY[@]}" | sed 's/; $//') |"
say "| 2. push to consistent (webhook -> every master deployed) | $(printf '%s; ' "${PUSH_SUMMARY[@]}" | sed 's/; $//') |"
say "| 3. webhook intake at saturation (acks=all) | $INTAKE_SUMMARY |"
say "| 4a. MasterStatus on the topic -> LB serving (incl. 500 ms debounce) | $(printf '%s; ' "${LB_SUMMARY[@]}" | sed 's/; $//') |"
say "| 4b. fleet master status 503 / 200 -> nginx | $FAILOVER_SUMMARY |"
say "| 5. peak RSS, MiB (11 masters) | $(printf '%s, ' "${MEM_SUMMARY[@]}" | sed 's/, $//') |"
say "| 7a. start-up, process start -> ready, restarted alone | $(printf '%s, ' "${STARTUP_SUMMARY[@]}" | sed 's/, $//') |"
say "| 7b. catch-up of a fresh master, $CATCH_UP_ENVIRONMENTS environments | $CATCH_UP_SUMMARY |"
say
say "total time $(( $(elapsed) / 60 ))m$(( $(elapsed) % 60 ))s (fleet cases 2-7 $FLEET_SECONDS s); written to $RESULT"
OK=1
