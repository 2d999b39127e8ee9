#!/usr/bin/python3
"""House rules as a test (STYLE.md): the pure engine stays deterministic and free of Qt and
Asio, lines stay within 100 columns, and C++ files are clang-formatted.
Usage: check_house_rules.py REPO_ROOT"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

# Folders whose code must be pure: no clocks, no global randomness, no threads, no I/O
# frameworks. net/, cluster/, client/ and cli/ wrap Asio; storage/ owns files and its thread.
PURE = ["core", "proto", "data", "server", "node", "election", "zab", "sim", "config"]
FORBIDDEN_IN_PURE = [
    (re.compile(r"std::chrono::\w+_clock::now|system_clock|steady_clock"), "reads a clock"),
    (re.compile(r"\bstd::rand\b|\brand\(\)|random_device"), "uses global randomness"),
    (re.compile(r"std::(j?thread|async)\b|#include <thread>"), "starts threads"),
    (re.compile(r"#include <boost/asio|#include \"net/"), "includes Asio"),
]
FORBIDDEN_IN_ENGINE = [(re.compile(r"#include <Q|#include \"ui/"), "includes Qt")]


def main():
    root = Path(sys.argv[1])
    problems = []
    sources = [p for p in (root / "engine").rglob("*") if p.suffix in (".h", ".cpp")]
    for path in sources:
        relative = path.relative_to(root)
        text = path.read_text(errors="replace")
        rules = list(FORBIDDEN_IN_ENGINE)
        if relative.parts[1] in PURE:
            rules += FORBIDDEN_IN_PURE
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("//"):
                continue
            for pattern, what in rules:
                if pattern.search(line):
                    problems.append(f"{relative}:{number}: {what}: {stripped}")
    everything = [p for folder in ("engine", "ui", "app", "tests")
                  for p in (root / folder).rglob("*") if p.suffix in (".h", ".cpp")]
    for path in everything:
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if len(line) > 100:
                problems.append(f"{path.relative_to(root)}:{number}: longer than 100 columns")
    clang_format = shutil.which("clang-format")
    if clang_format:
        for path in everything:
            result = subprocess.run([clang_format, "--dry-run", "-Werror", str(path)],
                                    capture_output=True, text=True, cwd=root)
            if result.returncode != 0:
                problems.append(f"{path.relative_to(root)}: not clang-formatted")
    for problem in problems:
        print(problem)
    print(f"{len(everything)} files checked")
    print(f"{0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
