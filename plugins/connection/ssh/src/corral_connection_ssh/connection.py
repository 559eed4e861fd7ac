"""The ssh connection: one paramiko Transport per host, reused by every task.

Each :meth:`SshConnection.exec_command` opens a new channel on the host's
Transport (an SSH "session", not a new login), feeds the payload on its stdin
(pipelining: no temp files on the target), and reads stdout/stderr
concurrently.  :meth:`SshConnection.open_process` keeps a command (the executor's
module server) running on a channel of its own.  File transfers go over one SFTP
session on the same Transport, streamed in chunks.  Jump hosts are Transports
whose ``direct-tcpip`` channels carry the next hop's connection.

Every wait is bounded: TCP connect, banner, key exchange, authentication,
channel open and the become prompt by the ``timeout`` setting; a dead server is
noticed by the Transport's reader (connection closed or reset), and a silent one
by keepalives plus ``TCP_USER_TIMEOUT`` (``ServerAliveInterval`` x
``ServerAliveCountMax``).  Failures raise
:class:`~corral.errors.CorralConnectionFailure` (host UNREACHABLE) or
:class:`~corral.errors.CorralAuthenticationFailure`, with the reason.
"""
from __future__ import annotations

import functools
import logging
import os
import select
import shlex
import socket
import stat
import threading
import time
from pathlib import Path

import paramiko

from corral.errors import (CorralAuthenticationFailure, CorralConnectionFailure, CorralError,
                           CorralFileNotFound)
from corral.plugins.become import BecomeCommand, BecomeHandshake, build_become_command, scrub
from corral.plugins.connection import Become, ConnectionBase, ConnectionOptions
from corral_connection_ssh.hostkeys import HostKeyError, KnownHosts
from corral_connection_ssh.options import SSH_OPTIONS
from corral_connection_ssh.process import SshProcess, signal_channel
from corral_connection_ssh.programs import fetch_with_program, put_with_program, transfer_program
from corral_connection_ssh.settings import Endpoint, SshSettings, resolve

__all__ = ["SshConnection"]

_DEFAULT_KEYS = ("~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa")
_RSA_ALGORITHMS = ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")
_SMALL_PAYLOAD = 256 * 1024      # below the server's initial channel window: never blocks
_SFTP_CHUNK = 32768
_FETCH_BATCH = 64                # chunks per pipelined batch: 2 MiB in flight
_NETWORK_ERRORS = (paramiko.SSHException, EOFError, OSError)
_REAPER_WAIT = 1.0               # seconds a closing Transport's reader thread may take to end

# paramiko logs a failed handshake (with its traceback) as an error; with no handler
# configured, Python's last-resort handler would print it on stderr next to the
# UNREACHABLE result that already gives the reason
logging.getLogger("paramiko").addHandler(logging.NullHandler())


def _stalled(exc: BaseException) -> bool:
    """Whether a transfer failed because the other side stopped answering."""
    return isinstance(exc, (socket.timeout, TimeoutError))


@functools.lru_cache(maxsize=64)
def _load_key(path: str, mtime_ns: int, passphrase: str | None) -> paramiko.PKey:
    """Load (and decrypt) a private key once per process; keyed by its mtime."""
    # paramiko hands the password to cryptography, which takes bytes; its stubs say str
    return paramiko.PKey.from_path(path, password=passphrase.encode() if passphrase else None)  # type: ignore[arg-type]


