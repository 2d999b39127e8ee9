#!/usr/bin/python3
"""Proves that bad input costs only the offending connection: garbage, truncated frames,
lengths over jute.maxbuffer, frames before the handshake, unknown opcodes, invalid paths and
ACLs get ZooKeeper's error or a closed connection, the server stays up, and a well-behaved
kazoo session sees no change. Usage: bad_input_test.py PATH_TO_ZOOLAB_SERVER"""

import os
import random
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

from kazoo.client import KazooClient

from free_ports import free_port

FAILURES = []
CHECKS = []


def check(condition, what):
    CHECKS.append(what)
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        FAILURES.append(what)


def jstr(text):
    data = text.encode()
    return struct.pack(">i", len(data)) + data


def frame(payload):
    return struct.pack(">i", len(payload)) + payload


def connect_request(session_id=0, passwd=b"\0" * 16, last_zxid=0):
    return (struct.pack(">iqiq", 0, last_zxid, 30000, session_id)
            + struct.pack(">i", len(passwd)) + passwd + b"\0")


def recv_exact(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def recv_frame(sock):
    header = recv_exact(sock, 4)
    if header is None:
        return None
    (length,) = struct.unpack(">i", header)
    return recv_exact(sock, length)


def closed_by_server(sock, timeout=5.0):
    sock.settimeout(timeout)
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


class RawSession:
    """A hand-rolled client connection that has completed the handshake."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.sendall(frame(connect_request()))
        reply = recv_frame(self.sock)
        assert reply is not None and len(reply) >= 36, "handshake failed"
        self.xid = 0

    def call(self, op, body):
        self.xid += 1
        self.sock.sendall(frame(struct.pack(">ii", self.xid, op) + body))
        while True:
            reply = recv_frame(self.sock)
            if reply is None:
                return None
            xid, zxid, err = struct.unpack(">iqi", reply[:16])
            if xid != -1:  # skip watch notifications
                return xid, err


def main():
    server = sys.argv[1]
    port = free_port()
    work = tempfile.mkdtemp(prefix="zoolab-bad-input-")
    cfg = os.path.join(work, "zoo.cfg")
    with open(cfg, "w") as f:
        f.write(f"tickTime=2000\ndataDir={work}/data\nclientPort={port}\n"
                "clientPortAddress=127.0.0.1\n4lw.commands.whitelist=*\n")
    proc = subprocess.Popen([server, cfg], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        run(port, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"{len(CHECKS) - len(FAILURES)} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


def run(port, proc):
    good = KazooClient(hosts=f"127.0.0.1:{port}", timeout=10)
    good.start(timeout=15)
    good.create("/keep", b"v1")
    fired = threading.Event()
    good.get("/keep", watch=lambda event: fired.set())

    def raw():
        return socket.create_connection(("127.0.0.1", port), timeout=5)

    s = raw()
    s.sendall(b"\x00\x00\x00\x10garbage-garbage!")
    check(closed_by_server(s), "garbage instead of a ConnectRequest closes the connection")

    s = raw()
    s.sendall(struct.pack(">i", 0xfffff + 1))
    check(closed_by_server(s), "a length over jute.maxbuffer closes the connection")

    s = raw()
    s.sendall(struct.pack(">i", -5))
    check(closed_by_server(s), "a negative length closes the connection")

    s = raw()
    s.sendall(struct.pack(">i", 100) + b"only ten b")
    s.close()
    check(proc.poll() is None, "a truncated frame then a hang-up leaves the server up")

    s = raw()
    s.sendall(frame(struct.pack(">ii", 1, 4) + jstr("/keep") + b"\0"))
    check(closed_by_server(s), "a request before the handshake closes the connection")

    session = RawSession(port)
    check(session.call(999, b"") == (1, -6), "an unknown opcode gets UNIMPLEMENTED (-6)")
    check(session.call(11, b"") is not None, "the connection survives the unknown opcode")
    create = lambda path, acl: jstr(path) + struct.pack(">i", -1) + acl + struct.pack(">i", 0)
    open_acl = struct.pack(">i", 1) + struct.pack(">i", 31) + jstr("world") + jstr("anyone")
    check(session.call(1, create("/keep/.", open_acl))[1] == -8,
          "an invalid path gets BADARGUMENTS (-8)")
    # Apache looks the parent up before it validates the whole path, so "bad//x" is NONODE.
    check(session.call(1, create("bad//x", open_acl))[1] == -101,
          "a path whose parent cannot exist gets NONODE (-101), as Apache answers")
    check(session.call(1, create("/x", struct.pack(">i", 0)))[1] == -114,
          "an empty ACL gets INVALIDACL (-114)")
    bad_scheme = struct.pack(">i", 1) + struct.pack(">i", 31) + jstr("nosuch") + jstr("id")
    check(session.call(1, create("/x", bad_scheme))[1] == -114,
          "an unknown ACL scheme gets INVALIDACL (-114)")
    check(session.call(1, jstr("/x") + struct.pack(">i", 7))[1] == -5,
          "a truncated create body gets MARSHALLINGERROR (-5)")
    check(session.call(2, jstr("/keep") + struct.pack(">i", 5))[1] == -103,
          "a wrong version gets BADVERSION (-103)")
    hostile = jstr("/y") + struct.pack(">i", -1) + struct.pack(">i", 0x7fffffff)
    check(session.call(1, hostile)[1] == -5, "a hostile ACL count gets MARSHALLINGERROR (-5)")
    check(session.call(4, jstr("/keep") + b"\0") == (session.xid, 0),
          "the hand-rolled session still reads after all that")

    check(proc.poll() is None, "the server is still running")
    check(good.get("/keep")[0] == b"v1", "the good session reads its data unchanged")
    check(good.exists("/x") is None, "no bad request left a node behind")
    good.set("/keep", b"v2")
    check(fired.wait(5), "the good session's watch still fires")
    # Clients that hang up (half of them with a reset) right after a 1 MB setData, some
    # before it is all sent: replies race the hang-ups (kazoo's test_connection_dropped).
    big = b"a" * (1000 * 1024)
    rng = random.Random(7)
    for i in range(150):
        hangup = RawSession(port)
        request = frame(struct.pack(">ii", 1, 5) + jstr("/keep") + struct.pack(">i", len(big))
                        + big + struct.pack(">i", -1))
        cut = len(request) if i % 3 else rng.randrange(1, len(request))
        try:
            hangup.sock.sendall(request[:cut])
        except OSError:
            pass
        if i % 2:
            hangup.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        hangup.sock.close()
    check(proc.poll() is None, "150 clients hanging up on their 1 MB writes leave the server up")
    check(len(good.get("/keep")[0]) in (2, len(big)), "the good session still reads /keep")
    good.stop()
    good.close()


if __name__ == "__main__":
    sys.exit(main())
