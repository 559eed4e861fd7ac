"""An example out-of-tree connection plugin, written as a third party would:
``ansible_connection: nsenter`` runs a host's tasks inside the namespaces of a running
process (a container started with ``unshare``, ``podman``, ``systemd-nspawn``...) with
util-linux ``nsenter``, on the controller, as root.

Its settings are declared in ``DOCUMENTATION`` (below) and resolved by the kernel per
host and task, like any plugin's: ``ansible_nsenter_pid`` says which process's
namespaces to enter.  Commands, module servers and privilege escalation are the
``local`` connection's, with ``nsenter`` in front of the shell (``command_argv``);
files are streamed through ``cat`` inside the namespaces, since the container's mount
namespace may see other files than the controller.
"""
from __future__ import annotations

import os
import shlex
import shutil
import signal
import stat
import subprocess
from typing import IO

from corral.errors import CorralConnectionFailure, CorralError, CorralFileNotFound, CorralOptionsError
from corral.plugins import hookimpl
from corral_connection_local import LocalConnection

__all__ = ["NsenterConnection"]

DOCUMENTATION = """
name: nsenter
short_description: Run tasks inside the namespaces of a running process with nsenter
options:
  nsenter_pid:
    description: PID, as the controller sees it, of a process inside the container (its init).
    type: int
    required: true
    vars: [{name: ansible_nsenter_pid}]
  nsenter_namespaces:
    description: The namespaces to enter (mount, uts, ipc, net, pid, cgroup, time, user).
    type: list
    default: [mount, uts, ipc, net, pid]
    ini: [{section: nsenter_connection, key: namespaces}]
    env: [{name: ANSIBLE_NSENTER_NAMESPACES}]
    vars: [{name: ansible_nsenter_namespaces}]
  nsenter_exe:
    description: The nsenter program.
    default: nsenter
    ini: [{section: nsenter_connection, key: executable}]
    env: [{name: ANSIBLE_NSENTER_EXE}]
    vars: [{name: ansible_nsenter_exe}]
"""

#: nsenter's flag for each namespace
_FLAGS = {"mount": "--mount", "uts": "--uts", "ipc": "--ipc", "net": "--net", "pid": "--pid",
          "cgroup": "--cgroup", "time": "--time", "user": "--user"}


class NsenterConnection(LocalConnection):
    """Runs commands with ``nsenter --target PID <namespaces> -- /bin/sh -c``."""

    transport = "nsenter"

    def connect(self) -> None:
        """Check that the container's process and ``nsenter`` exist and that the namespace
        names are known (nothing stays open)."""
        pid = self.get_option("nsenter_pid")
        if not os.path.isdir(f"/proc/{pid}"):
            raise CorralConnectionFailure(f"nsenter: there is no process {pid} on the controller "
                                          f"(ansible_nsenter_pid of {self.options.inventory_hostname}): "
                                          f"is the container running?")
        if shutil.which(self.get_option("nsenter_exe")) is None:
            raise CorralConnectionFailure(f"nsenter: cannot find {self.get_option('nsenter_exe')!r}")
        self._namespace_flags()

    def _namespace_flags(self) -> list[str]:
        names = self.get_option("nsenter_namespaces")
        unknown = [name for name in names if name not in _FLAGS]
        if unknown:
            raise CorralOptionsError(f"nsenter_namespaces of {self.options.inventory_hostname}: unknown "
                                     f"namespace(s) {', '.join(unknown)} (known: {', '.join(_FLAGS)})")
        return [_FLAGS[name] for name in names]

    def command_argv(self, cmd: str) -> list[str]:
        """``nsenter --target PID --mount --uts ... -- /bin/sh -c cmd``."""
        return [self.get_option("nsenter_exe"), "--target", str(self.get_option("nsenter_pid")),
                *self._namespace_flags(), "--", "/bin/sh", "-c", cmd]

    def shared_process_key(self) -> str:
        """Hosts in the same container (same process and namespaces) share module servers."""
        return f"nsenter:{self.get_option('nsenter_pid')}:{','.join(self.get_option('nsenter_namespaces'))}"

    def put_file(self, in_path: str, out_path: str) -> None:
        """Stream ``in_path`` into the container's ``out_path``, keeping its mode; a partial
        file is removed."""
        try:
            mode = stat.S_IMODE(os.stat(in_path).st_mode)
        except OSError as exc:
            raise CorralFileNotFound(f"cannot read {in_path} to transfer it: {exc.strerror}") from exc
        path = shlex.quote(out_path)
        with open(in_path, "rb") as source:
            rc, err = self._stream(f"cat > {path} && chmod {mode:o} {path} || {{ rc=$?; rm -f -- {path}; "
                                   f"exit $rc; }}", stdin=source)
        if rc != 0:
            raise CorralError(f"Failed to transfer file to '{out_path}' in the container: {err}")

    def fetch_file(self, in_path: str, out_path: str) -> None:
        """Stream the container's ``in_path`` to ``out_path``; no partial file is left."""
        os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
        partial = f"{out_path}.corral-partial"
        with open(partial, "wb") as target:
            rc, err = self._stream(f"cat -- {shlex.quote(in_path)}", stdout=target)
        if rc != 0:
            os.unlink(partial)
            error = CorralFileNotFound if "No such file" in err else CorralError
            raise error(f"failed to fetch file {in_path} from the container: {err}")
        os.replace(partial, out_path)

    def _stream(self, cmd: str, stdin: IO[bytes] | None = None,
                stdout: IO[bytes] | None = None) -> tuple[int, str]:
        """Run ``cmd`` in the container with files as its stdin/stdout; ``(rc, stderr)``.
        Interrupted, the command's process group is killed before the interruption goes on."""
        proc = subprocess.Popen(self.command_argv(cmd), stdin=stdin or subprocess.DEVNULL,
                                stdout=stdout or subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _, err = proc.communicate()
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        return proc.returncode, err.decode("utf-8", "replace").strip()


@hookimpl
def corral_connection(name: str) -> type[NsenterConnection] | None:
    return NsenterConnection if name == "nsenter" else None
