"""Times a 3-node ensemble for compare-ensemble.sh; prints one JSON line.

  ensemble_timing.py cold START PORT...    ms from START (wall-clock seconds, when the servers
                                           were launched) until one node leads, the others
                                           follow and a write through the leader succeeds
  ensemble_timing.py failover PID_FILE PORT...
                                           kill -9 of the leader (pid read from PID_FILE,
                                           one "port pid" per line), then ms until a write
                                           through a surviving node succeeds
"""
import json
import os
import signal
import socket
import sys
import time

from kazoo.client import KazooClient
from kazoo.retry import KazooRetry


def mode(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"srvr")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        for line in data.decode().splitlines():
            if line.startswith("Mode: "):
                return line[6:]
    except OSError:
        pass
    return None


def stable(ports):
    modes = [mode(p) for p in ports]
    leaders = [p for p, m in zip(ports, modes) if m == "leader"]
    if len(leaders) == 1 and all(m in ("leader", "follower") for m in modes):
        return leaders[0]
    return None


def write_once(port, path, deadline):
    while time.monotonic() < deadline:
        client = KazooClient(hosts=f"127.0.0.1:{port}", timeout=4,
                             connection_retry=KazooRetry(max_tries=0))
        try:
            client.start(timeout=1)
            client.create(path, b"x", makepath=True)
            return True
        except Exception:
            time.sleep(0.005)
        finally:
            try:
                client.stop()
                client.close()
            except Exception:
                pass
    return False


def cold(launched, ports):
    start = time.monotonic() - (time.time() - launched)
    deadline = start + 120
    leader = None
    while time.monotonic() < deadline and leader is None:
        leader = stable(ports)
        if leader is None:
            time.sleep(0.002)
    if leader is None or not write_once(leader, f"/timing/cold-{os.getpid()}", deadline):
        sys.exit("no leader")
    return (time.monotonic() - start) * 1000


def failover(pid_file, ports):
    pids = dict(line.split() for line in open(pid_file))
    deadline = time.monotonic() + 60
    leader = None
    while leader is None and time.monotonic() < deadline:
        leader = stable(ports)
    if leader is None:
        sys.exit("no leader before the kill")
    survivors = [p for p in ports if p != leader]
    os.kill(int(pids[str(leader)]), signal.SIGKILL)
    start = time.monotonic()
    # Poll srvr (cheap, no session) until the survivors serve under one leader, then time
    # the first write through that leader.
    new_leader = None
    while new_leader is None and time.monotonic() < start + 60:
        new_leader = stable(survivors)
        if new_leader is None:
            time.sleep(0.002)
    if new_leader is None or not write_once(new_leader, f"/timing/failover-{os.getpid()}",
                                            start + 60):
        sys.exit("no write after the kill")
    return leader, (time.monotonic() - start) * 1000


if sys.argv[1] == "cold":
    ms = cold(float(sys.argv[2]), [int(p) for p in sys.argv[3:]])
    print(json.dumps({"coldStartMs": round(ms, 1)}))
else:
    killed, ms = failover(sys.argv[2], [int(p) for p in sys.argv[3:]])
    print(json.dumps({"killedPort": killed, "failoverMs": round(ms, 1)}))
