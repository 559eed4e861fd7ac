"""Host pattern cases compared with Ansible (``ansible PATTERN --list-hosts``).

``record_patterns.py`` records Ansible's answers into
``expected/patterns.json``; ``test_pattern_differential.py`` compares
corral's InventoryManager with them (and with Ansible live when installed).
"""
from __future__ import annotations

import os
import subprocess

from cases import FIXTURES, ROOT, clean_env

ANSIBLE = os.path.join(ROOT, ".oracle", "bin", "ansible")
SOURCES = [os.path.join(FIXTURES, "ini", "hosts.ini"), os.path.join(FIXTURES, "edge", "edge.ini"),
           os.path.join(FIXTURES, "edge", "edge.yml")]

#: (pattern, limit or None)
PATTERNS: list[tuple[str, str | None]] = [
    ("all", None), ("*", None), ("prod", None), ("web", None), ("web:db", None), ("web,db", None),
    ("prod:&staging", None), ("prod:!staging", None), ("!web", None), ("&db", None),
    ("web*", None), ("*.example.com", None), ("web-?", None), ("~node[15]", None), ("~.*example", None),
    ("web[0]", None), ("web[-1]", None), ("web[2:4]", None), ("web[3:]", None), ("prod[1]", None),
    ("web[0]:db[-1]", None), ("node[1:9:4]", None), ("db1:lonely", None), ("nosuch", None),
    ("localhost", None), ("127.0.0.1", None), ("ungrouped", None), ("deep:&newgrp", None),
    ("all:!prod:!ungrouped", None), ("shared", None), ("web-servers:db", None), ("*1", None),
    ("all", "web"), ("all", "prod:!web"), ("web", "web[0:1]"), ("all", "db*,lonely"),
    ("prod", "nosuch"), ("all", "~^w"),
]


def ansible_hosts(pattern: str, limit: str | None, cwd: str) -> list[str]:
    """Ansible's hosts for ``pattern`` (and ``--limit``), in its order."""
    cmd = [ANSIBLE, pattern, "--list-hosts"]
    for source in SOURCES:
        cmd += ["-i", source]
    if limit is not None:
        cmd += ["--limit", limit]
    proc = subprocess.run(cmd, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=120,
                          check=False)
    lines = proc.stdout.splitlines()
    return [line.strip() for line in lines[1:]] if lines and lines[0].strip().startswith("hosts (") else []
