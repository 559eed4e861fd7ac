"""Module invocations whose result keys are compared with ansible-core's.

``SCRATCH`` is replaced by a fresh directory prepared by :func:`prepare`, the same
for the recording (``record.py``, with the oracle) and for the test (with corral).
"""
from __future__ import annotations

from pathlib import Path

CASES: list[tuple[str, str, dict]] = [
    ("ping", "ping", {}),
    ("command", "command", {"_raw_params": "echo hi"}),
    ("command_creates", "command", {"_raw_params": "echo hi", "creates": "SCRATCH"}),
    ("command_fails", "command", {"argv": ["false"]}),
    ("shell", "shell", {"_raw_params": "echo hi >&2"}),
    ("file_touch", "file", {"path": "SCRATCH/touched", "state": "touch"}),
    ("file_directory", "file", {"path": "SCRATCH/dir/sub", "state": "directory"}),
    ("file_link", "file", {"path": "SCRATCH/link", "src": "SCRATCH/existing", "state": "link"}),
    ("file_absent", "file", {"path": "SCRATCH/existing", "state": "absent"}),
    ("file_missing", "file", {"path": "SCRATCH/nope", "state": "file"}),
    ("copy_content", "copy", {"content": "text\n", "dest": "SCRATCH/copied"}),
    ("stat", "stat", {"path": "SCRATCH/existing"}),
    ("stat_missing", "stat", {"path": "SCRATCH/nope"}),
    ("slurp", "slurp", {"src": "SCRATCH/existing"}),
    ("lineinfile", "lineinfile", {"path": "SCRATCH/existing", "line": "added"}),
    ("lineinfile_absent", "lineinfile", {"path": "SCRATCH/existing", "regexp": "^first", "state": "absent"}),
    ("blockinfile", "blockinfile", {"path": "SCRATCH/existing", "block": "x"}),
    ("replace", "replace", {"path": "SCRATCH/existing", "regexp": "first", "replace": "1st"}),
    ("find", "find", {"paths": "SCRATCH"}),
    ("tempfile", "tempfile", {"path": "SCRATCH"}),
    ("unsupported", "file", {"path": "SCRATCH", "bogus": 1}),
    ("missing_required", "file", {"state": "touch"}),
    ("bad_choice", "file", {"path": "SCRATCH", "state": "bogus"}),
    ("bad_type", "file", {"path": "SCRATCH", "recurse": "maybe"}),
]


def prepare(scratch: Path) -> None:
    """Create the files the cases expect."""
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "existing").write_text("first line\nsecond line\n")


def substitute(value, scratch: Path):
    if isinstance(value, str):
        return value.replace("SCRATCH", str(scratch))
    if isinstance(value, list):
        return [substitute(v, scratch) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, scratch) for k, v in value.items()}
    return value
