"""The ``forking`` executor: ``forks`` long-lived worker processes.

Each worker owns the hosts assigned to its lane (host affinity) and keeps the
connections of its most recently used hosts open: its share of
``ExecutorSettings.max_connections`` (one host per worker by default, as the bound
is ``forks``); a host beyond it reconnects on its next request.  A worker runs
:mod:`corral_executor_forking.worker`, started when its lane first needs it, forked
by the run's zygote (:mod:`corral_executor_forking.zygote`: one process that has
the worker's code and plugins imported, so a worker starts in a millisecond instead
of importing the stack again; without ``os.pidfd_open``, or if the zygote cannot
fork, a worker is a fresh interpreter of its own).  The zygote is forked from the
controller just before the run's first request (``prepare``) if the controller runs
a single thread then (the CLIs: it inherits their imports); otherwise (an API
caller's threads, several runs in one process, where ``fork()`` is not safe) it is
a fresh interpreter spawned when the first worker is needed.  Nothing else is
forked from the controller, and unlike :mod:`multiprocessing` the executor never
re-imports the caller's main script, so scripts without an
``if __name__ == "__main__"`` guard work.  A worker that dies is replaced: the request it was running fails (the task fails on that host)
and later requests go to a new worker.  Each worker loads the installed plugins the
run may load (``allow_plugins``) and registers the controller's plugins registered
in code (``PluginManager.portable_plugins()``); one that cannot be imported by name
fails the run at start, pointing to the ``inline`` executor.

``interrupt()`` (the run was interrupted) sends each worker SIGUSR1: the request it
runs is aborted, killing what it started, and answered ``interrupted``
(:class:`corral.errors.CorralInterrupted`).  From then on only commands
(``ExecRequest``: a task's cleanup, e.g. removing its remote temp dir) and resets
are sent, each bounded by the worker, and ``shutdown()`` is bounded to about
:data:`_INTERRUPTED_SHUTDOWN` seconds, after which a worker is killed.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from corral.errors import CorralInterrupted, CorralWorkerError
from corral.plugins import hookimpl
from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecutorSettings, LaneExecutor, Request, reply_value
from corral.plugins.portable import PortablePlugins

from corral_executor_forking.process import PID, ForkedChild, ForkedProcess, WorkerProcess

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    import socket

__all__ = ["ForkingExecutor"]

_SHUTDOWN_TIMEOUT = 10.0
_INTERRUPTED_SHUTDOWN = 3.0     # seconds the workers get to finish their cleanup after an interrupt
_DEFERRED_SIGNALS = {signal.SIGINT, signal.SIGTERM}    # held back while the zygote is forked


class _Zygote:
    """The run's zygote: forked from the controller by :meth:`start_forked` while it
    runs a single thread, else spawned on the first :meth:`fork`; forks workers until
    :meth:`stop`.  After a failure (it died, it cannot fork) it forks nothing more
    and :meth:`fork` answers None: the caller spawns a fresh worker instead."""

    def __init__(self, setup: str) -> None:
        self._setup = setup
        self._lock = threading.Lock()
        self._process: subprocess.Popen | ForkedChild | None = None
        self._socket: socket.socket | None = None
        self._failed = not hasattr(os, "pidfd_open")
        self._workers = 0       # workers it forked

    def start_forked(self) -> None:
        """Fork the zygote from this process now, if it runs a single thread (so that
        ``fork()`` is safe): the child has the controller's imports already and only
        loads the plugins its workers use, where a spawned zygote is a fresh interpreter
        importing the stack (a third of a second of CPU).  Otherwise (threads run: an API caller's,
        or several runs at once) nothing happens here and the first :meth:`fork`
        spawns the zygote."""
        with self._lock:
            if self._failed or self._socket is not None or threading.active_count() != 1:
                return
            import socket   # here: a run that never asks for a worker forks no zygote
            from corral_executor_forking.zygote import become_zygote
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            for stream in (sys.stdout, sys.stderr):     # else the child would write their buffers again
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            # a signal taken while fork() runs (its at-fork handlers) or before this
            # handle is complete would leave a half-made zygote: it is taken once both are done
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
            try:
                try:
                    pid = os.fork()
                except OSError:
                    ours.close()
                    theirs.close()
                    return
                if pid == 0:
                    become_zygote(theirs, self._setup, mask)
                theirs.close()
                self._process = ForkedChild(pid)
                self._socket = ours
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    def fork(self, request_fd: int, reply_fd: int, max_hosts: int, connection: str) -> int | None:
        """A new worker reading ``request_fd`` and writing ``reply_fd``, whose first
        request runs on the connection type ``connection``: its pid."""
        with self._lock:
            if self._failed:
                return None
            try:
                if self._socket is None:
                    self._start()
                assert self._socket is not None
                import socket
                message = f"{max_hosts} {connection}".encode("ascii", "replace")
                socket.send_fds(self._socket, [message], [request_fd, reply_fd])
                answer = b""
                while len(answer) < PID.size:
                    chunk = self._socket.recv(PID.size - len(answer))
                    if not chunk:
                        raise OSError("the zygote ended")
                    answer += chunk
            except OSError:
                self._failed = True
                self._close()
                return None
            pid = int(PID.unpack(answer)[0])
            self._workers += 1
            return pid or None

    def _start(self) -> None:
        import socket
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "corral_executor_forking.zygote", str(theirs.fileno()), self._setup],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True, start_new_session=True)
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        self._socket = ours

    def _close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._process is not None:
            if not self._workers:
                self._process.kill()    # started early for nothing: no need to let it finish loading
            try:
                self._process.wait(timeout=_SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def stop(self) -> None:
        """End the zygote (workers it forked go on until they are stopped)."""
        with self._lock:
            self._failed = True
            self._close()


class _Worker:
    """One worker process and the pipe to it; ``call`` is serialized by a lock."""

    def __init__(self, setup: str, max_hosts: int, zygote: _Zygote) -> None:
        self._setup = setup
        self._max_hosts = max_hosts
        self._zygote = zygote
        self._lock = threading.Lock()
        self._process: WorkerProcess | None = None
        self._send: Connection | None = None
        self._recv: Connection | None = None
        self._interrupted: WorkerProcess | None = None   # the process already sent SIGUSR1
        self._closed = False     # stopped after an interrupt: no new worker may start

    def _spawn(self, connection: str) -> None:
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        try:
            pid = self._zygote.fork(to_worker_r, from_worker_w, self._max_hosts, connection)
            process: WorkerProcess
            if pid is not None:
                process = ForkedProcess(pid)
            else:
                command = [sys.executable, "-m", "corral_executor_forking.worker", str(to_worker_r),
                           str(from_worker_w), str(self._max_hosts), self._setup]
                # its own session: a terminal's signals reach the controller only, which
                # coordinates the workers (they also ignore SIGINT)
                process = subprocess.Popen(command, pass_fds=(to_worker_r, from_worker_w),
                                           stdin=subprocess.DEVNULL, close_fds=True, start_new_session=True)
        finally:
            os.close(to_worker_r)
            os.close(from_worker_w)
        self._process = process
        from multiprocessing.connection import Connection     # here: a run without workers needs none
        self._send = Connection(to_worker_w, readable=False)
        self._recv = Connection(from_worker_r, writable=False)

    def call(self, host: str, options: ConnectionOptions, request: Request) -> Any:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._reap()
                if self._closed:
                    raise CorralInterrupted(f"The run was interrupted: nothing more runs on {host}.")
                self._spawn(str(options.connection))
            send, recv = self._send, self._recv
            if send is None or recv is None:
                raise CorralWorkerError(f"No worker process runs tasks for {host}.")
            try:
                send.send((host, options, request))
                status, value = recv.recv()
            except (EOFError, OSError) as exc:
                code = self._process.poll() if self._process is not None else None
                self._reap()
                raise CorralWorkerError(
                    f"The worker process running this task for {host} died (exit code {code}); "
                    f"a new worker takes over its hosts."
                ) from exc
        return reply_value(status, value)

    def _reap(self) -> None:
        for conn in (self._send, self._recv):
            if conn is not None:
                conn.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._process, self._send, self._recv = None, None, None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def interrupt(self) -> None:
        """Abort the request the worker runs now (once per worker process); callable
        from any thread, without the lock a waiting call holds."""
        process = self._process
        if process is None or process is self._interrupted or process.poll() is not None:
            return
        self._interrupted = process
        try:
            process.send_signal(signal.SIGUSR1)
        except OSError:
            pass

    def stop(self, deadline: float | None = None) -> None:
        """Stop the worker (it closes its connections).  With ``deadline`` (a
        ``time.monotonic()`` value, after an interrupt), a worker still busy then is
        killed."""
        if deadline is None:
            self._lock.acquire()
        else:
            self._closed = True
            if not self._lock.acquire(timeout=max(deadline - time.monotonic(), 0)):
                self._kill()
                return
        try:
            if self._process is None or self._send is None:
                return
            timeout = _SHUTDOWN_TIMEOUT if deadline is None else max(deadline - time.monotonic(), 0.1)
            try:
                self._send.send(None)
                self._process.wait(timeout=timeout)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self._reap()
        finally:
            self._lock.release()

    def _kill(self) -> None:
        """The last resort: SIGKILL (its module servers end when their stdin closes)."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()


