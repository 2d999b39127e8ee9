"""Normalizes a zkCli.sh transcript so Apache's and ZooLab's can be compared line by line.

Masks what legitimately differs between servers and runs (zxids, times, session ids, the
port) and moves watch notifications, which zkCli prints from its event thread at racy
points, to an ordered list after the session's command output. Reads stdin, writes stdout.
"""
import re
import sys

MASKS = [
    (re.compile(r"^(cZxid|mZxid|pZxid) = 0x[0-9a-f]+$"), r"\1 = <zxid>"),
    (re.compile(r"^(ctime|mtime) = .*$"), r"\1 = <time>"),
    (re.compile(r"^ephemeralOwner = 0x[0-9a-f]*[1-9a-f][0-9a-f]*$"), "ephemeralOwner = <session>"),
    (re.compile(r"^Connecting to .*$"), "Connecting to <server>"),
    (re.compile(r"0x[0-9a-f]{9,}"), "<session>"),
]
DROP = [re.compile(r"^SLF4J:"), re.compile(r"^JLine support is")]

lines = sys.stdin.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
out, events = [], []
for line in lines:
    if any(p.search(line) for p in DROP):
        continue
    # printMessage() prints "\n" + msg atomically: drop the blank line it brings along.
    if line == "WATCHER::" or line.startswith("WatchedEvent "):
        if out and out[-1] == "":
            out.pop()
        if line != "WATCHER::":
            events.append("event: " + line)
        continue
    for pattern, repl in MASKS:
        line = pattern.sub(repl, line)
    out.append(line)
print("\n".join(out + ["--- watch events, in order ---"] + events))
