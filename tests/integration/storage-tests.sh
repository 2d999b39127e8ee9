#!/usr/bin/env bash
# Storage integration tests against real clients and Apache ZooKeeper 3.8.0 (storage/*.py):
#
#   storage-tests.sh zoolab-to-apache   Apache starts on a dataDir zoolab-server wrote
#   storage-tests.sh apache-to-zoolab   zoolab-server starts on a dataDir Apache wrote
#   storage-tests.sh tools              Apache's TxnLogToolkit/SnapshotFormatter read our files
#   storage-tests.sh crash [CYCLES] [SEED]   SIGKILL/restart cycles under kazoo load (50)
#
# Servers bind 127.0.0.1 on free ports; every step is bounded in time. The work directory
# (under $TMPDIR) is removed on success and kept on failure. Exit 0 on success.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
server=${ZOOLAB_SERVER:-$repo/build/app/zoolab-server/zoolab-server}
python=/usr/bin/python3
scenario=${1:?usage: storage-tests.sh zoolab-to-apache|apache-to-zoolab|tools|crash [cycles] [seed]}

if [[ ! -x $server ]]; then
    echo "zoolab-server not found at $server (set ZOOLAB_SERVER)" >&2
    exit 2
fi
workdir=$(mktemp -d "${TMPDIR:-/tmp}/zoolab-storage.XXXXXX")
status=1
cleanup() {
    if ((status == 0)); then rm -rf "$workdir"; else echo "work directory kept: $workdir" >&2; fi
}
trap cleanup EXIT

# kazoo logs every dropped connection; the crash test drops hundreds on purpose.
filter() { grep -v -E '^(Connection dropped|Transition to|Failed connecting|Connection time)' || true; }

case $scenario in
zoolab-to-apache | apache-to-zoolab | tools)
    set +e
    timeout -k 5 "${STORAGE_TEST_TIMEOUT:-240}" "$python" "$here/storage/interop.py" \
        --zoolab "$server" --workdir "$workdir" "$scenario" 2>&1 | filter
    status=${PIPESTATUS[0]}
    ;;
crash)
    cycles=${2:-50}
    seed=${3:-$RANDOM}
    set +e
    timeout -k 5 "${STORAGE_TEST_TIMEOUT:-$((60 + cycles * 3))}" "$python" "$here/storage/crash.py" \
        --zoolab "$server" --workdir "$workdir" --cycles "$cycles" --seed "$seed" 2>&1 | filter
    status=${PIPESTATUS[0]}
    ;;
*)
    echo "unknown scenario $scenario" >&2
    status=2
    ;;
esac
exit "$status"
