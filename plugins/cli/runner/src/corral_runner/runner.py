"""Running one prepared :class:`~corral_runner.config.RunnerConfig` (the process itself:
:mod:`corral_runner.child`): status, timeouts, cancellation, hooks and the artifacts.

The artifacts are those of ansible-runner, under ``artifacts/<ident>/``:

- ``command``: ``{"command": [...], "cwd": ..., "env": {...}}``, before the run starts;
- ``job_events/<counter>-<uuid>.json``: one file per job event, written as it happens
  (through a temporary name, so a reader never sees half an event);
- ``stdout`` (what the run printed on its terminal, ``\\r\\n`` line ends, up to its
  first event, then each event's output and ``\\n``, as ansible-runner writes it; with
  ``json_mode``, the events as JSON lines) and ``stderr``;
- ``status`` (``successful``, ``failed``, ``timeout`` or ``canceled``) and ``rc``
  (the process's exit code; 254 after a timeout or a cancel);
- ``fact_cache/``: the ``jsonfile`` fact cache the run used;
- ``ssh_key_data``: a FIFO the run's ``ssh-agent`` reads the key from once, then removes.

Older artifact directories beyond ``rotate_artifacts`` are removed (oldest first).
"""
from __future__ import annotations

import datetime
import json
import logging
import os
import shutil
import signal
import stat
import sys
import threading
import time
import uuid
from typing import Any, Callable, Iterator, TextIO

from corral.plugins.manager import PluginManager
from corral_runner.config import RunnerConfig
from corral_runner.child import ChildProcess

__all__ = ["Runner", "CallbackError", "cleanup_artifact_dir", "collect_events"]

#: ``corral-runner --debug`` shows this logger's messages, ``--logfile`` writes them
logger = logging.getLogger("corral-runner")

EventHandler = Callable[[dict[str, Any]], Any]


class CallbackError(RuntimeError):
    """A ``cancel_callback``, ``artifacts_handler`` or ``finished_callback`` raised."""


def cleanup_artifact_dir(path: str, keep: int) -> None:
    """Keep the ``keep`` newest entries of the artifact root ``path`` (0 keeps all)."""
    if keep < 1 or not os.path.isdir(path):
        return
    entries = sorted((os.path.join(path, name) for name in os.listdir(path)), key=os.path.getmtime)
    for old in entries[:max(0, len(entries) - keep)]:
        if os.path.isdir(old) and not os.path.islink(old):
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.remove(old)


def collect_events(events_dir: str, seen: set[str]) -> Iterator[dict[str, Any]]:
    """The events in ``events_dir`` not in ``seen`` (file names), in counter order."""
    names = []
    for name in os.listdir(events_dir):
        head, _, rest = name.partition("-")
        if head.isdigit() and rest.endswith(".json") and name not in seen:
            names.append((int(head), name))
    for _, name in sorted(names):
        try:
            with open(os.path.join(events_dir, name), encoding="utf-8") as handle:
                event = json.load(handle)
        except (OSError, ValueError):
            break
        seen.add(name)
        yield event


