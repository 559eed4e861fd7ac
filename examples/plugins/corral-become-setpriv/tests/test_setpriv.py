"""The setpriv become method, for real: run as root, it becomes ``nobody``."""
from __future__ import annotations

import subprocess

from corral.plugins.become import build_become_command, run_become_handshake
from corral.plugins.connection import Become
from corral.plugins.manager import PluginManager

from corral_become_setpriv import SetprivBecome


def _run(become: Become, cmd: str) -> tuple[str | None, bytes]:
    bc = build_become_command(cmd, become)
    proc = subprocess.Popen(["/bin/sh", "-c", bc.cmd], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd="/")
    try:
        handshake = run_become_handshake(proc.stdin.fileno(), proc.stdout.fileno(), proc.stderr.fileno(),
                                         bc, timeout=10)
        out = b"" if handshake.failed else proc.communicate(timeout=10)[0]
    finally:
        proc.kill()
        proc.wait(timeout=5)
    return handshake.failed, handshake.stdout + out


def test_the_entry_point_provides_the_method() -> None:
    assert PluginManager().become_class("setpriv") is SetprivBecome


def test_becomes_the_user_with_its_primary_group_and_a_clean_environment() -> None:
    failed, out = _run(Become(method="setpriv", user="nobody"), "id -un; id -gn; echo $HOME")
    assert failed is None
    assert out.decode().split() == ["nobody", "nogroup", "/nonexistent"]


def test_become_group_picks_the_group() -> None:
    become = Become(method="setpriv", user="nobody", extra=(("become_group", "daemon"),))
    assert _run(become, "id -gn") == (None, b"daemon\n")


def test_an_unknown_user_is_the_failure() -> None:
    failed, _ = _run(Become(method="setpriv", user="no-such-user-here"), "true")
    assert failed is not None and "no-such-user-here" in failed
