"""Crash test: write load through kazoo, SIGKILL zoolab-server at a random moment, restart
it on the same dataDir, and check that every acknowledged write is there and nothing
unacknowledged is half-applied. Writes are creates (/c/<cycle>/<i>, data = own path),
setData on ten keys (value must be the last acknowledged one or a later attempted one),
multis creating /m/<cycle>-<i>-a and -b (both or neither) and sequential creates (the
counter never goes back). Each cycle checks the previous one in full; every 25 cycles and at
the end, all history is checked. To keep restarts fast over 1,000 cycles, /c and /m are
emptied after every 50th cycle's full check, so each acknowledged write is verified across
1 to 50 crash/restart cycles.

usage: crash.py --zoolab PATH --workdir DIR [--cycles 50] [--seed N]
Prints one summary line; exit 0 when every check passed."""
import argparse
import os
import random
import shutil
import signal
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.exceptions import NoNodeError
from kazoo.retry import KazooRetry

import common

KEYS = [f"/k/{j}" for j in range(10)]


class Load:
    """Async writes with a bounded number outstanding; records what was acknowledged."""

    def __init__(self, zk, cycle, rng):
        self.zk, self.cycle, self.rng = zk, cycle, rng
        self.lock = threading.Lock()
        self.outstanding = threading.Semaphore(64)
        self.acked_creates, self.sent_creates = set(), set()
        self.acked_multis, self.sent_multis = set(), set()
        self.key_sent = {k: [] for k in KEYS}   # values in submission order
        self.key_acked = {}                      # key -> index into key_sent
        self.acked_seq = []
        self.acks = 0
        self.stop = False

    def _done(self, kind, item):
        def callback(result):
            try:
                value = result.get()
            except Exception:
                self.outstanding.release()
                return
            with self.lock:
                self.acks += 1
                if kind == "create":
                    self.acked_creates.add(item)
                elif kind == "multi":
                    if all(r is True or isinstance(r, str) for r in value):
                        self.acked_multis.add(item)
                elif kind == "seq":
                    self.acked_seq.append(int(value.rsplit("-", 1)[1]))
                else:
                    key, index = item
                    self.key_acked[key] = max(self.key_acked.get(key, -1), index)
            self.outstanding.release()
        return callback

    def run(self):
        i = 0
        while not self.stop:
            if not self.outstanding.acquire(timeout=0.2):
                continue
            i += 1
            op = self.rng.random()
            try:
                if op < 0.45:
                    path = f"/c/{self.cycle}/{i}"
                    self.sent_creates.add(path)
                    self.zk.create_async(path, path.encode()).rawlink(self._done("create", path))
                elif op < 0.7:
                    key = self.rng.choice(KEYS)
                    value = f"{self.cycle}-{i}"
                    index = len(self.key_sent[key])
                    self.key_sent[key].append(value)
                    self.zk.set_async(key, value.encode()).rawlink(
                        self._done("set", (key, index)))
                elif op < 0.9:
                    name = f"/m/{self.cycle}-{i}"
                    self.sent_multis.add(name)
                    t = self.zk.transaction()
                    t.create(name + "-a", b"a")
                    t.create(name + "-b", b"b")
                    t.commit_async().rawlink(self._done("multi", name))
                else:
                    self.zk.create_async("/s/n-", b"", sequence=True).rawlink(
                        self._done("seq", None))
            except Exception:
                self.outstanding.release()
                return


