#!/usr/bin/env bash
# Runs a scripted zkCli.sh conversation (zkcli/session*.cmds) against a fresh standalone server,
# normalizes the transcript (zkcli/normalize.py masks zxids, times, session ids and the port,
# and lists watch events after each session) and compares it line by line with Apache
# ZooKeeper 3.8.0's transcript in expected/zkcli-session.txt. Exit 0 when they match, 1 on a
# difference (a unified diff is printed), 2 when something could not run.
#
# usage: zkcli-compare.sh [zoolab|apache] [--record]
#   zoolab  (default) $ZOOLAB_SERVER, or build/app/zoolab-server/zoolab-server, run as
#           `zoolab-server zoo.cfg`.
#   apache  Debian's ZooKeeper 3.8.0 (ZooKeeperServerMain), the reference.
#   --record  with apache: rewrite expected/zkcli-session.txt instead of comparing.
# The normalized transcript is left in $ZKCLI_OUT_DIR (default: the current directory) as
# zkcli-session.<target>.txt. The server binds 127.0.0.1 on a free port.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

target=${1:-zoolab}
record=0
[[ ${2:-} == --record ]] && record=1
zkcli=${ZKCLI:-/usr/share/zookeeper/bin/zkCli.sh}
expected=$here/expected/zkcli-session.txt
out_dir=${ZKCLI_OUT_DIR:-$PWD}
transcript=$out_dir/zkcli-session.$target.txt

if [[ ! -x $zkcli ]]; then
    echo "zkCli.sh not found at $zkcli" >&2
    exit 2
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/zkcli-compare.XXXXXX")
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

port=$(free_port_block 1)
mkdir -p "$workdir/data"
cat >"$workdir/zoo.cfg" <<CFG
tickTime=2000
dataDir=$workdir/data
clientPort=$port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=*
CFG

case $target in
apache)
    java -cp "${ZOOKEEPER_CLASSPATH:-$ZK_JAVA_CLASSPATH_DEFAULT}" \
        org.apache.zookeeper.server.ZooKeeperServerMain "$workdir/zoo.cfg" \
        >"$workdir/server.log" 2>&1 &
    server_pid=$!
    ;;
zoolab)
    server=${ZOOLAB_SERVER:-$repo/build/app/zoolab-server/zoolab-server}
    if [[ ! -x $server ]]; then
        echo "zoolab-server not found at $server (set ZOOLAB_SERVER)" >&2
        exit 2
    fi
    "$server" "$workdir/zoo.cfg" >"$workdir/server.log" 2>&1 &
    server_pid=$!
    ;;
*)
    echo "usage: $0 [zoolab|apache] [--record]" >&2
    exit 2
    ;;
esac

if ! wait_for_srvr "$port" "${ZKCLI_START_TIMEOUT:-60}"; then
    echo "server did not start on 127.0.0.1:$port; its log:" >&2
    cat "$workdir/server.log" >&2
    exit 2
fi

# Sessions run one after another: session 2 checks what session 1 left (its ephemerals gone,
# its ACLs in force).
: >"$workdir/transcript"
for commands in "$here"/zkcli/session*.cmds; do
    echo "=== $(basename "$commands" .cmds) ===" >>"$workdir/transcript"
    timeout -k 5 "${ZKCLI_SESSION_TIMEOUT:-90}" "$zkcli" -server "127.0.0.1:$port" \
        <"$commands" 2>&1 | /usr/bin/python3 "$here/zkcli/normalize.py" >>"$workdir/transcript"
done

mkdir -p "$out_dir"
cp "$workdir/transcript" "$transcript"
if ((record)); then
    if [[ $target != apache ]]; then
        echo "--record only makes sense with apache" >&2
        exit 2
    fi
    cp "$workdir/transcript" "$expected"
    echo "recorded $expected ($(wc -l <"$expected") lines)"
    exit 0
fi
if diff -u --label "apache (expected/zkcli-session.txt)" --label "$target" \
    "$expected" "$workdir/transcript"; then
    echo "zkcli transcript matches Apache ZooKeeper 3.8.0 ($(wc -l <"$expected") lines)"
    exit 0
fi
echo "zkcli transcript differs from Apache ZooKeeper 3.8.0; full transcript: $transcript" >&2
exit 1
