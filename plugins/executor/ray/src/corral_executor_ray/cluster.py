"""Joining a Ray cluster for a run, in bounded time, and leaving it.

Ray keeps one connection per process (``ray.init``), so the runs of one process
share it: the first run that needs Ray connects (or starts a local Ray when no
address is set), each run holds it while it lasts, and the last one to leave
disconnects (stopping the local Ray it started).  A connection the application
made itself (``ray.init`` before the run) is used as it is and never closed.

Ray is quiet here: its own log lines go to its log files, not the controller's
output, and what actors print is not copied to the controller (``log_to_driver``
off), so nothing of a task's data reaches the run's output through Ray.  Ray also
prints the errors the cluster reports for the job (an actor that died) to the
driver's stdout, where they would break the run's output (a JSON callback's
document): :func:`_quiet_driver` sends them to Ray's logger instead; the run
reports the death itself, on the tasks it failed.
"""
from __future__ import annotations

import logging
import socket
import threading
from typing import Any

import ray

from corral.errors import CorralError

__all__ = ["RayClusterError", "attach", "release"]

_lock = threading.Lock()
_users = 0
_keeper: _Keeper | None = None     # this module connected: the last run to leave disconnects


class RayClusterError(CorralError):
    """The Ray cluster cannot be reached or used; the message says which and why."""


# what an HTTP/2 client sends first (RFC 9113 3.4): the preface and an empty SETTINGS frame
_HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"


def _probe(address: str, timeout: float) -> None:
    """Fail fast when an explicit ``HOST:PORT`` (or ``ray://HOST:PORT``) is not a
    gRPC server that answers (Ray's GCS and its client server both are): Ray itself
    would retry for a long time, and could not be stopped."""
    target = address.removeprefix("ray://")
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        return      # 'auto', or a form Ray resolves itself
    hint = "Check the executor's address (CORRAL_RAY_ADDRESS, [ray_executor] address)."
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout) as sock:
            sock.sendall(_HTTP2_PREFACE)
            if not sock.recv(9):
                raise RayClusterError(f"Cannot reach the Ray cluster at '{address}': the connection was closed "
                                      f"without an answer. {hint}")
    except TimeoutError:
        raise RayClusterError(f"Cannot reach the Ray cluster at '{address}': no answer within {timeout:g} "
                              f"seconds (connect_timeout). {hint}") from None
    except OSError as exc:
        raise RayClusterError(f"Cannot reach the Ray cluster at '{address}': {exc.strerror or exc}. "
                              f"{hint}") from None


def _quiet_driver() -> None:
    """Route the cluster's error messages, which Ray's driver prints to stdout
    (``ray._private.worker.print_to_stdstream``, called by its error listener;
    ``log_to_driver`` leaves it on), to the ``ray`` logger at debug level."""
    worker_module: Any = getattr(getattr(ray, "_private", None), "worker", None)
    printer = getattr(worker_module, "print_to_stdstream", None)
    if printer is None or getattr(printer, "_corral_quiet", False):
        return
    logger = logging.getLogger("ray")

    def to_logger(data: dict[str, Any], ignore_prefix: bool = False) -> None:
        for line in data.get("lines", ()):
            logger.debug("%s: %s", data.get("pid"), line)

    to_logger._corral_quiet = True  # type: ignore[attr-defined]
    worker_module.print_to_stdstream = to_logger


class _Keeper:
    """The thread that connects to Ray and, when told, disconnects.  It lives as
    long as the connection: Ray's local processes (GCS, raylet) die with the
    thread that started them (Linux's parent-death signal), not with the process."""

    def __init__(self, address: str | None, namespace: str) -> None:
        self._kwargs: dict[str, Any] = {"address": address, "namespace": namespace, "log_to_driver": False,
                                        "logging_level": logging.ERROR, "configure_logging": True}
        if address is None:
            self._kwargs["include_dashboard"] = False
        self._ready = threading.Event()
        self._leave = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._keep, name="corral-ray-connection", daemon=True)

    def _keep(self) -> None:
        try:
            _quiet_driver()
            ray.init(**self._kwargs)
        except BaseException as exc:  # noqa: BLE001 - reported by start()
            self.error = exc
            self._ready.set()
            return
        self._ready.set()
        self._leave.wait()
        ray.shutdown()

    def start(self, timeout: float) -> bool:
        """Connect; whether it did within ``timeout`` seconds (see :attr:`error`)."""
        self._thread.start()
        if not self._ready.wait(timeout):
            self._leave.set()       # should it connect after all, it disconnects at once
            return False
        return self.error is None

    def stop(self) -> None:
        self._leave.set()
        self._thread.join(30)


def _connect(address: str | None, namespace: str, timeout: float) -> _Keeper:
    """Connect to Ray in a :class:`_Keeper`, waited for at most ``timeout`` seconds."""
    keeper = _Keeper(address, namespace)
    if keeper.start(timeout):
        return keeper
    where = f"at '{address}'" if address else "(a local one)"
    if keeper.error is None:
        raise RayClusterError(f"Cannot reach the Ray cluster {where}: no answer within {timeout:g} seconds "
                              f"(connect_timeout).")
    text = str(keeper.error).strip()
    reason = text.splitlines()[0] if text else type(keeper.error).__name__
    raise RayClusterError(f"Cannot reach the Ray cluster {where}: {reason}")


def attach(address: str | None, namespace: str, timeout: float) -> None:
    """Join the cluster at ``address`` (``None``: start a local Ray) for one run;
    :class:`RayClusterError` with one clear message when it cannot be reached
    within about ``timeout`` seconds.  Every successful call is paired with
    :func:`release`."""
    global _users, _keeper
    with _lock:
        if not ray.is_initialized():
            if address:
                _probe(address, timeout)
            _keeper = _connect(address, namespace, timeout)
        _users += 1


def release() -> None:
    """Leave the cluster: the last run of the process to leave disconnects, when
    this module connected."""
    global _users, _keeper
    with _lock:
        _users = max(0, _users - 1)
        if _users == 0 and _keeper is not None:
            keeper, _keeper = _keeper, None
            keeper.stop()
