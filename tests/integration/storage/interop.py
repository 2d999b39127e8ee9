"""Moves one dataDir between zoolab-server and Apache ZooKeeper 3.8.0 and checks that the
second server serves the same tree, the same stats and the same live sessions (the writer's
client reconnects to the reader with its session and keeps its ephemerals). With --tools,
Apache's TxnLogToolkit and SnapshotFormatter must read every file zoolab-server wrote.

usage: interop.py --zoolab PATH --workdir DIR (zoolab-to-apache | apache-to-zoolab | tools)
Exit 0 on success, 1 on a mismatch."""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import time

from kazoo.client import KazooClient
from kazoo.retry import KazooRetry
from kazoo.security import make_digest_acl

import common


def workload(zk):
    zk.create("/app", b"root")
    zk.create("/app/cfg", b"v0")
    for i in range(1, 6):
        zk.set("/app/cfg", b"v%d" % i)
    for _ in range(5):
        zk.create("/app/seq-", b"s", sequence=True)
    zk.delete("/app/seq-0000000002")
    zk.create("/app/eph", b"mine", ephemeral=True)
    zk.create("/app/eph-seq-", b"", ephemeral=True, sequence=True)
    zk.create("/secure", b"s", acl=[make_digest_acl("u", "p", all=True)])
    t = zk.transaction()
    t.create("/multi")
    t.create("/multi/a", b"1")
    t.set_data("/app", b"root2")
    t.commit()
    for i in range(150):  # crosses several snapshots at snapCount=20
        zk.create("/bulk-%03d" % i, b"x" * (i % 7))
    for i in range(0, 150, 3):
        zk.delete("/bulk-%03d" % i)
    zk.set_acls("/app/cfg", [make_digest_acl("u", "p", read=True)] +
                list(zk.get_acls("/app")[0]))


def move(writer, reader, args):
    work = os.path.join(args.workdir, f"{writer}-to-{reader}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    port = common.free_port()
    # zoolab-server compresses its snapshots on the way to Apache (Apache reads .gz by name);
    # the tools scenario keeps them plain for Apache's SnapshotFormatter.
    gz = writer == "zoolab" and not args.plain
    extra = "snapshot.compression.method=gz\n" if gz else ""
    cfg, data = common.write_cfg(work, port, snap_count=20, extra=extra)
    log = os.path.join(work, "servers.log")
    try:
        return move_through(writer, reader, args, cfg, data, port, log, gz)
    except Exception:
        print_tail(log)
        raise


def print_tail(log, lines=60):
    """The end of both servers' log, so that a failure in CI can be read from its output."""
    try:
        with open(log, errors="replace") as f:
            tail = f.readlines()[-lines:]
    except OSError:
        return
    print(f"--- last {len(tail)} lines of {log}")
    sys.stdout.write("".join(tail))
    print("---")


def move_through(writer, reader, args, cfg, data, port, log, gz):
    first = common.start(writer, cfg, port, log, args.zoolab)
    zk = KazooClient(hosts=f"127.0.0.1:{port}", timeout=30,
                     connection_retry=KazooRetry(max_tries=-1, delay=0.1, max_delay=0.5))
    zk.start(timeout=15)
    zk.add_auth("digest", "u:p")
    workload(zk)
    session = zk.client_id[0]
    before = common.dump(zk)
    common.stop(first)
    if gz:
        snaps = [os.path.basename(f) for f in glob.glob(os.path.join(data, "version-2", "snap*"))]
        if not snaps or not all(name.endswith(".gz") for name in snaps):
            print(f"MISMATCH zoolab-server was to write gzip snapshots; it wrote {sorted(snaps)}")
            zk.stop()
            return False
        print(f"zoolab-server wrote {len(snaps)} gzip snapshots")
    if writer == "zoolab":
        shutil.copytree(data, os.path.join(args.workdir, "zoolab-written"), dirs_exist_ok=True)
    second = common.start(reader, cfg, port, log, args.zoolab)
    try:
        deadline = time.time() + 20
        while time.time() < deadline and not zk.connected:
            time.sleep(0.1)
        problems = []
        if not zk.connected:
            problems.append("the writer's client did not reconnect")
        elif zk.client_id[0] != session:
            problems.append(f"session changed: 0x{session:x} -> 0x{zk.client_id[0]:x}")
        zk.add_auth("digest", "u:p")
        after = common.dump(zk)
        for path in sorted(set(before) | set(after)):
            if before.get(path) != after.get(path):
                problems.append(f"{path}: {writer} {before.get(path)} != {reader} "
                                f"{after.get(path)}")
        # Each txn replayed past the snapshot was checked against the TxnDigest it carries.
        mismatches = common.mntr(port).get("zk_digest_mismatches_count")
        if mismatches != "0":
            problems.append(f"{reader} digest_mismatches_count after recovery: {mismatches}")
        owner = zk.exists("/app/eph")
        if owner is None or owner.ephemeralOwner != session:
            problems.append("ephemeral /app/eph lost its owner")
        last = max(v["mzxid"] for v in before.values())
        stat = zk.create("/after", b"", include_data=True)[1]
        if stat.czxid <= last:
            problems.append(f"new zxid 0x{stat.czxid:x} not above 0x{last:x}")
        zk.stop()
        zk.close()
    finally:
        common.stop(second)
    for p in problems:
        print("MISMATCH", p)
    if problems:
        print_tail(log)
    print(f"{writer} -> {reader}: {len(before)} znodes compared, session 0x{session:x}, "
          f"{'OK' if not problems else 'FAILED'}")
    return not problems


def tools(args):
    written = os.path.join(args.workdir, "zoolab-written", "version-2")
    if not os.path.isdir(written):
        args.plain = True
        if not move("zoolab", "apache", args):
            return False
    ok = True
    files = sorted(glob.glob(os.path.join(written, "log.*"))) + \
        sorted(glob.glob(os.path.join(written, "snapshot.*")))
    for f in files:
        is_log = os.path.basename(f).startswith("log.")
        cls = ("org.apache.zookeeper.server.persistence.TxnLogToolkit" if is_log
               else "org.apache.zookeeper.server.SnapshotFormatter")
        run = subprocess.run(["java", "-cp", common.APACHE_CP, cls, f], capture_output=True,
                             text=True, timeout=120)
        out = run.stdout + run.stderr
        bad = run.returncode != 0 or "Exception" in out or "CRC" in out
        if is_log:
            ours = subprocess.run([args.zoolab, "--print-log", f], capture_output=True,
                                  text=True, timeout=60).stdout
            bad = bad or "EOF reached after" not in out or \
                out.strip().splitlines()[-1] != ours.strip().splitlines()[-1]
        else:
            bad = bad or "Last zxid" not in out
        print(f"{'BAD' if bad else 'ok '} {cls.rsplit('.', 1)[1]} {os.path.basename(f)}: "
              f"{out.strip().splitlines()[-1] if out.strip() else '(no output)'}")
        ok = ok and not bad
    print(f"Apache tools read {len(files)} zoolab files: {'OK' if ok else 'FAILED'}")
    return ok and len(files) >= 4


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zoolab", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("scenario", choices=["zoolab-to-apache", "apache-to-zoolab", "tools"])
    args = parser.parse_args()
    args.plain = False
    if args.scenario == "tools":
        ok = tools(args)
    else:
        writer, reader = args.scenario.split("-to-")
        ok = move(writer, reader, args)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
