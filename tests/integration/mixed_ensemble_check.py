"""Drives mixed-ensemble.sh's drill with kazoo and the srvr word; exits non-zero on failure."""
import argparse
import socket
import sys
import time

from kazoo.client import KazooClient

parser = argparse.ArgumentParser()
parser.add_argument("--base", type=int, required=True)
parser.add_argument("--kinds", required=True)
parser.add_argument("--control", required=True)
args = parser.parse_args()
control = open(args.control, "w", buffering=1)
ports = {sid: args.base + sid - 1 for sid in (1, 2, 3)}
kind = {sid: ("Apache" if args.kinds[sid - 1] == "a" else "ZooLab") for sid in (1, 2, 3)}


def say(verb, sid):
    control.write(f"{verb} {sid}\n")


def four_letter(sid, word):
    try:
        with socket.create_connection(("127.0.0.1", ports[sid]), timeout=2) as s:
            s.sendall(word.encode())
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        return data.decode(errors="replace")
    except OSError:
        return ""


def mode(sid):
    for line in four_letter(sid, "srvr").splitlines():
        if line.startswith("Mode: "):
            return line[6:]
    return None


def digest_mismatches(sid):
    for line in four_letter(sid, "mntr").splitlines():
        key, _, value = line.partition("\t")
        if key == "zk_digest_mismatches_count":
            return value
    return None


def wait_leader(live, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        modes = {sid: mode(sid) for sid in live}
        leaders = [sid for sid, m in modes.items() if m == "leader"]
        if len(leaders) == 1 and all(m in ("leader", "follower") for m in modes.values()):
            return leaders[0]
        time.sleep(0.2)
    sys.exit(f"FAIL: no leader among {live}: {modes}")


def client(sid):
    c = KazooClient(hosts=f"127.0.0.1:{ports[sid]}", timeout=10)
    c.start(timeout=15)
    return c


def write_through(live, tag):
    for sid in live:
        c = client(sid)
        c.ensure_path("/mixed")
        c.create(f"/mixed/{tag}-{sid}", kind[sid].encode())
        c.stop()


def trees(live):
    out = {}
    for sid in live:
        c = client(sid)
        c.sync("/mixed")
        out[sid] = sorted(c.get_children("/mixed"))
        c.stop()
    return out


for sid in (1, 2, 3):
    say("start", sid)
leader = wait_leader([1, 2, 3])
print(f"elected: {leader} ({kind[leader]})")
write_through([1, 2, 3], "first")
live = [s for s in (1, 2, 3) if s != leader]
say("kill", leader)
new_leader = wait_leader(live)
print(f"leader {leader} killed; new leader {new_leader} ({kind[new_leader]})")
write_through(live, "after-kill")
say("start", leader)
wait_leader([1, 2, 3])
if mode(leader) != "follower" or mode(new_leader) != "leader":
    sys.exit(f"FAIL: old leader {leader} is {mode(leader)}, {new_leader} is {mode(new_leader)}")
write_through([leader], "rejoined")
result = trees([1, 2, 3])
expected = sorted([f"first-{s}" for s in (1, 2, 3)] + [f"after-kill-{s}" for s in live]
                  + [f"rejoined-{leader}"])
for sid, names in result.items():
    if names != expected:
        sys.exit(f"FAIL: server {sid} ({kind[sid]}) has {names}, expected {expected}")
# Every txn carries the tree digest its leader predicted; each node compares it on apply.
for sid in (1, 2, 3):
    if digest_mismatches(sid) != "0":
        sys.exit(f"FAIL: server {sid} ({kind[sid]}) digest_mismatches_count is "
                 f"{digest_mismatches(sid)}")
print(f"OK: {args.kinds}: every node holds the same {len(expected)} znodes under /mixed, "
      "and no txn digest mismatched")
control.close()
