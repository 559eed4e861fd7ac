"""A host's one module (``ModuleRequest.alone``, the ad-hoc CLI) runs in a fresh
interpreter without a module server, over real ssh logins."""
from __future__ import annotations

import re
from pathlib import Path

from corral.executor.connections import ConnectionCache
from corral.executor.module_inline import INLINE_SOURCE
from corral.plugins.connection import Become
from corral.plugins.executor import ModuleRequest, Traced
from corral_connection_ssh import SshConnection

# what the payload sees: its parent's command line (the login shell, or a module server),
# and whether the runtime library's compiler hook is there
_WHERE = (b"import os, sys\n"
          b"print(open('/proc/%d/cmdline' % os.getppid(), 'rb').read().replace(b'\\0', b' ').decode())\n"
          b"print('__corral_server__' in sys.modules, os.geteuid(), os.environ.get('GREETING'))\n")
_INLINE = f"sys.stdin.buffer.read({len(INLINE_SOURCE)})"


def _run(cache: ConnectionCache, options, request: ModuleRequest) -> tuple[tuple[int, bytes, bytes], str]:
    traced = cache.handle("h", options, request)
    assert isinstance(traced, Traced)
    return traced.reply, "\n".join(traced.lines)


def test_a_lone_module_runs_in_a_fresh_interpreter_and_a_second_one_starts_the_server(
        corral_ssh_options, corral_sshd):
    options = corral_ssh_options(address="127.0.0.8")
    cache = ConnectionCache(lambda name: SshConnection)
    before = corral_sshd.accepted_sessions(address="127.0.0.8")
    alone = ModuleRequest("python3", _WHERE, (("GREETING", "hi"),), trace=True, alone=True)
    try:
        (rc, out, err), trace = _run(cache, options, alone)
        assert (rc, err) == (0, b""), err
        parent, flags = out.decode().splitlines()
        hook, _, greeting = flags.split()
        assert (hook, greeting) == ("True", "hi")     # the library's compiler hook, the environment
        assert parent.split()[0].endswith("sh"), parent   # the login's shell, not a module server
        assert _INLINE in trace and "module server" not in trace and "GREETING=hi" in trace
        # an action that runs a second module on the host: the server starts after all
        (rc, out, _), trace = _run(cache, options, alone)
        assert rc == 0 and "EXEC module on the module server of python3" in trace
        assert out.decode().startswith("python3 -c import sys;exec(sys.stdin.buffer.read("), out
        assert corral_sshd.accepted_sessions(address="127.0.0.8") == before + 1
    finally:
        cache.close_all()


def test_a_lone_module_exits_and_fails_as_from_a_plain_interpreter(corral_ssh_options, corral_ssh_user):
    options = corral_ssh_options(address="127.0.0.8")
    cache = ConnectionCache(lambda name: SshConnection)
    try:
        rc, out, err = cache.handle("a", options, ModuleRequest(
            "python3", b"import sys\nprint('out')\nsys.stderr.write('oops')\nsys.exit(3)\n", alone=True))
        assert (rc, out, err) == (3, b"out\n", b"oops")
        rc, out, err = cache.handle("b", options, ModuleRequest(
            "python3", b"raise RuntimeError('broken module')\n", alone=True))
        assert rc == 1 and out == b"" and b"RuntimeError: broken module" in err
        rc, out, err = cache.handle("c", options, ModuleRequest(
            "python3", b"import sys; sys.stdout.write(sys.stdin.read() + 'end')",
            become=Become(password=corral_ssh_user.password), alone=True))
        assert (rc, out) == (0, b"end"), err    # stdin is empty: the payload was all of it
        rc, out, err = cache.handle("d", options, ModuleRequest("no-such-python3", b"print(1)", alone=True))
        assert rc == 127 and b"no-such-python3" in err
    finally:
        cache.close_all()


def test_adhoc_runs_each_hosts_module_without_a_server(corral_ssh_inventory, corral_sshd, tmp_path, cli):
    inventory = corral_ssh_inventory(count=3)
    proc = cli("corral", "-i", str(inventory), "ssh", "-m", "ping", "-f", "3", "-vvv")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("SUCCESS =>") == 3, proc.stdout
    assert len(re.findall(re.escape(_INLINE), proc.stdout)) == 3, proc.stdout
    assert "module server" not in proc.stdout
    # copy runs two modules on a host (stat, then copy): the second starts the server
    dest = Path(f"/tmp/{tmp_path.name}-copied.txt")     # where the ssh user may write
    try:
        proc = cli("corral", "-i", str(inventory), "host1", "-m", "copy", "-a", f"content=hello dest={dest}", "-vvv")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "CHANGED =>" in proc.stdout and dest.read_text() == "hello"
    finally:
        dest.unlink(missing_ok=True)
    assert "EXEC module on the module server" in proc.stdout
    # an async task polls with async_status: its modules go to the module server
    proc = cli("corral", "-i", str(inventory), "host2", "-m", "command", "-a", "echo polled",
               "-B", "10", "-P", "1", "-vvv")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "polled" in proc.stdout and _INLINE not in proc.stdout
