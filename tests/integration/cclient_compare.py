#!/usr/bin/python3
"""Runs one scripted session of the ZooKeeper C client's cli_mt against a fresh zoolab-server
and a fresh Apache ZooKeeper 3.8.0 (Debian), masks what legitimately differs (session ids,
zxids, times, child order) and compares the two transcripts line by line.
Usage: cclient_compare.py PATH_TO_ZOOLAB_SERVER"""

import difflib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from free_ports import free_port

CLI_MT = "/usr/lib/zookeeper/bin/cli_mt"
CLASSPATH = "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-nop.jar"
SCRIPT = [
    "create /cc", "create +e /cc/eph", "create +s /cc/seq-", "create +s /cc/seq-",
    "create +es /cc/eseq-", "set /cc hello", "get /cc", "ls /cc", "ls2 /cc", "exists /cc",
    "exists /nope", "get /nope", "create /cc", "delete /cc", "delete /cc/nope", "sync /cc",
    "addauth digest user1:pw1", "create /cc/child", "delete /cc/child", "ls /",
    "create /cc/bad/deep", "set /nope x",
]


def wait_serving(port, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=1)
            s.sendall(b"srvr")
            data = s.recv(4096)
            s.close()
            if b"Mode:" in data:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def transcript(port):
    proc = subprocess.Popen([CLI_MT, f"127.0.0.1:{port}"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(1.0)
    for command in SCRIPT + ["quit"]:
        proc.stdin.write(command + "\n")
        proc.stdin.flush()
        time.sleep(0.25)
    out = proc.communicate(timeout=20)[0]
    return normalize(out)


def normalize(text):
    lines = []
    for line in text.splitlines():
        if re.match(r"^time = \d+ msec$", line):
            continue
        line = re.sub(r"0x[0-9a-f]+", "0xN", line)
        line = re.sub(r"(czxid|mzxid)=\d+", r"\1=N", line)
        line = re.sub(r"(ctime|mtime) ?= ?\w{3} \w{3} +\d+ [\d:]+ \d{4}", r"\1=T", line)
        line = re.sub(r"ephemeralOwner = -?\d+", "ephemeralOwner = N", line)
        lines.append(line)
    # Children come in hash order from Apache: sort each run of child-name lines.
    out, run = [], []
    for line in lines + [""]:
        if line.startswith("\t") and "=" not in line:
            run.append(line)
            continue
        out.extend(sorted(run))
        run = []
        out.append(line)
    return out[:-1]


def main():
    server = sys.argv[1]
    work = tempfile.mkdtemp(prefix="zoolab-cclient-")
    procs = []
    try:
        ports = {}
        for name in ("zoolab", "apache"):
            port = free_port()
            ports[name] = port
            os.makedirs(f"{work}/{name}/data")
            cfg = f"{work}/{name}/zoo.cfg"
            with open(cfg, "w") as f:
                f.write(f"tickTime=2000\ndataDir={work}/{name}/data\nclientPort={port}\n"
                        f"clientPortAddress=127.0.0.1\nadmin.enableServer=false\n")
            cmd = [server, cfg] if name == "zoolab" else [
                "java", "-cp", CLASSPATH, "org.apache.zookeeper.server.ZooKeeperServerMain", cfg]
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        for name, port in ports.items():
            if not wait_serving(port, 60):
                print(f"{name} did not start")
                return 1
        got = transcript(ports["zoolab"])
        want = transcript(ports["apache"])
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)
    if os.environ.get("CCLIENT_SHOW"):
        print("\n".join(got))
    diff = list(difflib.unified_diff(want, got, "apache-3.8.0", "zoolab", lineterm=""))
    if diff:
        print("\n".join(diff))
        print(f"cli_mt transcripts differ ({len(want)} lines from Apache)")
        print("0 passed, 1 failed")
        return 1
    print(f"cli_mt transcript matches Apache ZooKeeper 3.8.0 ({len(want)} lines)")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
