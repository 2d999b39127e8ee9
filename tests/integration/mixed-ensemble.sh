#!/usr/bin/env bash
# A 3-node ensemble mixing Debian's Apache ZooKeeper 3.8.0 and zoolab-server on 127.0.0.1:
# it must elect, replicate writes made through every node, elect again after its leader is
# killed (kill -9), take the old leader back as a follower, and end with one tree everywhere.
#
# usage: mixed-ensemble.sh KINDS      KINDS is three letters, a=Apache z=ZooLab, for sids 1-3
#        (e.g. aaz: two Apache nodes and one ZooLab node; azz: one Apache and two ZooLab).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
kinds=${1:?usage: mixed-ensemble.sh aaz|azz}
server=${ZOOLAB_SERVER:-$repo/build/app/zoolab-server/zoolab-server}
work=$(mktemp -d "${TMPDIR:-/tmp}/mixed-ensemble.XXXXXX")
base=$(free_port_block 9)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    if [[ ${KEEP_WORKDIR:-0} != 1 ]]; then rm -rf "$work"; else echo "kept $work" >&2; fi
}
trap cleanup EXIT

for i in 1 2 3; do
    mkdir -p "$work/d$i"
    echo "$i" >"$work/d$i/myid"
    {
        echo "tickTime=500"; echo "initLimit=10"; echo "syncLimit=5"
        echo "dataDir=$work/d$i"; echo "clientPort=$((base + i - 1))"
        echo "clientPortAddress=127.0.0.1"; echo "4lw.commands.whitelist=*"
        echo "admin.enableServer=false"
        for j in 1 2 3; do echo "server.$j=127.0.0.1:$((base + 2 + j)):$((base + 5 + j))"; done
    } >"$work/z$i.cfg"
done

declare -A pid_of
start() {
    local i=$1 kind=${kinds:$(($1 - 1)):1}
    if [[ $kind == a ]]; then
        java -Dzookeeper.admin.enableServer=false -cp "$ZK_JAVA_CLASSPATH_DEFAULT" \
            org.apache.zookeeper.server.quorum.QuorumPeerMain "$work/z$i.cfg" \
            >>"$work/server$i.log" 2>&1 &
    else
        "$server" "$work/z$i.cfg" >>"$work/server$i.log" 2>&1 &
    fi
    pid_of[$i]=$!
    pids+=($!)
}

# The checker drives the drill and asks for starts and kills, one line each, on a FIFO.
mkfifo "$work/control"
/usr/bin/python3 "$here/mixed_ensemble_check.py" --base "$base" --kinds "$kinds" \
    --control "$work/control" &
checker=$!
while read -r verb sid; do
    case $verb in
    start) start "$sid" ;;
    kill) kill -9 "${pid_of[$sid]}" 2>/dev/null || true; wait "${pid_of[$sid]}" 2>/dev/null || true ;;
    esac
done <"$work/control"
if ! wait "$checker"; then
    echo "--- server logs (tails) ---"
    for i in 1 2 3; do echo "== server $i (${kinds:$((i - 1)):1})"; tail -20 "$work/server$i.log"; done
    exit 1
fi