class ForkingExecutor(LaneExecutor):
    """Forks up to ``forks`` workers; hosts are spread over them round-robin."""

    def __init__(self, settings: ExecutorSettings) -> None:
        super().__init__(settings)
        # each worker's share, so that all of them together stay within the bound
        per_worker = max(1, settings.max_connections // self.size)
        registered = settings.plugins.portable_plugins() if settings.plugins is not None else PortablePlugins()
        setup = json.dumps({"allow": settings.allow_plugins, "register": registered.plugins,
                            "path": registered.path})
        self._zygote = _Zygote(setup)
        self._workers = [_Worker(setup, per_worker, self._zygote) for _ in range(self.size)]
        self.lanes = self._workers

    def prepare(self) -> None:
        """Before the first request: fork the zygote now if the controller runs a
        single thread (:meth:`_Zygote.start_forked`)."""
        self._zygote.start_forked()

    def worker_pids(self) -> list[int | None]:
        """PIDs of the running workers (``None`` where none was started yet)."""
        return [worker.pid for worker in self._workers]

    def shutdown(self) -> None:
        deadline = time.monotonic() + _INTERRUPTED_SHUTDOWN if self.interrupted else None
        for worker in self._workers:
            worker.stop(deadline)
        self._zygote.stop()     # after its workers ended: it reaps them (their CPU counts as the run's)


@hookimpl
def corral_executor(name: str) -> type[ForkingExecutor] | None:
    return ForkingExecutor if name == "forking" else None