class SshConnection(ConnectionBase):
    """Persistent SSH connection to one host (see the module docstring)."""

    transport = "ssh"
    has_pipelining = True
    OPTIONS = SSH_OPTIONS

    def __init__(self, options: ConnectionOptions) -> None:
        super().__init__(options)
        self._settings: SshSettings | None = None
        self._hops: list[paramiko.Transport] = []
        self._sftp: paramiko.SFTPClient | None = None

    # -- settings -----------------------------------------------------------
    @property
    def settings(self) -> SshSettings:
        """The resolved settings (options, ssh args, ssh config); computed once."""
        if self._settings is None:
            self._settings = resolve(self.options)
        return self._settings

    @property
    def _transport(self) -> paramiko.Transport | None:
        return self._hops[-1] if self._hops else None

    def _where(self) -> str:
        return f"{self.options.inventory_hostname} ({self.settings.target})"

    # -- connecting -----------------------------------------------------------
    def connect(self) -> None:
        """Open the Transport (with jump hosts), retrying ``retries`` times on network errors."""
        if self._transport is not None and self._transport.is_active():
            return
        self._drop()
        settings = self.settings
        for attempt in range(settings.retries + 1):
            try:
                self._open(settings)
                return
            except (CorralAuthenticationFailure, HostKeyError):
                self._drop()
                raise
            except CorralConnectionFailure:
                self._drop()
                if attempt >= settings.retries:
                    raise
                time.sleep(min(0.5 * 2 ** attempt, 5.0))

    def _open(self, s: SshSettings) -> None:
        known = KnownHosts(s.known_hosts_files)
        hops = s.jumps + (s.target,)
        if s.timeout < 0:
            raise self._fail(s.target, f"invalid timeout value '{s.timeout:g}'")
        for hop in hops:
            if not 0 < hop.port < 65536:
                raise self._fail(hop, f"Bad port '{hop.port}'")
        for index, hop in enumerate(hops):
            if index == 0:
                sock = self._first_socket(hop, s)
            else:
                sock = self._tunnel(self._hops[-1], hops[index - 1], hop, s)
            self._hops.append(self._handshake(sock, hop, known, s))

    def _fail(self, hop: Endpoint, reason: str) -> CorralConnectionFailure:
        return CorralConnectionFailure(f"Failed to connect to the host via ssh: {hop}: {reason}")

    def _first_socket(self, hop: Endpoint, s: SshSettings):
        if s.proxy_command:
            try:
                return paramiko.ProxyCommand(s.proxy_command)
            except (OSError, paramiko.SSHException) as exc:
                raise self._fail(hop, f"ProxyCommand {s.proxy_command!r} failed: {exc}") from exc
        try:
            sock = socket.create_connection((hop.host, hop.port), timeout=s.timeout)
        except socket.gaierror as exc:
            raise self._fail(hop, f"Could not resolve hostname {hop.host}: {exc.strerror}") from exc
        except ValueError as exc:  # no valid name at all (a label over 63 characters, a NUL): IDNA refuses it
            raise self._fail(hop, f"Could not resolve hostname {hop.host}: Name or service not known") from exc
        except (socket.timeout, TimeoutError) as exc:
            raise self._fail(hop, f"Connection timed out after {s.timeout:g}s") from exc
        except ConnectionRefusedError as exc:
            raise self._fail(hop, "Connection refused") from exc
        except OSError as exc:
            raise self._fail(hop, exc.strerror or str(exc)) from exc
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if hasattr(socket, "TCP_USER_TIMEOUT"):
            silent_ms = int(s.keepalive_interval * max(1, s.keepalive_count_max) * 1000)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, silent_ms)
        return sock

    def _tunnel(self, via: paramiko.Transport, via_hop: Endpoint, hop: Endpoint, s: SshSettings):
        try:
            return via.open_channel("direct-tcpip", (hop.host, hop.port), ("127.0.0.1", 0),
                                    timeout=s.timeout)
        except paramiko.ChannelException as exc:
            raise self._fail(hop, f"jump host {via_hop} could not connect to it: {exc.text}") from exc
        except _NETWORK_ERRORS as exc:
            raise self._fail(hop, f"jump host {via_hop} failed: {exc or type(exc).__name__}") from exc

    def _handshake(self, sock, hop: Endpoint, known: KnownHosts, s: SshSettings) -> paramiko.Transport:
        transport = paramiko.Transport(sock)
        transport.banner_timeout = s.timeout
        transport.auth_timeout = s.timeout
        transport.handshake_timeout = s.timeout
        self._prefer_known_key_types(transport, known.known_types(hop.host, hop.port))
        try:
            transport.start_client(timeout=s.timeout)
            key = transport.get_remote_server_key()
        except _NETWORK_ERRORS as exc:
            transport.close()
            reason = str(exc) or type(exc).__name__
            if "No existing session" in reason:
                reason = f"SSH negotiation timed out after {s.timeout:g}s"
            raise self._fail(hop, reason) from exc
        try:
            known.verify(hop.host, hop.port, key, checking=s.host_key_checking,
                         record=s.record_host_keys)
            self._authenticate(transport, hop, s)
        except BaseException:
            transport.close()
            raise
        transport.set_keepalive(max(1, int(s.keepalive_interval)))
        return transport

    @staticmethod
    def _prefer_known_key_types(transport: paramiko.Transport, known_types: list[str]) -> None:
        """Ask first for the host key types known_hosts has, as OpenSSH does."""
        if not known_types:
            return
        wanted = set(known_types)
        if "ssh-rsa" in wanted:
            wanted.update(_RSA_ALGORITHMS)
        options = transport.get_security_options()
        current = list(options.key_types)
        first = [k for k in current if k in wanted]
        options.key_types = tuple(first + [k for k in current if k not in first])

    # -- authentication ---------------------------------------------------------
    def _authenticate(self, transport: paramiko.Transport, hop: Endpoint, s: SshSettings) -> None:
        tried: list[str] = []

        def attempt(label: str, method, *args) -> bool:
            try:
                method(hop.user, *args)
            except paramiko.BadAuthenticationType as exc:
                tried.append(f"{label} (server allows only {', '.join(exc.allowed_types)})")
                return False
            except paramiko.AuthenticationException:
                tried.append(label)
                return False
            except _NETWORK_ERRORS as exc:
                raise self._fail(hop, f"connection lost during authentication: {exc}") from exc
            return transport.is_authenticated()

        for path in hop.key_files:
            key = self._key_from_file(path, s, tried, explicit=True)
            if key is not None and attempt(f"publickey {path}", transport.auth_publickey, key):
                return
        if s.allow_agent and not s.identities_only and os.environ.get("SSH_AUTH_SOCK"):
            agent = None
            try:
                agent = paramiko.Agent()
                for key in agent.get_keys():
                    if attempt(f"ssh-agent key {key.fingerprint}", transport.auth_publickey, key):
                        return
            except paramiko.SSHException as exc:
                tried.append(f"ssh-agent ({exc})")
            finally:
                if agent is not None:
                    agent.close()
        if s.look_for_keys and not hop.key_files:
            for path in _DEFAULT_KEYS:
                path = os.path.expanduser(path)
                if os.path.isfile(path):
                    key = self._key_from_file(path, s, tried, explicit=False)
                    if key is not None and attempt(f"publickey {path}", transport.auth_publickey, key):
                        return
        if s.password is not None:
            if attempt("password", transport.auth_password, s.password):
                return
        if not tried:
            tried.append("no key, agent or password was available")
        raise CorralAuthenticationFailure(
            f"Failed to authenticate to the host via ssh: {hop}: Permission denied "
            f"(tried: {'; '.join(tried)})")

    @staticmethod
    def _key_from_file(path: str, s: SshSettings, tried: list[str], explicit: bool) -> paramiko.PKey | None:
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError as exc:
            if explicit:
                tried.append(f"publickey {path} (cannot read: {exc.strerror})")
            return None
        try:
            return _load_key(path, mtime, s.passphrase)
        except (paramiko.PasswordRequiredException, TypeError):
            # cryptography says "password-protected" with a TypeError
            tried.append(f"publickey {path} (encrypted; set ansible_ssh_private_key_passphrase)")
        except (paramiko.SSHException, ValueError, OSError) as exc:
            tried.append(f"publickey {path} (cannot load: {exc})")
        return None

    # -- running commands -------------------------------------------------------
    def exec_command(self, cmd: str, in_data: bytes | None = None,
                     become: Become | None = None) -> tuple[int, bytes, bytes]:
        """Run ``cmd`` on a new channel; see :class:`ConnectionBase` for the contract."""
        bc = build_become_command(cmd, become) if become is not None else None
        chan = self._open_channel()
        try:
            chan.exec_command(bc.cmd if bc else cmd)
            out, err = b"", b""
            if bc is not None:
                failed, out, err = self._escalate(chan, bc)
                if failed:
                    return 1, b"", failed.encode() + b"\n"
            writer = self._send_stdin(chan, in_data)
            outs, errs = [out], [err]
            while True:
                chunk_out, chunk_err, eof = self._read(chan, 1.0)
                outs.append(chunk_out)
                errs.append(chunk_err)
                if eof:
                    break
            out, err = b"".join(outs), b"".join(errs)
            if writer is not None:
                writer.join(self.settings.timeout)
            if not chan.status_event.wait(self.settings.timeout) or chan.exit_status == -1:
                if not self._transport_alive():
                    raise self._dropped()
            rc = chan.recv_exit_status() if chan.status_event.is_set() else -1
            if bc is not None:
                out, err = scrub(out, bc.password), scrub(err, bc.password)
            return rc, out, err
        except _NETWORK_ERRORS as exc:
            if not self._transport_alive():
                raise self._dropped() from exc
            raise CorralConnectionFailure(f"ssh channel to {self._where()} failed: {exc}") from exc
        except BaseException:
            signal_channel(chan)     # interrupted: the command must not outlive the run
            raise
        finally:
            chan.close()

    def _escalate(self, chan: paramiko.Channel, bc: BecomeCommand) -> tuple[str | None, bytes, bytes]:
        """Run the become handshake on ``chan`` (its command is ``bc.cmd``), bounded by
        ``timeout``.  Returns ``(failure reason or None, stdout, stderr)``: the output
        that followed the success marker."""
        hs = BecomeHandshake(bc)
        deadline = time.monotonic() + self.settings.timeout
        while not hs.done:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return (f"Timeout ({self.settings.timeout:g}s) waiting for "
                        f"{bc.method} privilege escalation prompt"), b"", b""
            chunk_out, chunk_err, eof = self._read(chan, remaining)
            answer = hs.feed(chunk_out, chunk_err)
            if answer:
                chan.sendall(answer)
            if eof and not hs.done:
                hs.eof()
        return hs.failed, hs.stdout, hs.stderr

    def open_process(self, cmd: str, become: Become | None = None) -> SshProcess:
        """Start ``cmd`` on a new channel and keep it running (the executor's module
        server); see :class:`ConnectionBase`.  A refused become gives a process that
        reads ``b""`` at once (the executor then runs the module with
        :meth:`exec_command`, which reports why)."""
        bc = build_become_command(cmd, become) if become is not None else None
        chan = self._open_channel()
        transport = self._transport
        try:
            chan.exec_command(bc.cmd if bc else cmd)
            prefix = b""
            if bc is not None:
                failed, prefix, _ = self._escalate(chan, bc)
                if failed:
                    chan.close()
                    return SshProcess(None)
        except _NETWORK_ERRORS as exc:
            chan.close()
            if not self._transport_alive():
                raise self._dropped() from exc
            raise CorralConnectionFailure(f"ssh channel to {self._where()} failed: {exc}") from exc
        return SshProcess(chan, prefix, lambda: self._dropped() if self._transport is transport else None)

    def _transport_alive(self) -> bool:
        return self._transport is not None and self._transport.is_active()

    def _dropped(self) -> CorralConnectionFailure:
        t = self._transport
        reason = t.get_exception() if t is not None else None
        self._drop()
        return CorralConnectionFailure(
            f"Connection to {self._where()} was lost while running a command"
            + (f": {reason}" if reason else " (server closed the connection)"))

    def _connected(self) -> paramiko.Transport:
        """The live Transport, opened first when needed."""
        self.connect()
        transport = self._transport
        if transport is None:  # connect() raises when it cannot open one
            raise self._dropped()
        return transport

    def _open_channel(self) -> paramiko.Channel:
        for attempt in (1, 2):
            transport = self._connected()
            try:
                return transport.open_session(timeout=self.settings.timeout)
            except _NETWORK_ERRORS as exc:
                # the Transport died since the last task: reconnect once
                alive = self._transport_alive()
                self._drop()
                if alive or attempt == 2:
                    raise CorralConnectionFailure(
                        f"Failed to open an ssh channel to {self._where()}: {exc}") from exc
        raise AssertionError("unreachable")

    def _send_stdin(self, chan: paramiko.Channel, data: bytes | None) -> threading.Thread | None:
        """Write ``data`` and EOF; large payloads from a thread so output keeps flowing."""
        if not data or len(data) <= _SMALL_PAYLOAD:
            if data:
                chan.sendall(data)
            chan.shutdown_write()
            return None

        def write() -> None:
            try:
                chan.sendall(data)
                chan.shutdown_write()
            except _NETWORK_ERRORS:
                pass          # the reader notices the closed channel

        thread = threading.Thread(target=write, name="corral-ssh-stdin", daemon=True)
        thread.start()
        return thread

    @staticmethod
    def _read(chan: paramiko.Channel, timeout: float) -> tuple[bytes, bytes, bool]:
        """Wait up to ``timeout`` for output; return (stdout, stderr, both_streams_ended)."""
        if not (chan.recv_ready() or chan.recv_stderr_ready() or chan.closed or chan.eof_received):
            select.select([chan], [], [], timeout)
        outs, errs = [], []
        while chan.recv_ready():
            outs.append(chan.recv(65536))
        while chan.recv_stderr_ready():
            errs.append(chan.recv_stderr(65536))
        out, err = b"".join(outs), b"".join(errs)
        ended = bool(chan.eof_received or chan.closed) and not chan.recv_ready() \
            and not chan.recv_stderr_ready()
        return out, err, ended

    # -- files ------------------------------------------------------------------
    def _sftp_session(self) -> paramiko.SFTPClient:
        transport = self._connected()
        sftp = self._sftp
        if sftp is None or sftp.sock.closed:
            try:
                sftp = paramiko.SFTPClient.from_transport(transport, window_size=4 * 1024 * 1024)
            except _NETWORK_ERRORS as exc:
                if not self._transport_alive():
                    raise self._dropped() from exc
                raise CorralConnectionFailure(f"SFTP is not available on {self._where()}: {exc}") from exc
            if sftp is None:
                raise CorralConnectionFailure(f"SFTP is not available on {self._where()}")
            # a reply that takes longer than the timeout means the server stalled
            sftp.sock.settimeout(self.settings.timeout)
            self._sftp = sftp
        return sftp

    def put_file(self, in_path: str, out_path: str) -> None:
        """Upload ``in_path`` to ``out_path`` over SFTP, streamed, keeping its mode.

        When the SFTP server refuses (it says only "Failure" for a full disk), the file
        goes again through ``cat`` on a channel, whose error names the cause (``No space
        left on device``) and which removes what it wrote when it fails.  A transfer that
        makes no progress for ``timeout`` seconds abandons the connection: the host is
        UNREACHABLE, and the next command logs in again (the action's cleanup then
        removes the partial file with the temporary directory)."""
        try:
            mode = stat.S_IMODE(os.stat(in_path).st_mode)
        except OSError as exc:
            raise CorralFileNotFound(f"cannot read {in_path} to transfer it: {exc.strerror}") from exc
        what = f"failed to transfer {in_path} to {self.options.inventory_hostname}:{out_path}"
        program = transfer_program(self.options)
        if program is not None:
            put_with_program(*program, self.settings, in_path, out_path, mode, what)
            return
        sftp = self._sftp_session()
        try:
            if self._put_sftp(sftp, in_path, out_path):
                sftp.chmod(out_path, mode)
                return
        except _NETWORK_ERRORS as exc:
            if _stalled(exc) or not self._transport_alive():
                raise self._transfer_error(what, exc) from exc
        self._put_piped(in_path, out_path, mode, what)

    @staticmethod
    def _put_sftp(sftp: paramiko.SFTPClient, in_path: str, out_path: str) -> bool:
        """Pipelined SFTP writes; True when the remote file has every byte.  On a stall
        the remote file is left unclosed (closing would wait once more for the server)."""
        size = 0
        remote = sftp.open(out_path, "wb")
        remote.set_pipelined(True)
        with open(in_path, "rb") as source:
            while chunk := source.read(_SFTP_CHUNK):
                remote.write(chunk)
                size += len(chunk)
        remote.close()
        return sftp.stat(out_path).st_size == size

    def _put_piped(self, in_path: str, out_path: str, mode: int, what: str) -> None:
        """``cat > out_path`` fed from ``in_path``; the remote removes a partial file."""
        path = shlex.quote(out_path)
        cmd = (f"cat > {path} || {{ rc=$?; rm -f -- {path}; exit $rc; }}; "
               f"chmod {mode:o} {path}")
        chan = self._open_channel()
        try:
            chan.settimeout(self.settings.timeout)
            chan.exec_command(cmd)
            try:
                with open(in_path, "rb") as source:
                    while chunk := source.read(_SFTP_CHUNK * 8):
                        chan.sendall(chunk)
                chan.shutdown_write()
            except _NETWORK_ERRORS as exc:
                if _stalled(exc) or not self._transport_alive():
                    raise
                # the remote command ended early (disk full): its stderr says why
            errors = []
            while not (chan.eof_received or chan.closed) or chan.recv_stderr_ready() or chan.recv_ready():
                while chan.recv_ready():
                    chan.recv(65536)
                if chan.recv_stderr_ready():
                    errors.append(chan.recv_stderr(65536))
                elif not (chan.eof_received or chan.closed):
                    select.select([chan], [], [], self.settings.timeout)
            rc = chan.recv_exit_status()
        except _NETWORK_ERRORS as exc:
            raise self._transfer_error(what, exc) from exc
        finally:
            chan.close()
        if rc != 0:
            reason = b"".join(errors).decode("utf-8", "replace").strip() or f"exit code {rc}"
            raise CorralError(f"{what}: {reason}")

    def _transfer_error(self, what: str, exc: BaseException) -> CorralError:
        if _stalled(exc) and self._transport_alive():
            # the server stopped answering mid-transfer: keepalives cannot tell (its
            # kernel still acknowledges), so give up on this login altogether
            self._abandon()
            return CorralConnectionFailure(f"{what}: no progress for {self.settings.timeout:g} seconds "
                                           f"(timeout); the connection to {self._where()} was abandoned")
        if not self._transport_alive():
            return self._dropped()
        self._sftp = None if self._sftp is not None and self._sftp.sock.closed else self._sftp
        if isinstance(exc, FileNotFoundError) or getattr(exc, "errno", None) == 2:
            return CorralFileNotFound(f"{what}: no such file or directory")
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return CorralError(f"{what}: {reason}")

    def fetch_file(self, in_path: str, out_path: str) -> None:
        """Download ``in_path`` to ``out_path`` over SFTP, streamed, keeping its mode
        (through the sftp or scp program when their extra arguments are set)."""
        program = transfer_program(self.options)
        if program is not None:
            fetch_with_program(*program, self.settings, in_path, out_path,
                               f"failed to fetch {self.options.inventory_hostname}:{in_path} to {out_path}")
            return
        sftp = self._sftp_session()
        partial = Path(f"{out_path}.corral-partial")
        try:
            attrs = sftp.stat(in_path)
            with sftp.open(in_path, "rb") as remote, open(partial, "wb") as local:
                self._copy_pipelined(remote, local, attrs.st_size or 0)
            os.chmod(partial, stat.S_IMODE(attrs.st_mode or 0o600))
            os.replace(partial, out_path)
        except _NETWORK_ERRORS as exc:
            partial.unlink(missing_ok=True)
            raise self._transfer_error(f"failed to fetch {self.options.inventory_hostname}:"
                                       f"{in_path} to {out_path}", exc) from exc

    @staticmethod
    def _copy_pipelined(remote: paramiko.SFTPFile, local, size: int) -> None:
        """Copy in batches of pipelined reads: fast, and at most a few MiB in memory."""
        offset = 0
        while offset < size:
            batch: list[tuple[int, int]] = []
            while offset < size and len(batch) < _FETCH_BATCH:
                length = min(_SFTP_CHUNK, size - offset)
                batch.append((offset, length))
                offset += length
            for data in remote.readv(batch):
                local.write(data)

    # -- lifetime -----------------------------------------------------------------
    def reset(self) -> None:
        """Close the Transport; the next command logs in again (``meta: reset_connection``)."""
        self._drop()

    def close(self) -> None:
        """Close SFTP, the Transport and any jump hosts' Transports."""
        self._drop()

    def _abandon(self) -> None:
        """Drop a stalled login without waiting on it: the sockets go first, so that
        closing SFTP cannot block on a full window."""
        for transport in reversed(self._hops):
            transport.close()
        self._hops = []
        self._sftp = None

    def _drop(self) -> None:
        if self._sftp is not None:
            try:
                self._sftp.close()
            except _NETWORK_ERRORS:
                pass
            self._sftp = None
        for transport in reversed(self._hops):
            _release(transport)
        self._hops = []


def _release(transport: paramiko.Transport) -> None:
    """Close ``transport`` and wait (briefly) for its reader thread to end.

    ``Transport.close`` closes the socket's descriptor while the reader thread may
    be inside ``recv`` on it: the kernel then keeps the TCP session open until that
    ``recv`` times out.  Shutting the socket down first ends the session at once
    (and wakes the reader), so a closed connection really frees its socket, its
    server-side session and its thread before the next host connects."""
    sock = transport.sock
    if isinstance(sock, socket.socket):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass        # already disconnected
    transport.close()
    if transport is not threading.current_thread():
        transport.join(_REAPER_WAIT)
