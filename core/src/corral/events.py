"""Job events for API users, in the format of ansible-runner.

:class:`JobEventCallback` is a callback that turns each ``v2_*`` event of a run into
a dict with ansible-runner's job event names and fields::

    {"event": "runner_on_ok", "uuid": ..., "counter": 7, "stdout": "ok: [web1]",
     "start_line": 9, "end_line": 10, "runner_ident": ..., "created": "...+00:00",
     "pid": 1234, "parent_uuid": <task uuid>,
     "event_data": {"playbook": "site.yml", "playbook_uuid": ..., "play": "web",
                    "play_uuid": ..., "play_pattern": "web", "task": "install",
                    "task_uuid": ..., "task_action": "command", "resolved_action": "command",
                    "task_args": "", "task_path": "site.yml:5", "host": "web1",
                    "remote_addr": "10.0.0.1", "res": {...}, "start": ..., "end": ...,
                    "duration": 0.12, "event_loop": None, "uuid": ...}}

Event names: ``playbook_on_start``, ``playbook_on_play_start``,
``playbook_on_task_start`` (handlers too, with ``is_conditional`` true),
``playbook_on_include``, ``playbook_on_notify``, ``playbook_on_no_hosts_matched``,
``playbook_on_no_hosts_remaining``, ``playbook_on_vars_prompt``, ``runner_on_start``,
``runner_on_ok``, ``runner_on_failed``, ``runner_on_skipped``,
``runner_on_unreachable``, ``runner_item_on_ok``, ``runner_item_on_failed``,
``runner_item_on_skipped``, ``runner_retry``, ``runner_on_file_diff``,
``runner_on_async_poll/ok/failed``, ``playbook_on_stats``; output printed outside
any event (warnings, verbose messages) becomes a ``verbose``, ``warning``,
``deprecated``, ``error`` or ``debug`` event.

Given the run's stdout callback (``stdout_callback=``), the events callback wraps it:
each event is forwarded to it and what it printed becomes the event's ``stdout``
(as written, colors included, lines joined with ``\\r\\n`` as in ansible-runner, ``start_line``/``end_line``
counting screen lines).  Register the events callback *instead of* the stdout
callback then.  Without one, ``stdout`` is empty.

Events go to a :class:`JobEventStream`: an ordered list (``stream.events``), a
blocking iterator and an async iterator, each yielding every event from the first,
ending when the run ends (``close()``).  Each run has its own callback and stream.
"""
from __future__ import annotations

import asyncio
import random
import itertools
import copy
import datetime
import os
import threading
import uuid
from typing import Any, AsyncIterator, Callable, Iterator, Mapping

from corral.display import Display
from corral.results import CENSORED
from corral.plugins.callback import CallbackBase, plain_data

__all__ = ["CENSORED", "JobEventCallback", "JobEventStream"]


_WITHOUT_PLAY = frozenset(("playbook_on_start", "playbook_on_stats"))
_WITHOUT_TASK = _WITHOUT_PLAY | {"playbook_on_setup", "playbook_on_notify", "playbook_on_import_for_host",
                                 "playbook_on_not_import_for_host", "playbook_on_no_hosts_matched",
                                 "playbook_on_no_hosts_remaining"}
_TASK_KEYS = ("task", "task_uuid", "task_action", "resolved_action", "task_args", "task_path", "role",
              "resolved_role")


_uuid_random = random.SystemRandom().getrandbits(64)
_uuid_counter = itertools.count()


def _event_uuid() -> str:
    """A unique version-4-shaped UUID per event, without a system call per event
    (``uuid4`` reads the OS's random source each time: a visible cost per task per host)."""
    value = (_uuid_random << 64) | (next(_uuid_counter) & 0xFFFFFFFFFFFFFFFF)
    return str(uuid.UUID(int=value, version=4))


