"""``ansible.module_utils.service``: helpers of service-managing modules."""
from __future__ import annotations

import ast
import glob
import os
import platform
import select
import shlex
import subprocess
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from corral.module_utils._text import to_bytes, to_text

__all__ = ["sysv_is_enabled", "get_sysv_script", "sysv_exists", "get_ps", "fail_if_missing", "daemonize",
           "check_ps", "is_systemd_managed"]


def sysv_is_enabled(name: str, runlevel: str | None = None) -> bool:
    """Whether a SysV init script ``name`` is started in ``runlevel`` (any, by default)."""
    pattern = f"/etc/rc{runlevel or '?'}.d/S??{name}"
    return bool(glob.glob(pattern))


def get_sysv_script(name: str) -> str:
    """The path of the SysV init script ``name``."""
    return f"/etc/init.d/{name}"


def sysv_exists(name: str) -> bool:
    """Whether the SysV init script ``name`` exists."""
    return os.path.exists(get_sysv_script(name))


def get_ps(module: Any, pattern: str) -> bool:
    """Whether a process whose command line contains ``pattern`` is running."""
    psbin = module.get_bin_path("ps", True)
    flags = "auxww" if platform.system() != "SunOS" else "-ef"
    rc, out, _err = module.run_command([psbin, flags])
    return rc == 0 and any(pattern in line for line in out.split("\n"))


check_ps = get_ps


def fail_if_missing(module: Any, found: bool, service: str, msg: str = "") -> None:
    """Fail the module (unless in check mode) when ``service`` was not ``found``."""
    if not found:
        module.fail_json(msg=f"Could not find the requested service {service}: {msg}")


def is_systemd_managed(module: Any) -> bool:
    """Whether systemd is the init system (``/run/systemd/system`` exists)."""
    if not module.get_bin_path("systemctl"):
        return False
    return os.path.isdir("/run/systemd/system") or os.path.islink("/sbin/init") and \
        os.path.basename(os.readlink("/sbin/init")) == "systemd"


def daemonize(module: Any, cmd: Any) -> tuple[int, str, str]:
    """Run ``cmd`` detached from the module (double fork, new session) so that it
    survives the module's exit; returns ``(rc, out, err)`` of its start."""
    args = shlex.split(to_text(cmd)) if isinstance(cmd, (str, bytes)) else [to_text(c) for c in cmd]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        os.setsid()
        os.chdir("/")
        if os.fork() > 0:
            os._exit(0)
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                close_fds=True, start_new_session=True)
        out, err = proc.communicate()
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(to_bytes(repr((proc.returncode, to_text(out), to_text(err)))))
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    data = b""
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            ready, _w, _x = select.select([pipe], [], [], 1)
            chunk = pipe.read() if ready else b""
            if not chunk:
                break
            data += chunk
    if not data:
        return 1, "", "the service command did not report back"

    rc, out, err = ast.literal_eval(to_text(data))
    return rc, out, err


