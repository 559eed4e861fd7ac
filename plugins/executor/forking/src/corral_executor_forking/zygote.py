"""The forking executor's zygote: ``python -m corral_executor_forking.zygote FD SETUP``.

One single-threaded process per run that imports the worker's code, the run's
become plugins and each connection plugin a worker is asked for, once (``SETUP`` as
for a worker), and forks a
worker for each request on the unix socket ``FD``: a request is the worker's
``MAX_HOSTS`` and the connection type of its first request (ASCII, ``"5 local"``)
with its two pipe ends attached (``SCM_RIGHTS``: the request pipe's read end, the
reply pipe's write end); the answer is the new
worker's pid (8 bytes, big-endian; 0 when the fork failed).  A forked worker starts
with everything imported (copy-on-write pages) instead of being a fresh
interpreter importing the stack again: that is most of a worker's start-up cost,
paid once per run instead of once per fork.

The zygote never starts a thread, so ``fork()`` is safe in it.  Its workers run in
their own sessions (as spawned workers do) and are reaped by the zygote as they
end, so the controller watches them through their pipes and
pids.  The zygote ends when the controller closes its end of ``FD``; workers
already forked go on until they are told to stop or their controller goes away.
"""
from __future__ import annotations

import gc
import importlib
import os
import signal
import socket
import sys
import traceback
from multiprocessing.connection import Connection
from types import FrameType
from typing import Iterable, NoReturn

from corral.executor.connections import ConnectionCache
from corral.plugins.manager import PluginManager

from corral_executor_forking.process import PID, name_process
from corral_executor_forking.worker import serve, worker_plugins


def _preload(plugins: PluginManager) -> None:
    """Import what every worker imports on its first request (become plugins, the
    module server's code), so that forked workers share it."""
    plugins.load_all("become")
    # and what a first request imports on the way (host names to IDNA, the login user's entry,
    # results marked unsafe); the module server's code comes with the worker's connection cache
    from corral.plugins import wrap_unsafe  # noqa: F401
    for module in ("encodings.idna", "pwd"):
        importlib.import_module(module)
    ConnectionCache.warm()      # the library module servers get, compiled once here, not in each worker


def _preload_connection(plugins: PluginManager, name: str) -> None:
    """Import the connection plugin ``name`` (a worker is about to run a request on
    it), so that this worker and later ones share it.  Only the types the run uses:
    a run of ``local`` hosts does not import the ``ssh`` plugin (paramiko and
    cryptography, a fifth of a second of CPU).  Only installed plugins (entry
    points): a connection of the run's content (a collection's) is resolved by the
    worker with that content, and a failed lookup here must not be remembered."""
    if name not in plugins.names("connection"):
        return
    try:
        plugins.connection_class(name)
    except Exception:  # noqa: BLE001 - a plugin that fails here fails again, reported, in the worker
        pass


def _run_worker(sock: socket.socket, fds: list[int], max_hosts: int, plugins: PluginManager) -> None:
    """In the forked child: become a worker (never returns)."""
    code = 0
    try:
        sock.close()
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        serve(Connection(fds[0], writable=False), Connection(fds[1], readable=False), plugins,
              max_hosts=max_hosts)
    except BaseException:  # noqa: BLE001 - as an uncaught error would end a spawned worker
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _reap(_signum: int, _frame: FrameType | None) -> None:
    """Reap ended workers (waited for, so their CPU time counts in the zygote's and so
    in the controller's children's usage, as a spawned worker's does)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def serve_forks(sock: socket.socket, setup: str) -> None:
    """Fork workers on request on ``sock`` until it closes.  The plugins are loaded
    with the first request: a run whose tasks all run on the controller (``debug``,
    ``set_fact``) never asks for a worker and never pays for them."""
    name_process("corral-zygote")
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the controller coordinates interrupts
    plugins: PluginManager | None = None
    connections: set[str] = set()       # the connection plugins imported here
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(sock, 256, 2)
        except OSError:
            return
        if not message:
            return
        if plugins is None:
            plugins = worker_plugins(setup)
            _preload(plugins)
            signal.signal(signal.SIGCHLD, _reap)
        max_hosts, _, connection = message.decode("ascii", "replace").partition(" ")
        if connection and connection not in connections:
            connections.add(connection)
            _preload_connection(plugins, connection)
        pid = -1
        if len(fds) == 2:
            try:
                pid = os.fork()
            except OSError:
                pid = -1
            if pid == 0:
                _run_worker(sock, fds, int(max_hosts), plugins)
        for fd in fds:
            os.close(fd)
        try:
            sock.sendall(PID.pack(max(pid, 0)))
        except OSError:
            return


def main(argv: list[str]) -> None:
    """``FD SETUP``: fork workers on request until ``FD`` closes."""
    serve_forks(socket.socket(fileno=int(argv[0])), argv[1])


def become_zygote(sock: socket.socket, setup: str, mask: Iterable[int] = ()) -> NoReturn:
    """In a child the controller forked while it ran a single thread: shed what it
    inherited from the controller, then serve as the zygote (never returns).
    The controller forks it with SIGINT and SIGTERM blocked; once their handlers
    are its own, the signal mask becomes ``mask`` (the controller's before the fork).

    Every descriptor but the standard streams and ``sock`` is closed (the controller's
    files and sockets must not stay open in workers), stdin reads ``/dev/null``, the
    signals the controller may handle get their default action back, and the objects
    inherited from the controller are frozen out of the garbage collector: none of
    them is finalized here (their descriptors are closed already), and a collection
    does not touch (copy) their pages."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)     # the controller coordinates interrupts
        os.setsid()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGALRM):
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        gc.freeze()
        signal.set_wakeup_fd(-1)
        keep = sock.fileno()
        os.closerange(3, keep)
        os.closerange(keep + 1, _max_fd())
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        serve_forks(sock, setup)
    except BaseException:  # noqa: BLE001 - as an uncaught error would end a spawned zygote
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _max_fd() -> int:
    try:
        return max(int(os.sysconf("SC_OPEN_MAX")), 256)
    except (OSError, ValueError):
        return 65536


if __name__ == "__main__":
    main(sys.argv[1:])