def _without_failed(item: Any) -> Any:
    if isinstance(item, dict):
        item.pop("failed", None)
    return item


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class JobEventStream:
    """The events of one run: an ordered list, a blocking iterator and an async iterator.

    Every iterator yields all events from the first one, in order, then stops after
    :meth:`close`.  Thread-safe: events are published from the run's thread and
    consumed from any thread or event loop.
    """

    def __init__(self) -> None:
        self._events: list[dict[str, Any]] = []
        self._closed = False
        self._condition = threading.Condition()
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    @property
    def events(self) -> list[dict[str, Any]]:
        """A copy of the events published so far, in order."""
        with self._condition:
            return list(self._events)

    @property
    def closed(self) -> bool:
        return self._closed

    def publish(self, event: dict[str, Any]) -> None:
        """Append ``event`` and wake every waiting consumer."""
        with self._condition:
            if self._closed:
                raise RuntimeError("cannot publish to a closed event stream")
            self._events.append(event)
            self._condition.notify_all()
            waiters = list(self._async_waiters)
        self._wake(waiters)

    def close(self) -> None:
        """End the stream: iterators stop once they have yielded every event."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()
            waiters = list(self._async_waiters)
        self._wake(waiters)

    @staticmethod
    def _wake(waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]]) -> None:
        for loop, flag in waiters:
            try:
                loop.call_soon_threadsafe(flag.set)
            except RuntimeError:  # that loop is closed: nobody is waiting there any more
                pass

    def wait_closed(self, timeout: float | None = None) -> bool:
        """Block until the stream is closed (or ``timeout`` seconds); True if closed."""
        with self._condition:
            return self._condition.wait_for(lambda: self._closed, timeout)

    def __len__(self) -> int:
        with self._condition:
            return len(self._events)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        index = 0
        while True:
            with self._condition:
                self._condition.wait_for(lambda: index < len(self._events) or self._closed)
                if index >= len(self._events):
                    return
                batch = self._events[index:]
            index += len(batch)
            yield from batch

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self._aiterate()

    async def _aiterate(self) -> AsyncIterator[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        flag = asyncio.Event()
        waiter = (loop, flag)
        index = 0
        with self._condition:
            self._async_waiters.add(waiter)
        try:
            while True:
                with self._condition:
                    flag.clear()
                    batch = self._events[index:]
                    closed = self._closed
                for event in batch:
                    yield event
                index += len(batch)
                if not batch:
                    if closed:
                        return
                    await flag.wait()
        finally:
            with self._condition:
                self._async_waiters.discard(waiter)


class JobEventCallback(CallbackBase):
    """Publishes the run's events, in ansible-runner's job event format, to ``stream``.

    ``stdout_callback`` (optional) is the run's stdout callback, which this callback
    wraps: events are forwarded to it and its output becomes each event's
    ``stdout``.  ``runner_ident`` names the run (a new UUID by default).
    ``close_on_stats`` ends the stream after ``playbook_on_stats``; otherwise the
    kernel calls :meth:`close` when the run ends.
    """

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "corral_job_events"

    def __init__(self, stream: JobEventStream | None = None, *, stdout_callback: CallbackBase | None = None,
                 runner_ident: str | None = None, display: Display | None = None,
                 close_on_stats: bool = False,
                 on_event: Callable[[dict[str, Any]], None] | None = None) -> None:
        super().__init__(display=display if display is not None else getattr(stdout_callback, "_display", None))
        self.stream = stream if stream is not None else JobEventStream()
        self.stdout_callback = stdout_callback
        self.runner_ident = runner_ident or str(uuid.uuid4())
        self.close_on_stats = close_on_stats
        self._on_event = on_event
        self._lock = threading.RLock()
        self._counter = 0
        self._line = 0
        self._global: dict[str, Any] = {}
        self._host_start: dict[str, datetime.datetime] = {}
        self._task_uuids: set[str] = set()
        self._duplicate_tasks: dict[str, int] = {}
        self._play_uuids: set[str] = set()
        self._duplicate_plays: dict[str, int] = {}
        self.playbook_uuid = str(uuid.uuid4())
        self._capture: list[str] | None = None
        self._capturing_thread: int | None = None
        self._watched: Display | None = None
        out_display = getattr(stdout_callback, "_display", None)
        if isinstance(out_display, Display):
            out_display.add_listener(self._on_output, as_written=True)
            self._watched = out_display

    # -- the stream ------------------------------------------------------------

    @property
    def events(self) -> list[dict[str, Any]]:
        return self.stream.events

    def close(self) -> None:
        """End the event stream (idempotent) and stop watching the display."""
        with self._lock:
            if self._watched is not None:
                self._watched.remove_listener(self._on_output)
                self._watched = None
            if not self.stream.closed:
                self.stream.close()

    def _on_output(self, text: str, stderr: bool, kind: str) -> None:
        # only the thread running an event appends to its capture; other threads' output
        # waits for that event to be published, then becomes an event of its own
        if self._capture is not None and self._capturing_thread == threading.get_ident():
            self._capture.append(text)
            return
        with self._lock:
            if self.stream.closed:
                return
            event = kind if kind in ("verbose", "warning", "deprecated", "error", "debug") else "verbose"
            self._publish(event, {}, text)

    def _publish(self, event: str, event_data: dict[str, Any], stdout_text: str) -> dict[str, Any]:
        with self._lock:
            self._counter += 1
            lines = stdout_text.count("\n")
            stdout = stdout_text.rstrip("\n")  # as ansible-runner: no trailing newlines, all lines counted
            data = dict(self._global)
            data.update(event_data)
            data.setdefault("uuid", _event_uuid())
            record: dict[str, Any] = {
                "uuid": data["uuid"],
                "counter": self._counter,
                "stdout": stdout.replace("\n", "\r\n"),
                "start_line": self._line,
                "end_line": self._line + lines,
                "runner_ident": self.runner_ident,
                "event": event,
                "pid": os.getpid(),
                "created": _now().isoformat(),
            }
            for key in ("task_uuid", "play_uuid", "playbook_uuid"):
                parent = data.get(key)
                if parent and parent != data["uuid"]:
                    record["parent_uuid"] = parent
                    break
            record["event_data"] = data
            self._line += lines
            self.stream.publish(record)
        if self._on_event is not None:
            self._on_event(record)
        return record

    def _emit(self, event: str, event_data: dict[str, Any], forward: str | None = None,
              args: tuple[Any, ...] = ()) -> None:
        """Run the wrapped stdout callback's ``forward`` method, capturing what it prints,
        then publish the event with that output."""
        with self._lock:
            self._capture, self._capturing_thread = [], threading.get_ident()
            try:
                method = getattr(self.stdout_callback, forward, None) if forward else None
                if callable(method):
                    try:
                        method(*args)
                    except Exception as exc:  # noqa: BLE001 - the stdout callback must not lose the event
                        self._capture.append("")
                        self._display.warning(f"Failure using method ({forward}) in callback plugin "
                                              f"({getattr(self.stdout_callback, 'CALLBACK_NAME', '?')}): "
                                              f"{type(exc).__name__}: {exc}")
                text = "".join(self._capture)
            finally:
                self._capture, self._capturing_thread = None, None
            self._publish(event, event_data, text)

    # -- context ---------------------------------------------------------------

    @staticmethod
    def _pattern(play: Any) -> str:
        hosts = getattr(play, "hosts", "")
        return ",".join(hosts) if isinstance(hosts, list) else str(hosts or "")

    @staticmethod
    def _task_context(task: Any) -> dict[str, Any]:
        context = {
            "task": getattr(task, "name", None) or task.action,
            "task_uuid": str(task._uuid),
            "task_action": task.action,
            "resolved_action": getattr(task, "resolved_action", None) or task.action,
            "task_args": "",
        }
        get_path = getattr(task, "get_path", None)
        if callable(get_path):
            context["task_path"] = get_path()
        role = getattr(task, "_role", None)
        role_name = getattr(role, "_role_name", None) or getattr(task, "role_name", "")
        if role_name:
            context["role"] = role_name
        return context

    def _clear_task(self) -> None:
        for key in _TASK_KEYS:
            self._global.pop(key, None)

    def _task_uuid(self, task: Any) -> str:
        task_uuid = str(task._uuid)
        if task_uuid in self._task_uuids:
            self._duplicate_tasks[task_uuid] = self._duplicate_tasks.get(task_uuid, 1) + 1
            task_uuid = f"{task_uuid}_{self._duplicate_tasks[task_uuid]}"
        self._task_uuids.add(task_uuid)
        return task_uuid

    @staticmethod
    def _res(result: Mapping[str, Any]) -> dict[str, Any]:
        """An event's ``res``: the result (censored by the kernel already), a censored
        result or item reduced to ``{"censored": ...}`` as ansible-runner's events show it,
        without the ``failed`` flag (the event's name says it; ansible-core's results
        given to callbacks do not carry it, in loop items either)."""
        res = plain_data(copy.deepcopy(dict(result)))
        if res.get("_ansible_no_log", False):
            return {"censored": CENSORED}
        res.pop("failed", None)
        if isinstance(res.get("results"), list):
            res["results"] = [{"censored": CENSORED} if isinstance(item, dict) and item.get("_ansible_no_log")
                              else _without_failed(item) for item in res["results"]]
        return res

    def _result_event(self, event: str, result: Any, forward: str, args: tuple[Any, ...],
                      *, timing: bool = True, res: bool = True, **extra: Any) -> None:
        host = result._host
        data: dict[str, Any] = self._task_context(result._task)
        data["host"] = host.get_name()
        if event not in ("runner_item_on_ok", "runner_item_on_failed", "runner_item_on_skipped",
                         "runner_retry", "runner_on_file_diff", "runner_on_async_poll",
                         "runner_on_async_ok", "runner_on_async_failed"):
            data["remote_addr"] = getattr(host, "address", None) or host.get_name()
        if res:
            data["res"] = self._res(result._result)
        if timing:
            start = self._host_start.get(host.get_name())
            end = _now() if start else None
            data.update(start=start.isoformat() if start else None, end=end.isoformat() if end else None,
                        duration=(end - start).total_seconds() if start and end else None)
        data.update(extra)
        self._emit(event, data, forward, args)

    # -- playbook events -------------------------------------------------------

    def v2_playbook_on_start(self, playbook: Any) -> None:
        with self._lock:
            self._global.update(playbook=getattr(playbook, "_file_name", "???"), playbook_uuid=self.playbook_uuid)
            for key in ("play", "play_uuid", "play_pattern"):
                self._global.pop(key, None)
            self._clear_task()
            self._emit("playbook_on_start", {"uuid": self.playbook_uuid}, "v2_playbook_on_start", (playbook,))

    def v2_playbook_on_play_start(self, play: Any) -> None:
        with self._lock:
            play_uuid = str(play._uuid)
            if play_uuid in self._play_uuids:
                self._duplicate_plays[play_uuid] = self._duplicate_plays.get(play_uuid, 1) + 1
                play_uuid = f"{play_uuid}_{self._duplicate_plays[play_uuid]}"
            self._play_uuids.add(play_uuid)
            pattern = self._pattern(play)
            name = play.get_name().strip() or pattern
            self._global.update(play=name, play_uuid=play_uuid, play_pattern=pattern)
            self._clear_task()
            self._emit("playbook_on_play_start", {"name": name, "pattern": pattern, "uuid": play_uuid},
                       "v2_playbook_on_play_start", (play,))

    def set_task_context(self, task: Any) -> str:
        """Make ``task`` the context of the events that follow, without an event of its
        own (ansible-runner's ad-hoc runs have no task start event); its event uuid."""
        with self._lock:
            task_uuid = self._task_uuid(task)
            self._clear_task()
            context = self._task_context(task)
            context["task_uuid"] = task_uuid
            self._global.update(context)
            return task_uuid

    def _task_start(self, task: Any, is_conditional: bool, forward: str, args: tuple[Any, ...]) -> None:
        with self._lock:
            task_uuid = self.set_task_context(task)
            data = {"name": task.get_name(), "is_conditional": is_conditional, "uuid": task_uuid}
            if forward != "v2_playbook_on_task_start":  # ansible-runner's key order for handlers
                data = {"name": data["name"], "uuid": task_uuid, "is_conditional": is_conditional}
            self._emit("playbook_on_task_start", data, forward, args)

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self._task_start(task, is_conditional, "v2_playbook_on_task_start", (task, is_conditional))

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        self._task_start(task, True, "v2_playbook_on_handler_task_start", (task,))

    def v2_playbook_on_cleanup_task_start(self, task: Any) -> None:
        self._task_start(task, True, "v2_playbook_on_cleanup_task_start", (task,))

    def v2_playbook_on_no_hosts_matched(self) -> None:
        self._emit("playbook_on_no_hosts_matched", {}, "v2_playbook_on_no_hosts_matched")

    def v2_playbook_on_no_hosts_remaining(self) -> None:
        self._emit("playbook_on_no_hosts_remaining", {}, "v2_playbook_on_no_hosts_remaining")

    def v2_playbook_on_notify(self, handler: Any, host: Any) -> None:
        self._emit("playbook_on_notify", {"host": host.get_name(), "handler": handler.get_name()},
                   "v2_playbook_on_notify", (handler, host))

    def v2_playbook_on_include(self, included_file: Any) -> None:
        self._emit("playbook_on_include",
                   {"included_file": getattr(included_file, "_filename", None)},
                   "v2_playbook_on_include", (included_file,))

    def v2_playbook_on_vars_prompt(self, varname: str, private: bool = True, prompt: Any = None,
                                   encrypt: Any = None, confirm: bool = False, salt_size: Any = None,
                                   salt: Any = None, default: Any = None, unsafe: Any = None) -> None:
        self._emit("playbook_on_vars_prompt",
                   {"varname": varname, "private": private, "prompt": prompt, "encrypt": encrypt,
                    "confirm": confirm, "salt_size": salt_size, "salt": salt, "default": default,
                    "unsafe": unsafe},
                   "v2_playbook_on_vars_prompt",
                   (varname, private, prompt, encrypt, confirm, salt_size, salt, default, unsafe))

    def v2_playbook_on_stats(self, stats: Any) -> None:
        with self._lock:
            for key in ("play", "play_uuid", "play_pattern", *_TASK_KEYS):
                self._global.pop(key, None)
            data = {
                "changed": dict(stats.changed), "dark": dict(stats.dark), "failures": dict(stats.failures),
                "ignored": dict(getattr(stats, "ignored", {})), "ok": dict(stats.ok),
                "processed": dict(stats.processed), "rescued": dict(getattr(stats, "rescued", {})),
                "skipped": dict(stats.skipped),
                "artifact_data": plain_data(copy.deepcopy((getattr(stats, "custom", None) or {}).get("_run", {}))),
            }
            self._emit("playbook_on_stats", data, "v2_playbook_on_stats", (stats,))
        if self.close_on_stats:
            self.close()

    # -- host events -------------------------------------------------------------

    def v2_runner_on_start(self, host: Any, task: Any) -> None:
        with self._lock:
            self._host_start[host.get_name()] = _now()
            data = self._task_context(task)
            data["host"] = host.get_name()
            self._emit("runner_on_start", data, "v2_runner_on_start", (host, task))

    def v2_runner_on_ok(self, result: Any) -> None:
        self._result_event("runner_on_ok", result, "v2_runner_on_ok", (result,),
                           event_loop=getattr(result._task, "loop_with", None))

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._result_event("runner_on_failed", result, "v2_runner_on_failed", (result, ignore_errors),
                           ignore_errors=ignore_errors, event_loop=getattr(result._task, "loop_with", None))

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._result_event("runner_on_skipped", result, "v2_runner_on_skipped", (result,), res=False,
                           event_loop=getattr(result._task, "loop_with", None))

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._result_event("runner_on_unreachable", result, "v2_runner_on_unreachable", (result,))

    def v2_runner_item_on_ok(self, result: Any) -> None:
        self._result_event("runner_item_on_ok", result, "v2_runner_item_on_ok", (result,), timing=False)

    def v2_runner_item_on_failed(self, result: Any) -> None:
        self._result_event("runner_item_on_failed", result, "v2_runner_item_on_failed", (result,), timing=False)

    def v2_runner_item_on_skipped(self, result: Any) -> None:
        self._result_event("runner_item_on_skipped", result, "v2_runner_item_on_skipped", (result,), timing=False)

    def v2_runner_retry(self, result: Any) -> None:
        self._result_event("runner_retry", result, "v2_runner_retry", (result,), timing=False)

    def v2_on_file_diff(self, result: Any) -> None:
        self._result_event("runner_on_file_diff", result, "v2_on_file_diff", (result,), timing=False, res=False,
                           diff=plain_data(copy.deepcopy(result._result.get("diff"))))

    def _async_event(self, event: str, result: Any, forward: str) -> None:
        jid = result._result.get("ansible_job_id")
        if not jid and isinstance(result._result.get("async_result"), dict):
            jid = result._result["async_result"].get("ansible_job_id")
        self._result_event(event, result, forward, (result,), timing=False, jid=jid)

    def v2_runner_on_async_poll(self, result: Any) -> None:
        self._async_event("runner_on_async_poll", result, "v2_runner_on_async_poll")

    def v2_runner_on_async_ok(self, result: Any) -> None:
        self._async_event("runner_on_async_ok", result, "v2_runner_on_async_ok")

    def v2_runner_on_async_failed(self, result: Any) -> None:
        self._async_event("runner_on_async_failed", result, "v2_runner_on_async_failed")
