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
    ("command_stdin", "command", {"argv": ["cat"], "stdin": "piped"}),
    ("file_hard", "file", {"path": "SCRATCH/hard", "src": "SCRATCH/existing", "state": "hard"}),
    ("lineinfile_create", "lineinfile", {"path": "SCRATCH/new", "line": "x", "create": True}),
    ("lineinfile_missing", "lineinfile", {"path": "SCRATCH/nope", "line": "x"}),
    ("copy_remote_src", "copy", {"src": "SCRATCH/existing", "dest": "SCRATCH/copy", "remote_src": True}),
    ("wait_for_path", "wait_for", {"path": "SCRATCH/existing", "timeout": 2}),
    ("wait_for_timeout", "wait_for", {"path": "SCRATCH/nope", "timeout": 1}),
    ("known_hosts", "known_hosts", {"name": "example.com", "path": "SCRATCH/known_hosts", "key":
        "example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"}),
    ("git_clone", "git", {"repo": "SCRATCH/repo", "dest": "SCRATCH/checkout"}),
    ("template", "template", {"src": "SCRATCH/t.j2", "dest": "SCRATCH/rendered"}),
    ("fetch_flat", "fetch", {"src": "SCRATCH/existing", "dest": "SCRATCH/fetched/", "flat": True}),
    ("fetch_missing", "fetch", {"src": "SCRATCH/nope", "dest": "SCRATCH/fetched/"}),
    ("unsupported", "file", {"path": "SCRATCH", "bogus": 1}),
    ("missing_required", "file", {"state": "touch"}),
    ("bad_choice", "file", {"path": "SCRATCH", "state": "bogus"}),
    ("bad_type", "file", {"path": "SCRATCH", "recurse": "maybe"}),
]


def prepare(scratch: Path) -> None:
    """Create the files the cases expect (and a one-commit git repository)."""
    import os
    import subprocess
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "existing").write_text("first line\nsecond line\n")
    (scratch / "t.j2").write_text("x={{ 1 + 1 }}\n")
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@e")
    (scratch / "repo").mkdir()
    for command in (["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "one"]):
        subprocess.run(["git", *command], cwd=scratch / "repo", env=env, check=True)


def substitute(value, scratch: Path):
    if isinstance(value, str):
        return value.replace("SCRATCH", str(scratch))
    if isinstance(value, list):
        return [substitute(v, scratch) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, scratch) for k, v in value.items()}
    return value
