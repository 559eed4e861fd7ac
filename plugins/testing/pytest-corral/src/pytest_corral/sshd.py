"""Throwaway OpenSSH servers and test users, for tests that need a real SSH target.

Everything listens on loopback only (127.0.0.0/8, ``::1``) on high ports, with host
and user keys generated into a scratch directory.  Creating users and running
``sshd`` so that other users may log in needs root; the fixtures of
:mod:`pytest_corral.plugin` fail with a clear message otherwise.

- :class:`SshUser` is a local account with an empty home (no shell rc files, so a
  login costs nothing), a password, an ed25519 key, an RSA key encrypted with a
  passphrase, and optionally password-protected sudo.
- :class:`SshServer` is one logical OpenSSH server listening on several loopback
  addresses.  ``sshd`` binds at most 16 sockets, so a server with more addresses
  runs several ``sshd`` processes on the same port; it looks like one server to
  the test.  Its log tells which sessions were accepted.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterable

__all__ = ["SshUser", "SshServer", "SshdError", "create_user", "delete_user", "find_sshd",
           "generate_key", "target_python"]

_ADDRESSES_PER_SSHD = 15
_ACCEPTED = re.compile(r"Accepted (\S+) for (\S+) from (\S+) port (\d+)")
_CONNECTION = re.compile(r"Connection from (\S+) port (\d+) on (\S+) port (\d+)")


class SshdError(RuntimeError):
    """The test SSH infrastructure could not be set up (names what and why)."""


def find_sshd() -> str:
    """Return the path of OpenSSH's ``sshd``, or raise :class:`SshdError`."""
    for candidate in (shutil.which("sshd"), "/usr/sbin/sshd", "/usr/local/sbin/sshd"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SshdError("OpenSSH's sshd is not installed (Debian: apt-get install openssh-server)")


def _run(argv: list[str], **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30, **kw)
    if proc.returncode != 0:
        raise SshdError(f"{' '.join(argv)} failed (rc={proc.returncode}): {proc.stderr.strip()}")
    return proc


def generate_key(path: Path, kind: str = "ed25519", passphrase: str = "") -> Path:
    """Generate an OpenSSH private key at ``path`` (public key at ``path.pub``)."""
    argv = ["ssh-keygen", "-q", "-t", kind, "-N", passphrase, "-C", f"corral-test-{kind}",
            "-f", str(path)]
    if kind == "rsa":
        argv[4:4] = ["-b", "2048"]
    _run(argv)
    return path


@dataclasses.dataclass
class SshUser:
    """A local test account that SSH tests log in as."""

    name: str
    password: str = dataclasses.field(repr=False)
    home: Path
    key: Path                     #: unencrypted ed25519 private key
    encrypted_key: Path           #: RSA private key encrypted with ``passphrase``
    passphrase: str = dataclasses.field(repr=False)
    sudo: bool = False            #: may run anything with sudo, with its password

    def authorized_keys(self) -> str:
        return "".join(Path(f"{k}.pub").read_text() for k in (self.key, self.encrypted_key))


def create_user(workdir: Path, prefix: str = "crl", sudo: bool = False) -> SshUser:
    """Create a local user with a random name, password and keys (needs root).

    The home is created empty (no skeleton), the login shell is ``/bin/sh``.  With
    ``sudo``, a sudoers drop-in lets the user run anything after typing its
    password, asked every time (``timestamp_timeout=0``).
    """
    if os.geteuid() != 0:
        raise SshdError("creating test users needs root")
    name = f"{prefix}{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(12)
    home = Path("/home") / name
    empty_skel = workdir / "empty-skel"
    empty_skel.mkdir(exist_ok=True)
    _run(["useradd", "-m", "-k", str(empty_skel), "-d", str(home), "-s", "/bin/sh", name])
    _run(["chpasswd"], input=f"{name}:{password}\n")
    keydir = workdir / f"keys-{name}"
    keydir.mkdir()
    passphrase = secrets.token_urlsafe(8)
    user = SshUser(name, password, home, generate_key(keydir / "id_ed25519"),
                   generate_key(keydir / "id_rsa_encrypted", "rsa", passphrase), passphrase, sudo)
    ssh_dir = home / ".ssh"
    ssh_dir.mkdir(mode=0o700, exist_ok=True)
    (ssh_dir / "authorized_keys").write_text(user.authorized_keys())
    shutil.chown(ssh_dir, name, name)
    shutil.chown(ssh_dir / "authorized_keys", name, name)
    if sudo:
        rule = (f"Defaults:{name} timestamp_timeout=0, !lecture\n"
                f"{name} ALL=(ALL:ALL) ALL\n")
        dropin = Path("/etc/sudoers.d") / f"corral-test-{name}"
        dropin.write_text(rule)
        dropin.chmod(0o440)
    return user


def delete_user(user: SshUser) -> None:
    """Remove a user made by :func:`create_user`, its home and sudoers rule."""
    subprocess.run(["userdel", "-r", "-f", user.name], capture_output=True, timeout=30)
    Path("/etc/sudoers.d", f"corral-test-{user.name}").unlink(missing_ok=True)


def target_python() -> str:
    """A system python3 that any user can run (the test users cannot read /root)."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"):
        if os.access(candidate, os.X_OK):
            return candidate
    raise SshdError("no system python3 for the test users (Debian: apt-get install python3)")


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc), children before grandchildren."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(0), []):
            found.append(child)
            queue.append(child)
    return found


def _free_port(addresses: Iterable[str]) -> int:
    """A port that is free on every one of ``addresses`` (best effort, then bind decides)."""
    for _ in range(50):
        port = 20000 + secrets.randbelow(30000)
        try:
            for addr in addresses:
                family = socket.AF_INET6 if ":" in addr else socket.AF_INET
                with socket.socket(family, socket.SOCK_STREAM) as s:
                    s.bind((addr, port))
            return port
        except OSError:
            continue
    raise SshdError("no free port found on the loopback addresses")


class SshServer:
    """One or more ``sshd`` processes sharing a port, keys, users and a log.

    ``addresses`` are loopback addresses (``127.0.0.x``, ``::1``).  Host keys are
    generated into ``workdir``; :attr:`known_hosts` lists them for every address.
    ``users`` may log in (by key and password); nobody else, and not root.
    """

    def __init__(self, workdir: Path, users: list[SshUser], addresses: Iterable[str] = ("127.0.0.1",),
                 name: str = "sshd", extra_config: str = "") -> None:
        self.workdir = Path(workdir) / name
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.users = list(users)
        self.addresses = list(addresses)
        for addr in self.addresses:
            if not ipaddress.ip_address(addr).is_loopback:
                raise SshdError(f"test sshd listens on loopback only, not {addr}")
        self.extra_config = extra_config
        self.port = 0
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        self.host_key = generate_key(self.workdir / "ssh_host_ed25519_key")
        self.host_key_ecdsa = generate_key(self.workdir / "ssh_host_ecdsa_key", "ecdsa")
        self.known_hosts = self.workdir / "known_hosts"

    # -- lifecycle --------------------------------------------------------
    def start(self, timeout: float = 10.0) -> "SshServer":
        """Start the sshd processes and wait until every address accepts connections."""
        sshd = find_sshd()
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        for attempt in range(5):
            self.port = _free_port(self.addresses)
            try:
                self._spawn(sshd, timeout)
                break
            except SshdError:
                self.stop()
                if attempt == 4:
                    raise
        self._write_known_hosts()
        return self

    def _spawn(self, sshd: str, timeout: float) -> None:
        chunks = [self.addresses[i:i + _ADDRESSES_PER_SSHD]
                  for i in range(0, len(self.addresses), _ADDRESSES_PER_SSHD)]
        self.logs = []
        for index, chunk in enumerate(chunks):
            config = self.workdir / f"sshd_config.{index}"
            config.write_text(self._config(chunk, index))
            _run([sshd, "-t", "-f", str(config)])
            log = self.workdir / f"sshd.{index}.log"
            self.logs.append(log)
            with open(log, "ab") as out:
                self.procs.append(subprocess.Popen([sshd, "-D", "-e", "-f", str(config)],
                                                   stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                                   start_new_session=True))
        deadline = time.monotonic() + timeout
        for addr in self.addresses:
            while True:
                if any(p.poll() is not None for p in self.procs):
                    raise SshdError(f"sshd exited at start: {self.log_text()[-2000:]}")
                try:
                    with socket.create_connection((addr, self.port), timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SshdError(f"sshd did not listen on {addr}:{self.port} within {timeout}s")
                    time.sleep(0.02)

    def _config(self, addresses: list[str], index: int) -> str:
        listen = "".join(f"ListenAddress {f'[{a}]' if ':' in a else a}:{self.port}\n" for a in addresses)
        users = " ".join(u.name for u in self.users)
        return (
            f"{listen}"
            f"HostKey {self.host_key}\n"
            f"HostKey {self.host_key_ecdsa}\n"
            f"PidFile {self.workdir}/sshd.{index}.pid\n"
            "AuthorizedKeysFile .ssh/authorized_keys\n"
            "StrictModes no\n"
            "PasswordAuthentication yes\n"
            "KbdInteractiveAuthentication no\n"
            "PubkeyAuthentication yes\n"
            "UsePAM no\n"
            "PermitRootLogin no\n"
            f"AllowUsers {users}\n"
            "LogLevel VERBOSE\n"
            "PrintMotd no\n"
            "PrintLastLog no\n"
            "UseDNS no\n"
            "MaxStartups 200:30:400\n"
            "MaxSessions 100\n"
            "MaxAuthTries 10\n"
            "LoginGraceTime 30\n"
            "AllowTcpForwarding yes\n"
            "Subsystem sftp internal-sftp\n"
            f"{self.extra_config}"
        )

    def _write_known_hosts(self) -> None:
        keys = [Path(f"{k}.pub").read_text().split()[:2] for k in (self.host_key, self.host_key_ecdsa)]
        lines = []
        for addr in self.addresses:
            for kind, blob in keys:
                lines.append(f"[{addr}]:{self.port} {kind} {blob}\n")
        self.known_hosts.write_text("".join(lines))

    def stop(self) -> None:
        """Terminate every sshd process of this server and the sessions they forked."""
        self._signal_all(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.procs = []

    def kill(self) -> None:
        """Kill the listeners and every session they forked, at once (SIGKILL)."""
        self._signal_all(signal.SIGKILL)
        for proc in self.procs:
            proc.wait(timeout=5)
        self.procs = []

    def _signal_all(self, sig: int) -> None:
        # per-connection sshd processes call setsid() and privilege separation
        # gives each session a child: find the whole tree before signalling
        for proc in self.procs:
            if proc.poll() is None:
                for pid in [proc.pid, *_descendants(proc.pid)]:
                    try:
                        os.kill(pid, sig)
                    except ProcessLookupError:
                        pass

    # -- log --------------------------------------------------------------
    def log_text(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.logs if p.exists())

    def accepted_sessions(self, address: str | None = None, user: str | None = None) -> int:
        """Count the SSH logins sshd accepted, optionally only those to ``address``.

        One login is one SSH connection (a transport); channels opened on it are
        not counted.  ``address`` is the server address the client connected to.
        """
        count = 0
        for path in self.logs:
            if not path.exists():
                continue
            local_of: dict[tuple[str, str], str] = {}
            for line in path.read_text(errors="replace").splitlines():
                m = _CONNECTION.search(line)
                if m:
                    local_of[(m.group(1), m.group(2))] = m.group(3)
                    continue
                m = _ACCEPTED.search(line)
                if not m:
                    continue
                if user is not None and m.group(2) != user:
                    continue
                if address is not None and local_of.get((m.group(3), m.group(4))) != address:
                    continue
                count += 1
        return count

    def host_public_keys(self) -> list[str]:
        """The server's public host keys, one ``type base64`` string each."""
        return [" ".join(Path(f"{k}.pub").read_text().split()[:2])
                for k in (self.host_key, self.host_key_ecdsa)]

    # -- inventories --------------------------------------------------------
    def host_vars(self, user: SshUser, address: str | None = None, key: str = "key") -> dict[str, str]:
        """The ``ansible_*`` variables that reach this server as ``user``."""
        return {
            "ansible_connection": "ssh",
            "ansible_host": address or self.addresses[0],
            "ansible_port": str(self.port),
            "ansible_user": user.name,
            "ansible_ssh_private_key_file": str(getattr(user, key)),
            "ansible_ssh_known_hosts_file": str(self.known_hosts),
            "ansible_ssh_common_args": f"-o UserKnownHostsFile={self.known_hosts}",
            "ansible_python_interpreter": target_python(),
        }

    def write_inventory(self, path: Path, user: SshUser, count: int | None = None,
                        group: str = "ssh", prefix: str = "host", become_password: bool = False) -> Path:
        """Write an INI inventory of ``count`` hosts (default: one per address) in ``group``.

        Host ``{prefix}{i}`` points at the server's i-th address (cycling when
        ``count`` exceeds the addresses).  With ``become_password`` the user's
        password is set as ``ansible_become_password``.
        """
        count = len(self.addresses) if count is None else count
        lines = [f"[{group}]\n"]
        for i in range(count):
            addr = self.addresses[i % len(self.addresses)]
            lines.append(f"{prefix}{i + 1} ansible_host={addr}\n")
        lines.append(f"\n[{group}:vars]\n")
        hv = self.host_vars(user)
        hv.pop("ansible_host")
        hv["ansible_ssh_common_args"] = f"'{hv['ansible_ssh_common_args']}'"
        if become_password:
            hv["ansible_become_password"] = user.password
        lines.extend(f"{k}={v}\n" for k, v in hv.items())
        path = Path(path)
        path.write_text("".join(lines))
        return path

    def __enter__(self) -> "SshServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
