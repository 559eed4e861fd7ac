"""A command kept running on its own channel: what ``SshConnection.open_process`` returns.

The executor keeps one per (host, interpreter, become) as a module server
(:mod:`corral.executor.module_server`).  It is a channel on the host's Transport,
not a new login.  Reads never hang on a dead connection: they wait in slices of
:data:`_POLL` seconds and check the Transport in between (the Transport itself
notices a dead or silent server through keepalives and ``TCP_USER_TIMEOUT``).
"""
from __future__ import annotations

import select
from typing import Any, Callable

import paramiko
from paramiko.common import cMSG_CHANNEL_REQUEST
from paramiko.message import Message

from corral.errors import CorralConnectionFailure

__all__ = ["SshProcess", "signal_channel"]

_POLL = 1.0          # seconds between checks of the Transport while waiting for output
_SETTLE = 0.5        # how long a closed channel waits for its Transport to report its death


def signal_channel(chan: paramiko.Channel, name: str = "TERM") -> None:
    """Send the RFC 4254 "signal" request (``name`` without ``SIG``) for ``chan``'s
    command: OpenSSH's sshd sends it to the session's process group, so a command
    interrupted on the controller does not go on running on the host (closing the
    channel alone does not stop it).  Best effort: errors are ignored.  (paramiko
    has no public call for this request.)"""
    if chan.closed or chan.exit_status_ready():
        return
    message = Message()
    message.add_byte(cMSG_CHANNEL_REQUEST)
    message.add_int(chan.remote_chanid)
    message.add_string("signal")
    message.add_boolean(False)
    message.add_string(name)
    try:
        transport: Any = chan.get_transport()   # _send_user_message is not in paramiko's stubs
        transport._send_user_message(message)
    except (paramiko.SSHException, OSError, EOFError, AttributeError):
        pass


class SshProcess:
    """``write(data)``, ``read(n)``, ``close()`` over one channel.

    ``chan`` is ``None`` for a process that never started (a refused become): it
    reads ``b""`` at once, so the executor falls back to ``exec_command``, which
    reports the reason.  ``prefix`` is output that came before the caller's first
    read (after the become success marker).  ``lost()`` is called when the
    Transport died under this channel; it returns the error to raise
    (``CorralConnectionFailure``: the host is unreachable, as for ``exec_command``),
    or ``None`` when the connection has moved on to a new Transport: then this
    process has simply ended.

    The command's stderr is read and discarded as it arrives, so it can never
    fill the channel's window and stall stdout.
    """

    def __init__(self, chan: paramiko.Channel | None, prefix: bytes = b"",
                 lost: Callable[[], CorralConnectionFailure | None] = lambda: None) -> None:
        self._chan = chan
        self._prefix = prefix
        self._lost = lost
        self._transport = chan.get_transport() if chan is not None else None

    def write(self, data: bytes) -> None:
        """Write ``data`` on the command's stdin (blocks while the remote window is full)."""
        if self._chan is None:
            return
        try:
            self._chan.sendall(data)
        except (paramiko.SSHException, OSError) as exc:
            self._raise_if_lost()
            raise OSError(f"the remote process's stdin is closed: {exc}") from exc

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes of stdout; ``b""`` only at the end of the stream.

        Raises ``CorralConnectionFailure`` when the connection died meanwhile."""
        if self._prefix:
            chunk, self._prefix = self._prefix[:size], self._prefix[size:]
            return chunk
        chan = self._chan
        if chan is None:
            return b""
        while True:
            while chan.recv_stderr_ready():
                chan.recv_stderr(65536)
            if chan.recv_ready():
                return chan.recv(size)
            if chan.eof_received or chan.closed:
                if chan.closed and chan.exit_status == -1 and self._transport is not None:
                    # the Transport closes its channels just before it says it is inactive
                    self._transport.join(_SETTLE)
                self._raise_if_lost()
                return b""
            self._raise_if_lost()
            select.select([chan], [], [], _POLL)

    def _raise_if_lost(self) -> None:
        if self._transport is not None and not self._transport.is_active():
            error = self._lost()
            if error is not None:
                raise error

    def kill(self) -> None:
        """End the process now: SIGTERM through the session (sudo relays it), then EOF
        (a module server kills its children's process groups on either) and close."""
        if self._chan is not None:
            signal_channel(self._chan)
        self.close()

    def close(self) -> None:
        """Send EOF (the remote process exits on it) and close the channel."""
        chan, self._chan = self._chan, None
        if chan is None:
            return
        try:
            chan.shutdown_write()
        except (paramiko.SSHException, OSError):
            pass
        chan.close()
