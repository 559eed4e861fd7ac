"""become over ssh with real sudo (password asked every time) and su."""
from __future__ import annotations

import os

import pytest

from corral.errors import CorralOptionsError
from corral.plugins.become import BecomeHandshake, build_become_command
from corral.plugins.connection import Become


def test_sudo_with_the_right_password_runs_as_root_and_feeds_stdin(connect, corral_ssh_user):
    conn = connect()
    payload = os.urandom(600_000)
    rc, out, err = conn.exec_command("id -un; wc -c", in_data=payload,
                                     become=Become(password=corral_ssh_user.password))
    assert rc == 0, err
    assert out.split() == [b"root", b"600000"]
    assert corral_ssh_user.password.encode() not in out + err
    assert b"BECOME-SUCCESS" not in out


def test_sudo_to_another_user_with_flags(connect, corral_ssh_user, corral_su_user):
    conn = connect()
    rc, out, err = conn.exec_command(
        "id -un; echo $HOME", become=Become(user=corral_su_user.name, flags="-H -S",
                                            password=corral_ssh_user.password))
    assert rc == 0, err
    assert out.decode().split() == [corral_su_user.name, str(corral_su_user.home)]


def test_sudo_wrong_password_fails_fast_without_leaking(connect, corral_ssh_user):
    conn = connect()
    rc, out, err = conn.exec_command("id -un", become=Become(password="not-the-password"))
    assert rc != 0
    assert out == b""
    assert b"Incorrect sudo password" in err
    assert b"not-the-password" not in err
    # the connection is still usable afterwards
    assert conn.exec_command("echo fine")[1] == b"fine\n"


def test_sudo_without_password_when_one_is_needed_fails(connect):
    rc, out, err = connect().exec_command("id -un", become=Become())
    assert rc != 0
    assert b"Missing sudo password" in err


def test_su_to_another_user(connect, corral_su_user):
    conn = connect()
    rc, out, err = conn.exec_command("id -un; cat", in_data=b"payload",
                                     become=Become(method="su", user=corral_su_user.name,
                                                   password=corral_su_user.password))
    assert rc == 0, err
    assert out == f"{corral_su_user.name}\npayload".encode()
    assert corral_su_user.password.encode() not in out + err


def test_su_wrong_password(connect, corral_su_user):
    rc, out, err = connect().exec_command(
        "id -un", become=Become(method="su", user=corral_su_user.name, password="wrong-one"))
    assert rc != 0
    assert b"Incorrect su password" in err
    assert b"wrong-one" not in err


def test_become_command_never_contains_the_password():
    bc = build_become_command("echo hi", Become(password="s3cret-pw"))
    assert "s3cret-pw" not in bc.cmd
    assert "s3cret-pw" not in repr(bc)
    assert bc.prompt and bc.prompt in bc.cmd
    assert "-n" not in bc.cmd.split()
    assert "-n" in build_become_command("echo hi", Become()).cmd.split()


def test_unsupported_method_is_a_clear_error():
    with pytest.raises(CorralOptionsError, match="unsupported become method 'pbrun'"):
        build_become_command("true", Become(method="pbrun"))


def test_handshake_answers_once_and_detects_retry_prompt():
    bc = build_become_command("true", Become(password="pw"))
    hs = BecomeHandshake(bc)
    assert hs.feed(err=bc.prompt.encode()) == b"pw\n"
    assert hs.feed(err=b"\nSorry, try again.\n" + bc.prompt.encode()) == b""
    assert hs.done and hs.failed == "Incorrect sudo password"


def test_handshake_passes_output_after_the_marker():
    bc = build_become_command("true", Become(password="pw"))
    hs = BecomeHandshake(bc)
    hs.feed(err=bc.prompt.encode())
    hs.feed(out=f"{bc.success}\nhello".encode())
    assert hs.done and hs.failed is None and hs.stdout == b"hello"


@pytest.mark.parametrize("password, ok", [("right", True), ("wrong", False)])
def test_run_become_handshake_over_pipes(corral_ssh_user, password, ok):
    """The fd-based driver (what pipe-based connections use), with real sudo as the test user."""
    import subprocess

    from corral.plugins.become import run_become_handshake
    secret = corral_ssh_user.password if password == "right" else "bad-guess"
    bc = build_become_command("id -un; wc -c", Become(password=secret))
    proc = subprocess.Popen(["runuser", "-u", corral_ssh_user.name, "--", "/bin/sh", "-c", bc.cmd],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd="/")
    try:
        hs = run_become_handshake(proc.stdin.fileno(), proc.stdout.fileno(), proc.stderr.fileno(),
                                  bc, timeout=15)
        if ok:
            assert hs.failed is None
            out, err = proc.communicate(b"12345", timeout=15)
            assert (hs.stdout + out).split() == [b"root", b"5"]
            assert secret.encode() not in hs.stderr + err
        else:
            assert hs.failed == "Incorrect sudo password"
            assert secret.encode() not in hs.stderr
    finally:
        proc.kill()
        proc.wait(timeout=5)


def test_escalation_that_never_answers_is_bounded_by_the_timeout(connect):
    import time
    conn = connect(timeout=1)
    start = time.monotonic()
    rc, out, err = conn.exec_command("true", become=Become(exe="sleep 5; sudo"))
    assert rc != 0 and b"Timeout (1s) waiting for sudo privilege escalation prompt" in err
    assert time.monotonic() - start < 3
    assert conn.exec_command("echo next")[1] == b"next\n"
