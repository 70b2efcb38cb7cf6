#!/usr/bin/env bash
# A standalone Apache Spark cluster on this machine, from the jars Maven fetched (no Spark
# download): one master on 127.0.0.1 and N workers, each a JVM started here and stopped by `stop`.
#
#   ./nerve cluster start [--workers N] [--cores C] [--memory M]   # default 2 workers, 1 core, 2g
#   ./nerve cluster status
#   ./nerve cluster kill-worker I      # kills worker I and its executor at once (fault tests)
#   ./nerve cluster stop
#
# Master spark://127.0.0.1:${NERVE_SPARK_PORT:-7077}, web UI http://127.0.0.1:${NERVE_SPARK_UI_PORT:-8080}.
# State and logs live in ${NERVE_CLUSTER_DIR:-target/cluster}. Every wait is bounded.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/spark/bin/spark-env.sh"

dir="${NERVE_CLUSTER_DIR:-$here/target/cluster}"
port="${NERVE_SPARK_PORT:-7077}"
ui="${NERVE_SPARK_UI_PORT:-8080}"
master="spark://127.0.0.1:$port"

die() { echo "nerve cluster: $*" >&2; exit 1; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The processes a process started (pgrep when procps is there, else /proc).
children() {
  if command -v pgrep >/dev/null 2>&1; then
    pgrep -P "$1" 2>/dev/null
  else
    for st in /proc/[0-9]*/stat; do
      awk -v p="$1" '$4 == p { print $1 }' "$st" 2>/dev/null
    done
  fi
}

# Kills a process and the processes it started (a worker's executors).
kill_tree() {
  local pid="$1" child
  for child in $(children "$pid"); do kill_tree "$child"; done
  kill -9 "$pid" 2>/dev/null
}

# A Spark "home" whose jars/ are links to Maven's jars: the workers build each executor's class
# path from $SPARK_HOME/jars.
make_home() {
  rm -rf "$dir/spark-home"
  mkdir -p "$dir/spark-home/jars" "$dir/spark-home/conf"
  local cp; cp="$(spark_classpath)" || exit 1
  local IFS=:
  for j in $cp; do ln -s "$j" "$dir/spark-home/jars/$(basename "$j")"; done
}

java_home() {
  if [ -n "${JAVA_HOME:-}" ]; then echo "$JAVA_HOME"; return; fi
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

start() {
  local workers=2 cores=1 memory=2g
  while [ $# -gt 0 ]; do
    case "$1" in
      --workers|--cores|--memory) [ $# -ge 2 ] || die "$1 needs a value" ;;
    esac
    case "$1" in
      --workers) workers="$2"; shift 2 ;;
      --cores) cores="$2"; shift 2 ;;
      --memory) memory="$2"; shift 2 ;;
      *) die "unknown option $1 (start takes --workers N --cores C --memory M)" ;;
    esac
  done
  [[ "$workers" =~ ^[0-9]+$ ]] && [ "$workers" -ge 1 ] && [ "$workers" -le 16 ] \
    || die "--workers must be 1 to 16, got $workers"
  [[ "$cores" =~ ^[0-9]+$ ]] && [ "$cores" -ge 1 ] && [ "$cores" -le 256 ] \
    || die "--cores must be 1 to 256, got $cores"
  [[ "$memory" =~ ^[0-9]+[mg]$ ]] || die "--memory takes a size such as 512m or 2g, got $memory"
  if alive "$dir/master.pid"; then die "a cluster is already running (./nerve cluster stop)"; fi
  # Workers left behind by a master that died would join the new one: stop them first.
  stop >/dev/null
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is taken on 127.0.0.1 (set NERVE_SPARK_PORT)"
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$ui") 2>/dev/null; then
    die "port $ui (the master's web UI) is taken on 127.0.0.1 (set NERVE_SPARK_UI_PORT)"
  fi
  mkdir -p "$dir"
  rm -f "$dir"/*.pid "$dir"/*.log
  make_home
  local cp; cp="$(spark_classpath)" || exit 1
  export SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.13 JAVA_HOME="$(java_home)"
  export SPARK_LOG_DIR="$dir" SPARK_NO_DAEMONIZE=1
  # shellcheck disable=SC2086
  nohup java $spark_opens -Xmx512m -cp "$cp" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$port" --webui-port "$ui" >"$dir/master.log" 2>&1 &
  echo $! >"$dir/master.pid"
  for _ in $(seq 1 300); do
    grep -q "I have been elected leader" "$dir/master.log" 2>/dev/null && break
    alive "$dir/master.pid" || die "the master stopped; see $dir/master.log"
    sleep 0.2
  done
  if ! grep -q "I have been elected leader" "$dir/master.log"; then
    stop >/dev/null
    die "the master did not start within 60 s; see $dir/master.log"
  fi
  for i in $(seq 1 "$workers"); do
    mkdir -p "$dir/work-$i"
    # shellcheck disable=SC2086
    nohup java $spark_opens -Xmx512m -cp "$cp" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores "$cores" --memory "$memory" --webui-port $((ui + i)) \
        --work-dir "$dir/work-$i" "$master" >"$dir/worker-$i.log" 2>&1 &
    echo $! >"$dir/worker-$i.pid"
  done
  for _ in $(seq 1 300); do
    n=$(grep -c "Registering worker" "$dir/master.log" 2>/dev/null)
    [ "${n:-0}" -ge "$workers" ] && break
    sleep 0.2
  done
  n=$(grep -c "Registering worker" "$dir/master.log" 2>/dev/null)
  if [ "${n:-0}" -lt "$workers" ]; then
    stop >/dev/null
    die "only ${n:-0} of $workers workers registered within 60 s; see $dir/worker-*.log"
  fi
  echo "master $master (web UI http://127.0.0.1:$ui), $workers workers of $cores core(s) and $memory"
  echo "train on it: ./nerve train --spark $master --partitions $workers ...; stop: ./nerve cluster stop"
}

status() {
  if ! alive "$dir/master.pid"; then echo "no cluster running"; return 1; fi
  echo "master $master (pid $(cat "$dir/master.pid"), web UI http://127.0.0.1:$ui)"
  for f in "$dir"/worker-*.pid; do
    [ -f "$f" ] || continue
    i=$(basename "$f" .pid)
    if alive "$f"; then echo "$i: running (pid $(cat "$f"))"; else echo "$i: stopped"; fi
  done
}

kill_worker() {
  local f="$dir/worker-${1:-}.pid"
  [ -f "$f" ] || die "no worker ${1:-} (see ./nerve cluster status)"
  alive "$f" || die "worker $1 is not running"
  local pid; pid="$(cat "$f")"
  kill_tree "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  echo "killed worker $1 and its executor"
}

stop() {
  local any=0 pids=()
  for f in "$dir"/worker-*.pid "$dir/master.pid"; do
    [ -f "$f" ] || continue
    if alive "$f"; then pids+=("$(cat "$f")"); kill_tree "$(cat "$f")"; any=1; fi
    rm -f "$f"
  done
  # Gone, and the ports free, before returning (at most 10 s).
  for _ in $(seq 1 100); do
    local left=0
    for p in ${pids[@]+"${pids[@]}"}; do kill -0 "$p" 2>/dev/null && left=1; done
    [ $left -eq 0 ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  if [ $any -eq 1 ]; then echo "cluster stopped"; else echo "no cluster was running"; fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  kill-worker) kill_worker "${2:-}" ;;
  *) echo "usage: ./nerve cluster start [--workers N] [--cores C] [--memory M] | status | kill-worker I | stop" >&2; exit 2 ;;
esac
