#!/usr/bin/env bash
# Measures a standalone zoolab-server against a standalone Apache ZooKeeper 3.8.0 (Debian) in
# one run on this machine, and prints each figure with its ratio:
#   idle RSS; RSS after 100,000 znodes of 100 bytes;
#   zoolab-bench writes, reads and a single synchronous client against each server.
# Usage: compare-standalone.sh [BUILD_DIR]   (env: DURATION seconds per bench, default 10;
#        ROUNDS per figure, default 3, medians printed;
#        FSYNC=yes|no, default yes: forceSync on both servers, as zoo.cfg defaults)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build}
# shellcheck source=../../tests/integration/lib.sh
source "$repo/tests/integration/lib.sh"
server=$build/app/zoolab-server/zoolab-server
bench=$build/app/zoolab-bench/zoolab-bench
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
fsync=${FSYNC:-yes}
work=$(mktemp -d /tmp/zoolab-compare.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

base=$(free_port_block 4)
zl_port=$base
ap_port=$((base + 1))
admin_port=$((base + 2))
mkdir -p "$work/zl" "$work/ap"
cat >"$work/zl/zoo.cfg" <<CFG
tickTime=2000
dataDir=$work/zl/data
clientPort=$zl_port
clientPortAddress=127.0.0.1
maxClientCnxns=0
forceSync=$fsync
CFG
cat >"$work/ap/zoo.cfg" <<CFG
tickTime=2000
dataDir=$work/ap/data
clientPort=$ap_port
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.serverPort=$admin_port
forceSync=$fsync
CFG
"$server" "$work/zl/zoo.cfg" >"$work/zl/out.log" 2>&1 &
pids+=($!)
zl_pid=$!
java -cp "$ZK_JAVA_CLASSPATH_DEFAULT" org.apache.zookeeper.server.ZooKeeperServerMain \
    "$work/ap/zoo.cfg" >"$work/ap/out.log" 2>&1 &
pids+=($!)
ap_pid=$!
if ! wait_for_srvr "$zl_port" 30; then echo "zoolab-server did not start" >&2; exit 1; fi
if ! wait_for_srvr "$ap_port" 60; then echo "Apache ZooKeeper did not start" >&2; exit 1; fi
sleep 2

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
row() { printf '%-34s %14s %14s %8s\n' "$1" "$2" "$3" "$4"; }
row "figure" "zoolab" "apache-3.8.0" "ratio"
zl_idle=$(rss_kib "$zl_pid")
ap_idle=$(rss_kib "$ap_pid")
row "idle RSS (MiB)" "$((zl_idle / 1024))" "$((ap_idle / 1024))" "$(ratio "$zl_idle" "$ap_idle")"

"$bench" -s "127.0.0.1:$zl_port" --populate-only --keys 100000 --value-size 100 --root /mem >/dev/null
"$bench" -s "127.0.0.1:$ap_port" --populate-only --keys 100000 --value-size 100 --root /mem >/dev/null
sleep 2
zl_full=$(rss_kib "$zl_pid")
ap_full=$(rss_kib "$ap_pid")
row "RSS with 100k x 100 B znodes (MiB)" "$((zl_full / 1024))" "$((ap_full / 1024))" \
    "$(ratio "$zl_full" "$ap_full")"

json_field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])['$1'])"; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run_bench() { # port args...
    local port=$1
    shift
    "$bench" -s "127.0.0.1:$port" -d "$duration" --warmup 2 "$@" | tail -1
}
# Each figure is the median of ROUNDS runs; the two servers take turns within each round, so
# that both see the same moments of this shared machine.
rounds_log=""
for mode in "writes:--sessions 24 --outstanding 16 --read-ratio 0" \
            "reads:--sessions 24 --outstanding 16 --read-ratio 1" \
            "single sync client writes:--sessions 1 --outstanding 1 --read-ratio 0"; do
    label=${mode%%:*}
    zl_ops_all="" ap_ops_all="" zl_p99_all="" ap_p99_all=""
    for _ in $(seq "$rounds"); do
        # shellcheck disable=SC2086
        zl=$(run_bench "$zl_port" ${mode#*:})
        # shellcheck disable=SC2086
        ap=$(run_bench "$ap_port" ${mode#*:})
        zl_ops_all+=" $(printf %.0f "$(json_field opsPerSecond <<<"$zl")")"
        ap_ops_all+=" $(printf %.0f "$(json_field opsPerSecond <<<"$ap")")"
        zl_p99_all+=" $(json_field p99Ms <<<"$zl")"
        ap_p99_all+=" $(json_field p99Ms <<<"$ap")"
    done
    zl_ops=$(median <<<"$zl_ops_all")
    ap_ops=$(median <<<"$ap_ops_all")
    zl_p99=$(median <<<"$zl_p99_all")
    ap_p99=$(median <<<"$ap_p99_all")
    row "$label ops/s" "$zl_ops" "$ap_ops" "$(ratio "$zl_ops" "$ap_ops")"
    row "$label p99 ms" "$zl_p99" "$ap_p99" "$(ratio "$zl_p99" "$ap_p99")"
    rounds_log+="$label rounds, ops/s: zoolab$zl_ops_all / apache$ap_ops_all; p99 ms: zoolab$zl_p99_all / apache$ap_p99_all"$'\n'
done
printf '%s' "$rounds_log"
echo "fsync: $fsync (forceSync=$fsync on both servers); medians of $rounds rounds; machine: $(nproc) cores"
