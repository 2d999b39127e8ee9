# shellcheck shell=bash
# Helpers sourced by the integration scripts. Bash only; no side effects on source.

# shellcheck disable=SC2034 # Used by the scripts that source this file.
ZK_JAVA_CLASSPATH_DEFAULT=/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-nop.jar

# free_port_block COUNT: prints a base port B such that B..B+COUNT-1 are all free on
# 127.0.0.1 and on the wildcard address, outside the ephemeral range (free_ports.py says why).
free_port_block() {
    /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/free_ports.py" "$1"
}

# wait_for_srvr PORT SECONDS: waits until a server on 127.0.0.1:PORT serves requests. Uses
# srvr, which is whitelisted by default, and accepts any reply that is not the "not serving"
# text.
wait_for_srvr() {
    local port=$1 deadline=$((SECONDS + $2)) reply
    while ((SECONDS < deadline)); do
        reply=$(/usr/bin/python3 - "$port" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
s.sendall(b"srvr")
data = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode(errors="replace"))
PY
)
        if [[ $reply == *"Mode:"* ]]; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}
