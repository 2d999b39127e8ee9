"""Shared helpers of the storage integration scripts: free ports, zoo.cfg, starting and
stopping zoolab-server or Apache ZooKeeper 3.8.0 on one dataDir, and tree dumps."""
import os
import random
import signal
import socket
import subprocess
import time

APACHE_CP = os.environ.get(
    "ZOOKEEPER_CLASSPATH", "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-nop.jar")


def free_port():
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randrange(20000, 60000)
        try:
            for addr in ("127.0.0.1", "0.0.0.0"):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((addr, port))
                s.close()
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


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
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"srvr")
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
        cmd = ["java", "-cp", APACHE_CP, "org.apache.zookeeper.server.ZooKeeperServerMain", cfg]
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
