"""Ports for test servers: free on 127.0.0.1 and on the wildcard address (Apache binds its
client and admin ports to 0.0.0.0), and outside the kernel's ephemeral range.

Servers in these tests are stopped and started again on the same port. A port from the
ephemeral range can be taken meanwhile as the source port of some outgoing connection, and a
client retrying against the stopped server can even be given that port and connect to
itself (TCP simultaneous open): kazoo then reads its own ConnectRequest back as the reply,
sees a session timeout of 0 and reports its session expired.

usage as a script: free_ports.py COUNT   prints a base port B with B..B+COUNT-1 free"""
import random
import socket
import sys

LOWEST = 10000


def ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
            return low, high
    except (OSError, ValueError):
        return 32768, 60999


def server_port_span():
    """The larger span of ports outside the ephemeral range, as (first, last)."""
    low, high = ephemeral_range()
    below = (LOWEST, low - 1)
    above = (high + 1, 65535)
    return max(below, above, key=lambda span: span[1] - span[0])


def free_port_block(count):
    first, last = server_port_span()
    rng = random.SystemRandom()
    for _ in range(200):
        base = rng.randrange(first, last - count + 2)
        socks = []
        try:
            for port in range(base, base + count):
                for addr in ("127.0.0.1", "0.0.0.0"):
                    s = socket.socket()
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    socks.append(s)
                    s.bind((addr, port))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port block found")


def free_port():
    return free_port_block(1)


if __name__ == "__main__":
    print(free_port_block(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
