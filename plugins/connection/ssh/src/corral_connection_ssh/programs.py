"""File transfers through OpenSSH's ``sftp`` or ``scp`` program.

The connection moves files over its paramiko session's SFTP channel, unless
``sftp_extra_args`` or ``scp_extra_args`` is set (``--sftp-extra-args``,
``ansible_sftp_extra_args``...): then, as ansible-core's ssh plugin does, the file
goes through that program (``sftp`` when both are set), which receives those
arguments.  The program logs in with what the connection resolved (user, port,
identity files, known hosts files and host key checking, jump hosts or proxy command,
timeout; the ``ssh_*_args`` reach it through these), the plugin's own options first
and the extra arguments last, as ansible-core orders them.  The programs run in batch
mode: a login needing a password fails (ansible-core uses ``sshpass`` for that).
"""
from __future__ import annotations

import shlex
import subprocess
import tempfile
from typing import Any

from corral.errors import CorralError

from corral_connection_ssh.settings import SshSettings

__all__ = ["transfer_program", "openssh_options", "put_with_program", "fetch_with_program"]


def transfer_program(options: Any) -> tuple[str, list[str]] | None:
    """``(program, extra arguments)`` when an option asks for an OpenSSH transfer
    program, else None (the session's SFTP channel)."""
    for program in ("sftp", "scp"):
        extra = options.get(f"{program}_extra_args")
        if extra:
            return program, shlex.split(str(extra))
    return None


def openssh_options(settings: SshSettings) -> list[str]:
    """OpenSSH arguments that log in as the connection does."""
    target = settings.target
    args = ["-o", "BatchMode=yes", "-o", f"Port={target.port}", "-o", f"User={target.user}",
            "-o", f"ConnectTimeout={max(1, int(settings.timeout))}"]
    for key in target.key_files:
        args += ["-o", f"IdentityFile={key}"]
    if settings.identities_only:
        args += ["-o", "IdentitiesOnly=yes"]
    if settings.known_hosts_files:
        args += ["-o", "UserKnownHostsFile=" + " ".join(f'"{path}"' for path in settings.known_hosts_files)]
    args += ["-o", f"StrictHostKeyChecking={'yes' if settings.host_key_checking else 'no'}"]
    if settings.jumps:
        args += ["-J", ",".join(str(hop) for hop in settings.jumps)]
    elif settings.proxy_command:
        args += ["-o", f"ProxyCommand={settings.proxy_command}"]
    return args


def _host(settings: SshSettings) -> str:
    host = settings.target.host
    return f"[{host}]" if ":" in host else host


def _quoted(path: str) -> str:
    """A path as sftp's batch commands read it."""
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _run(argv: list[str], batch: str | None, what: str, timeout: float) -> None:
    """Run ``argv`` (``batch`` on its stdin); its output goes to a file, not a pipe, so
    that a control master it leaves running (``ControlPersist``) does not hold the
    transfer open."""
    with tempfile.TemporaryFile() as output:
        try:
            proc = subprocess.run(argv, input=(batch or "").encode(), stdout=output, stderr=output,
                                  timeout=timeout)
        except FileNotFoundError as exc:
            raise CorralError(f"{what}: the {argv[0]} program is not installed") from exc
        except subprocess.TimeoutExpired as exc:
            raise CorralError(f"{what}: {argv[0]} made no progress for {timeout:g} seconds") from exc
        output.seek(0)
        text = output.read().decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise CorralError(f"{what}: {argv[0]} failed: {text or f'exit code {proc.returncode}'}")


def _time_limit(settings: SshSettings) -> float:
    """How long one transfer may take: generous, the login is bounded by ConnectTimeout."""
    return max(settings.timeout, 1.0) * 30


def put_with_program(program: str, extra: list[str], settings: SshSettings, in_path: str, out_path: str,
                     mode: int, what: str) -> None:
    """Upload ``in_path`` to ``out_path`` with ``program``, then give it ``mode``."""
    if program == "sftp":
        batch = f"put {_quoted(in_path)} {_quoted(out_path)}\nchmod {mode:o} {_quoted(out_path)}\n"
        _run(["sftp", "-b", "-", *openssh_options(settings), *extra, _host(settings)], batch, what,
             _time_limit(settings))
        return
    _run(["scp", "-p", *openssh_options(settings), *extra, in_path, f"{_host(settings)}:{out_path}"], None, what,
         _time_limit(settings))


def fetch_with_program(program: str, extra: list[str], settings: SshSettings, in_path: str, out_path: str,
                       what: str) -> None:
    """Download ``in_path`` to ``out_path`` with ``program``, keeping its mode."""
    if program == "sftp":
        _run(["sftp", "-b", "-", *openssh_options(settings), *extra, _host(settings)],
             f"get -p {_quoted(in_path)} {_quoted(out_path)}\n", what, _time_limit(settings))
        return
    _run(["scp", "-p", *openssh_options(settings), *extra, f"{_host(settings)}:{in_path}", out_path], None, what,
         _time_limit(settings))
