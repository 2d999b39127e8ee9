"""Shared helpers of the storage integration scripts: free ports, zoo.cfg, starting and
stopping zoolab-server or Apache ZooKeeper 3.8.0 on one dataDir, and tree dumps."""
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from free_ports import free_port  # noqa: E402,F401 (re-exported to the storage scripts)

APACHE_CP = os.environ.get(
    "ZOOKEEPER_CLASSPATH", "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-nop.jar")
# The Apache server logs through slf4j-simple (to its stderr, kept in the scenario's log) so
# that a failure can be read after the fact; the toolkits keep the quiet binding because
# their output is compared line by line.
APACHE_SERVER_CP = APACHE_CP.replace("slf4j-nop.jar", "slf4j-simple.jar")


def write_cfg(workdir, port, snap_count=100, extra=""):
    data = os.path.join(workdir, "data")
    os.makedirs(data, exist_ok=True)
    cfg = os.path.join(workdir, "zoo.cfg")
    with open(cfg, "w") as f:
        f.write(f"tickTime=2000\ndataDir={data}\nclientPort={port}\n"
                f"clientPortAddress=127.0.0.1\nadmin.enableServer=false\n"
                f"4lw.commands.whitelist=*\nsnapCount={snap_count}\npreAllocSize=64\n{extra}")
    return cfg, data


def srvr(port, timeout=1.0):
    return four_letter(port, "srvr", timeout)


def four_letter(port, word, timeout=1.0):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
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


def start(kind, cfg, port, log_path, zoolab, timeout=60):
    log = open(log_path, "ab")
    if kind == "zoolab":
        cmd = [zoolab, cfg]
    else:
        cmd = ["java", "-cp", APACHE_SERVER_CP, "org.apache.zookeeper.server.ZooKeeperServerMain",
               cfg]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{kind} exited with {proc.returncode}; see {log_path}")
        if "Mode:" in srvr(port):
            return proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"{kind} did not start within {timeout} s; see {log_path}")


def mntr(port):
    """The server's mntr answer as a dict of key to text."""
    out = {}
    for line in four_letter(port, "mntr", timeout=5.0).splitlines():
        key, _, value = line.partition("\t")
        out[key] = value
    return out


def stop(proc, sig=signal.SIGTERM, timeout=30):
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def dump(zk, path="/", out=None):
    """Every znode below path (without /zookeeper): data, ACL and the stat fields."""
    if out is None:
        out = {}
    if path.startswith("/zookeeper"):
        return out
    data, stat = zk.get(path)
    acl, _ = zk.get_acls(path)
    out[path] = dict(data=data, czxid=stat.czxid, mzxid=stat.mzxid, pzxid=stat.pzxid,
                     version=stat.version, cversion=stat.cversion, aversion=stat.aversion,
                     ephemeralOwner=stat.ephemeralOwner, numChildren=stat.numChildren,
                     dataLength=stat.dataLength, ctime=stat.ctime, mtime=stat.mtime,
                     acl=sorted((a.perms, a.id.scheme, a.id.id) for a in acl))
    for child in sorted(zk.get_children(path)):
        dump(zk, (path.rstrip("/") + "/" + child), out)
    return out
