"""corral-become-runuser: a root login user becomes another user; run by anyone
else, runuser refuses and its message is the failure."""
from __future__ import annotations

import subprocess

from corral.plugins.become import build_become_command, run_become_handshake
from corral.plugins.connection import Become


def test_a_play_runs_its_task_as_the_become_user(escalate, corral_su_user) -> None:
    assert escalate("runuser", corral_su_user.name) == corral_su_user.name


def test_a_refusal_is_the_failure(corral_su_user) -> None:
    bc = build_become_command("id -un", Become(method="runuser", user="root"))
    proc = subprocess.Popen(["runuser", "-u", corral_su_user.name, "--", "/bin/sh", "-c", bc.cmd],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd="/")
    try:
        handshake = run_become_handshake(proc.stdin.fileno(), proc.stdout.fileno(), proc.stderr.fileno(),
                                         bc, timeout=15)
    finally:
        proc.kill()
        proc.wait(timeout=5)
    assert handshake.failed and "may not be used by non-root users" in handshake.failed