def check_cycle(zk, load, key_values, problems):
    present = set()
    try:
        present = {f"/c/{load.cycle}/{n}" for n in zk.get_children(f"/c/{load.cycle}")}
    except NoNodeError:
        pass
    for path in load.acked_creates - present:
        problems.append(f"acknowledged create {path} lost")
    for path in present - load.sent_creates:
        problems.append(f"unknown node {path}")
    sample = sorted(present)[:20]
    for path in sample:
        if zk.get(path)[0] != path.encode():
            problems.append(f"{path} has wrong data")
    multis = set(zk.get_children("/m"))
    for name in load.sent_multis:
        a = name[3:] + "-a" in multis
        b = name[3:] + "-b" in multis
        if a != b:
            problems.append(f"multi {name} half applied")
        if name in load.acked_multis and not a:
            problems.append(f"acknowledged multi {name} lost")
    for key in KEYS:
        value = zk.get(key)[0].decode()
        sent = load.key_sent[key]
        first = load.key_acked.get(key, None)
        allowed = set(sent[first:]) if first is not None else set(sent) | {key_values[key]}
        if value not in allowed:
            problems.append(f"{key}={value!r}, expected one of {sorted(allowed)[:5]}...")
        key_values[key] = value
    if load.acked_seq:
        children = zk.get_children("/s")
        top = max(int(c.rsplit("-", 1)[1]) for c in children) if children else -1
        missing = [n for n in load.acked_seq if f"n-{n:010d}" not in children]
        if missing:
            problems.append(f"acknowledged sequential nodes lost: {missing[:5]}")
        if top < max(load.acked_seq):
            problems.append("sequence counter went back")


def check_history(zk, history, problems):
    for cycle, acked in history.items():
        try:
            present = {f"/c/{cycle}/{n}" for n in zk.get_children(f"/c/{cycle}")}
        except NoNodeError:
            present = set()
        lost = acked - present
        if lost:
            problems.append(f"cycle {cycle}: {len(lost)} acknowledged creates lost later")


def prune(zk, history):
    """Deletes the checked cycles' nodes (their deletes are ordinary logged writes)."""
    results = []
    for cycle in history:
        for child in zk.get_children(f"/c/{cycle}"):
            results.append(zk.delete_async(f"/c/{cycle}/{child}"))
        for r in results:
            r.get(timeout=30)
        results = []
        zk.delete(f"/c/{cycle}")
    for child in zk.get_children("/m"):
        results.append(zk.delete_async(f"/m/{child}"))
    for r in results:
        r.get(timeout=30)
    history.clear()


def connect(port):
    zk = KazooClient(hosts=f"127.0.0.1:{port}", timeout=10,
                     connection_retry=KazooRetry(max_tries=3, delay=0.05),
                     command_retry=KazooRetry(max_tries=0))
    zk.start(timeout=10)
    return zk


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zoolab", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = os.path.join(args.workdir, "crash")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    port = common.free_port()
    cfg, _ = common.write_cfg(work, port, snap_count=200,
                              extra=f"snapshotSeed={args.seed}\n"
                                    "autopurge.snapRetainCount=3\nautopurge.purgeInterval=1\n")
    log = os.path.join(work, "server.log")
    problems, history, key_values = [], {}, {k: "" for k in KEYS}
    total_acks = 0
    started = time.time()
    proc = common.start("zoolab", cfg, port, log, args.zoolab, timeout=30)
    zk = connect(port)
    for path in ["/c", "/m", "/s"] + KEYS:
        zk.ensure_path(path)
    zk.stop()
    zk.close()
    for cycle in range(args.cycles):
        zk = connect(port)
        zk.ensure_path(f"/c/{cycle}")
        load = Load(zk, cycle, rng)
        worker = threading.Thread(target=load.run)
        worker.start()
        time.sleep(rng.uniform(0.02, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        load.stop = True
        worker.join(timeout=10)
        zk.stop()
        zk.close()
        proc = common.start("zoolab", cfg, port, log, args.zoolab, timeout=30)
        zk = connect(port)
        before = len(problems)
        check_cycle(zk, load, key_values, problems)
        history[cycle] = set(load.acked_creates)
        total_acks += load.acks
        if cycle % 25 == 24 or cycle == args.cycles - 1:
            check_history(zk, history, problems)
        if cycle % 50 == 49 and len(problems) == before:
            prune(zk, history)
        zk.stop()
        zk.close()
        if len(problems) > before:
            print(f"cycle {cycle}: " + "; ".join(problems[before:before + 3]), flush=True)
    common.stop(proc)
    elapsed = time.time() - started
    print(f"crash test: {args.cycles} SIGKILL cycles, {total_acks} acknowledged writes, "
          f"{len(problems)} problems, {elapsed:.1f} s (seed {args.seed})")
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
