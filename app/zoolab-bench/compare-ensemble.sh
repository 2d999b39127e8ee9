#!/usr/bin/env bash
# Measures a 3-node zoolab-server ensemble against a 3-node Apache ZooKeeper 3.8.0 (Debian)
# pseudo-cluster on 127.0.0.1, one after the other in one run on this machine, and prints each
# figure with its ratio (zoolab / apache):
#   cold-start election (all three started at once -> leader + followers + one write);
#   zoolab-bench writes, reads and 90 % reads, 24 sessions x 16 outstanding over all three
#   nodes (ops/s and p99); RSS per node after the load;
#   failover: kill -9 of the leader -> the next successful write (median of FAILOVERS runs).
# Usage: compare-ensemble.sh [BUILD_DIR]  (env: DURATION seconds per bench, default 10;
#        FAILOVERS, default 5; fsync is on for both, as zoo.cfg defaults)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build}
# shellcheck source=../../tests/integration/lib.sh
source "$repo/tests/integration/lib.sh"
server=$build/app/zoolab-server/zoolab-server
bench=$build/app/zoolab-bench/zoolab-bench
duration=${DURATION:-10}
failovers=${FAILOVERS:-5}
work=$(mktemp -d /tmp/zoolab-ensemble.XXXXXX)
declare -A pid_of
cleanup() {
    for p in "${pid_of[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

start_node() { # impl i
    local impl=$1 i=$2 cfg=$work/$1/z$2.cfg
    if [[ $impl == zoolab ]]; then
        "$server" "$cfg" >>"$work/$impl/out$i.log" 2>&1 &
    else
        java -Dzookeeper.admin.enableServer=false -cp "$ZK_JAVA_CLASSPATH_DEFAULT" \
            org.apache.zookeeper.server.quorum.QuorumPeerMain "$cfg" \
            >>"$work/$impl/out$i.log" 2>&1 &
    fi
    pid_of[$impl$i]=$!
}
write_pids() { # impl
    : >"$work/$1/pids"
    for i in 1 2 3; do echo "$((base + i - 1)) ${pid_of[$1$i]}" >>"$work/$1/pids"; done
}
json_field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])['$1'])"; }
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

declare -A result
measure() { # impl
    local impl=$1
    base=$(free_port_block 9)
    mkdir -p "$work/$impl"
    for i in 1 2 3; do
        mkdir -p "$work/$impl/d$i"
        echo "$i" >"$work/$impl/d$i/myid"
        {
            echo "tickTime=2000"; echo "initLimit=10"; echo "syncLimit=5"
            echo "dataDir=$work/$impl/d$i"; echo "clientPort=$((base + i - 1))"
            echo "clientPortAddress=127.0.0.1"; echo "maxClientCnxns=0"
            echo "4lw.commands.whitelist=*"; echo "admin.enableServer=false"
            for j in 1 2 3; do echo "server.$j=127.0.0.1:$((base + 2 + j)):$((base + 5 + j))"; done
        } >"$work/$impl/z$i.cfg"
    done
    local ports="$base $((base + 1)) $((base + 2))"
    local hosts="127.0.0.1:$base,127.0.0.1:$((base + 1)),127.0.0.1:$((base + 2))"
    local launched; launched=$(date +%s.%N)
    for i in 1 2 3; do start_node "$impl" "$i"; done
    # shellcheck disable=SC2086
    result[$impl.cold]=$(/usr/bin/python3 "$here/ensemble_timing.py" cold "$launched" $ports |
        json_field coldStartMs)
    for mode in "writes:0" "reads:1" "90% reads:0.9"; do
        local label=${mode%%:*} out
        out=$("$bench" -s "$hosts" -d "$duration" --warmup 2 --sessions 24 --outstanding 16 \
            --read-ratio "${mode#*:}" | tail -1)
        result[$impl.$label.ops]=$(printf %.0f "$(json_field opsPerSecond <<<"$out")")
        result[$impl.$label.p99]=$(json_field p99Ms <<<"$out")
    done
    local rss=""
    for i in 1 2 3; do rss="$rss $(awk '/VmRSS/ {print int($2/1024)}' "/proc/${pid_of[$impl$i]}/status")"; done
    result[$impl.rss]=$(echo $rss | median)
    result[$impl.rssAll]=$rss
    local times=""
    for _ in $(seq "$failovers"); do
        write_pids "$impl"
        # shellcheck disable=SC2086
        local line; line=$(/usr/bin/python3 "$here/ensemble_timing.py" failover "$work/$impl/pids" $ports)
        times="$times $(json_field failoverMs <<<"$line")"
        local killed; killed=$(json_field killedPort <<<"$line")
        start_node "$impl" $((killed - base + 1))
        # shellcheck disable=SC2086
        /usr/bin/python3 "$here/ensemble_timing.py" cold "$(date +%s.%N)" $ports >/dev/null
    done
    result[$impl.failover]=$(echo $times | median)
    result[$impl.failoverAll]=$times
    for i in 1 2 3; do kill -9 "${pid_of[$impl$i]}" 2>/dev/null || true; done
    sleep 1
}

measure zoolab
measure apache

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
row() { printf '%-30s %14s %14s %8s\n' "$1" "$2" "$3" "$4"; }
row "figure (3 nodes)" "zoolab" "apache-3.8.0" "ratio"
row "cold-start election ms" "${result[zoolab.cold]}" "${result[apache.cold]}" \
    "$(ratio "${result[zoolab.cold]}" "${result[apache.cold]}")"
for label in writes reads "90% reads"; do
    row "$label ops/s" "${result[zoolab.$label.ops]}" "${result[apache.$label.ops]}" \
        "$(ratio "${result[zoolab.$label.ops]}" "${result[apache.$label.ops]}")"
    row "$label p99 ms" "${result[zoolab.$label.p99]}" "${result[apache.$label.p99]}" \
        "$(ratio "${result[zoolab.$label.p99]}" "${result[apache.$label.p99]}")"
done
row "RSS per node MiB (median)" "${result[zoolab.rss]}" "${result[apache.rss]}" \
    "$(ratio "${result[zoolab.rss]}" "${result[apache.rss]}")"
row "failover ms (median)" "${result[zoolab.failover]}" "${result[apache.failover]}" \
    "$(ratio "${result[zoolab.failover]}" "${result[apache.failover]}")"
echo "RSS per node: zoolab${result[zoolab.rssAll]} / apache${result[apache.rssAll]} MiB"
echo "failover runs ms: zoolab${result[zoolab.failoverAll]} / apache${result[apache.failoverAll]}"
echo "fsync on; tickTime 2000, initLimit 10, syncLimit 5; machine: $(nproc) cores"
