#!/usr/bin/env bash
# Measures what fuzzy snapshots cost client latency: the same write load against a
# zoolab-server holding 100,000 znodes of 100 bytes, once with snapshots effectively off
# (snapCount=1e9) and once with one every 10,000-20,000 txns (snapCount=20000), fsync on.
# Usage: snapshot-latency.sh [BUILD_DIR]   (env DURATION seconds per run, default 10)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build}
# shellcheck source=../../tests/integration/lib.sh
source "$repo/tests/integration/lib.sh"
server=$build/app/zoolab-server/zoolab-server
bench=$build/app/zoolab-bench/zoolab-bench
duration=${DURATION:-10}
work=$(mktemp -d /tmp/zoolab-snaplat.XXXXXX)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

json_field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])['$1'])"; }
printf '%-22s %10s %10s %10s %10s\n' "snapCount" "ops/s" "p50 ms" "p99 ms" "snapshots"
for snap in 1000000000 20000; do
    port=$(free_port_block 1)
    mkdir -p "$work/$snap"
    printf 'tickTime=2000\ndataDir=%s/data\nclientPort=%s\nclientPortAddress=127.0.0.1\n' \
        "$work/$snap" "$port" >"$work/$snap/zoo.cfg"
    "$server" "-Dzookeeper.snapCount=$snap" "$work/$snap/zoo.cfg" >"$work/$snap/out.log" 2>&1 &
    pid=$!
    if ! wait_for_srvr "$port" 30; then echo "zoolab-server did not start" >&2; exit 1; fi
    "$bench" -s "127.0.0.1:$port" --populate-only --keys 100000 --value-size 100 --root /mem \
        >/dev/null
    before=$(find "$work/$snap/data/version-2" -name 'snapshot.*' | wc -l)
    line=$("$bench" -s "127.0.0.1:$port" -d "$duration" --warmup 2 --keys 100000 --root /mem | tail -1)
    after=$(find "$work/$snap/data/version-2" -name 'snapshot.*' | wc -l)
    printf '%-22s %10.0f %10s %10s %10s\n' "$snap" "$(json_field opsPerSecond <<<"$line")" \
        "$(json_field p50Ms <<<"$line")" "$(json_field p99Ms <<<"$line")" "$((after - before))"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
done