def _write_private(path: str, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _open_fifo_writer(path: str, data: str) -> None:
    """Create the FIFO ``path`` and write ``data`` into it from a thread, once a reader opens it."""
    os.mkfifo(path, stat.S_IRUSR | stat.S_IWUSR)

    def feed() -> None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(data)

    threading.Thread(target=feed, name="corral-runner-ssh-key", daemon=True).start()


class Runner:
    """Runs a prepared configuration; afterwards holds ``status``, ``rc`` and the artifacts.

    Hooks, as ansible-runner calls them: ``event_handler(event)`` for each job event
    (a false return keeps it out of ``job_events/``), ``status_handler(data,
    runner_config=config)`` on each status change, ``cancel_callback()`` polled while
    the run goes on (true cancels it), ``artifacts_handler(artifact_dir)`` and
    ``finished_callback(runner)`` at the end.
    """

    def __init__(self, config: RunnerConfig, cancel_callback: Callable[[], bool] | None = None,
                 event_handler: EventHandler | None = None,
                 artifacts_handler: Callable[[str], Any] | None = None,
                 finished_callback: Callable[["Runner"], Any] | None = None,
                 status_handler: Callable[..., Any] | None = None, output: TextIO | None = None) -> None:
        self.config = config
        self.cancel_callback = cancel_callback
        self.event_handler = event_handler
        self.artifacts_handler = artifacts_handler
        self.finished_callback = finished_callback
        self.status_handler = status_handler
        self.output = output if output is not None else sys.stdout
        self.canceled = False
        self.timed_out = False
        self.errored = False
        self.status = "unstarted"
        self.rc: int | None = None
        self.pid: int | None = None
        self.last_stdout_update = 0.0
        self._shift = (0, 0)   # (events, lines) printed before the run's events began
        self._stdout_file: TextIO | None = None
        self._events_begun = False

    # -- status ------------------------------------------------------------------------

    def status_callback(self, status: str) -> None:
        self.status = status
        data: dict[str, Any] = {"status": status, "runner_ident": str(self.config.ident)}
        if status == "starting":
            data.update(command=self.config.command, env=self.config.env, cwd=self.config.cwd)
        if self.status_handler is not None:
            self.status_handler(data, runner_config=self.config)

    # -- events ------------------------------------------------------------------------

    def _verbose_events(self, text: str) -> None:
        """What the run printed before its events began (or before it ended, when it
        never got that far): each line becomes a ``verbose`` event, as ansible-runner makes
        them, and the run's own events are numbered after them."""
        lines = text.replace("\r\n", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for number, line in enumerate(lines):
            self._store({"event": "verbose", "uuid": str(uuid.uuid4()), "counter": number + 1, "stdout": line,
                         "start_line": number, "end_line": number + 1})
        self._shift = (len(lines), len(lines))
        self._events_begun = True

    def _event(self, event: dict[str, Any]) -> None:
        """One event from the child, numbered after the verbose events made before it."""
        counters, lines = self._shift
        event["counter"] += counters
        event["start_line"] += lines
        event["end_line"] += lines
        self._store(event)

    def _store(self, event: dict[str, Any]) -> None:
        """Name ``event`` for this run, hand it to the handler, write it."""
        self.last_stdout_update = time.time()
        event["runner_ident"] = str(self.config.ident)
        event.setdefault("created", datetime.datetime.now(datetime.timezone.utc).isoformat())
        keep = self.event_handler(event) if self.event_handler is not None else True
        if self.config.json_mode:   # the events, one JSON line each, instead of the run's output
            line = json.dumps(event) + "\n"
            if not self.config.suppress_ansible_output:
                self.output.write(line)
                self.output.flush()
            if self._stdout_file is not None:
                self._stdout_file.write(line)
                self._stdout_file.flush()
        elif self._stdout_file is not None and event.get("stdout") and self._events_begun:
            # once the events flow, the stdout artifact is their output, each ended by "\n"
            self._stdout_file.write(event["stdout"] + "\n")
            self._stdout_file.flush()
        if keep:
            events_dir = os.path.join(self.config.artifact_dir, "job_events")
            path = os.path.join(events_dir, f"{event['counter']}-{event['uuid']}.json")
            _write_private(path + ".tmp", json.dumps(event))
            os.replace(path + ".tmp", path)

    # -- the run -----------------------------------------------------------------------

    def run(self) -> tuple[str, int | None]:
        """Run the command to its end; ``(status, rc)``."""
        config = self.config
        self.status_callback("starting")
        os.makedirs(config.artifact_dir, mode=0o700, exist_ok=True)
        os.makedirs(os.path.join(config.artifact_dir, "job_events"), mode=0o700, exist_ok=True)
        _write_private(os.path.join(config.artifact_dir, "command"),
                       json.dumps({"command": config.command, "cwd": config.cwd, "env": config.env},
                                  ensure_ascii=False))
        cleanup_artifact_dir(config.artifact_root, config.rotate_artifacts)
        if config.ssh_key_data and config.ssh_key_path and not os.path.exists(config.ssh_key_path):
            _open_fifo_writer(config.ssh_key_path, config.ssh_key_data)
        if not config.suppress_output_file:
            self._stdout_file = open(os.path.join(config.artifact_dir, "stdout"), "w", encoding="utf-8")
            os.chmod(self._stdout_file.name, stat.S_IRUSR | stat.S_IWUSR)
            _write_private(os.path.join(config.artifact_dir, "stderr"), "")
        logger.debug("command: %s", " ".join(config.command))
        logger.debug("cwd: %s", config.cwd)
        for name, value in sorted(config.env.items()):
            logger.debug("env: %s=%s", name, value)
        self.status_callback("running")
        try:
            self.rc = self._run_child()
        finally:
            if self._stdout_file is not None:
                self._stdout_file.close()
                self._stdout_file = None
        logger.debug("ended: rc %s%s%s", self.rc, " (canceled)" if self.canceled else "",
                     " (timed out)" if self.timed_out else "")
        if self.canceled:
            self.status_callback("canceled")
        elif self.rc == 0 and not self.timed_out:
            self.status_callback("successful")
        elif self.timed_out:
            self.status_callback("timeout")
        else:
            self.status_callback("failed")
        _write_private(os.path.join(config.artifact_dir, "status"), str(self.status))
        _write_private(os.path.join(config.artifact_dir, "rc"), str(self.rc))
        if self.artifacts_handler is not None:
            try:
                self.artifacts_handler(config.artifact_dir)
            except Exception as exc:  # noqa: BLE001 - reported as ansible-runner reports it
                raise CallbackError(f"Exception in Artifact Callback: {exc}") from exc
        if self.finished_callback is not None:
            try:
                self.finished_callback(self)
            except Exception as exc:  # noqa: BLE001
                raise CallbackError(f"Exception in Finished Callback: {exc}") from exc
        return self.status, self.rc

    def _run_child(self) -> int | None:
        """Run the command to its end, the hooks and limits applied; its rc."""
        config = self.config

        def output(text: str) -> None:
            if config.json_mode:
                return
            if self._stdout_file is not None and not self._events_begun:
                self._stdout_file.write(text)
                self._stdout_file.flush()
            if not config.suppress_ansible_output:
                self.output.write(text)
                self.output.flush()

        child = ChildProcess(config.command, cwd=config.cwd, env=config.env, answers=config.expect_passwords,
                             output=output, before_events=self._verbose_events, event=self._event)
        self.pid = child.pid
        job_start = time.time()
        while child.pump(min(config.pexpect_timeout, 0.25)) is None:
            if self.cancel_callback is not None and not self.canceled:
                try:
                    self.canceled = bool(self.cancel_callback())
                except Exception as exc:  # noqa: BLE001
                    child.kill()
                    child.finish()
                    raise CallbackError(f"Exception in Cancel Callback: {exc}") from exc
            now = time.time()
            if config.job_timeout and not self.canceled and now - job_start > float(config.job_timeout):
                self.timed_out = True
            if config.idle_timeout and now - max(child.last_output, self.last_stdout_update) \
                    > float(config.idle_timeout):
                self.timed_out = True
            if self.canceled or self.timed_out:
                child.kill()
        status = child.finish()
        if self.timed_out or self.canceled:
            return 254
        return status if status >= 0 else None

    # -- reading the artifacts -----------------------------------------------------------

    @property
    def stdout(self) -> TextIO:
        """The run's ``stdout`` artifact, open for reading."""
        return open(os.path.join(self.config.artifact_dir, "stdout"), encoding="utf-8")

    @property
    def stderr(self) -> TextIO:
        return open(os.path.join(self.config.artifact_dir, "stderr"), encoding="utf-8")

    @property
    def events(self) -> Iterator[dict[str, Any]]:
        """Every job event of the run in order; while the run goes on, waits for more."""
        events_dir = os.path.join(self.config.artifact_dir, "job_events")
        deadline = time.time() + 60
        while not os.path.isdir(events_dir):
            if time.time() > deadline:
                raise RuntimeError(f"events directory is missing: {events_dir}")
            time.sleep(0.05)
        seen: set[str] = set()
        while self.status in ("unstarted", "starting", "running"):
            yield from collect_events(events_dir, seen)
            time.sleep(0.05)
        yield from collect_events(events_dir, seen)

    @property
    def stats(self) -> dict[str, Any] | None:
        """The ``playbook_on_stats`` counts (``ok``, ``changed``, ``dark``, ...), or None."""
        for event in self.events:
            if event.get("event") == "playbook_on_stats":
                data = event.get("event_data", {})
                return {key: data.get(key, {}) for key in ("skipped", "ok", "dark", "failures", "ignored",
                                                           "rescued", "processed", "changed")}
        return None

    def host_events(self, host: str) -> Iterator[dict[str, Any]]:
        """The events of ``host``."""
        return (event for event in self.events if event.get("event_data", {}).get("host") == host)

    def _fact_cache(self, verb: str) -> Any:
        """The run's ``jsonfile`` fact cache (ansible-core 2.21's layout, as the run writes it)."""
        if self.config.fact_cache_type != "jsonfile" or not self.config.fact_cache:
            raise ValueError(f'Only the "jsonfile" fact cache can be {verb} by corral-runner')
        return PluginManager().cache_class("jsonfile")(connection=self.config.fact_cache, timeout=0)

    def get_fact_cache(self, host: str) -> dict[str, Any]:
        """The facts cached for ``host`` by this run (``jsonfile`` fact cache only)."""
        data: dict[str, Any] | None = self._fact_cache("read").get(host)
        return data or {}

    def set_fact_cache(self, host: str, data: dict[str, Any]) -> None:
        """Replace the facts cached for ``host`` (``jsonfile`` fact cache only)."""
        self._fact_cache("written").set(host, data)

    @staticmethod
    def handle_termination(pid: int, pidfile: str | None = None) -> None:
        """Kill the process group of ``pid`` and remove ``pidfile`` (``corral-runner stop``)."""
        try:
            os.killpg(os.getpgid(pid), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass
        if pidfile:
            try:
                os.remove(pidfile)
            except OSError:
                pass
