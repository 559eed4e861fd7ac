"""``awx_display``: the stdout callback ``corral-runner`` gives the ``corral-playbook``
(or ``corral``) process it starts, as ansible-runner gives ``awx_display`` to Ansible.

It wraps the stdout callback the user chose (``ORIGINAL_STDOUT_CALLBACK``; else
``minimal`` for an ad-hoc command, ``AD_HOC_COMMAND_ID`` set, and ``default`` for a
playbook), so the screen output is unchanged, and turns every event into an
ansible-runner job event (:class:`corral.events.JobEventCallback`) with what that
callback printed as its ``stdout``.  An ad-hoc run's events carry no play and no task
start event, as ansible-runner's.

Where the events go (the child's environment):

- ``CORRAL_RUNNER_EVENTS_FD``: a pipe from ``corral-runner``; one JSON event per line.
  The runner names, filters (``event_handler``) and writes them.
- otherwise ``AWX_ISOLATED_DATA_DIR``: the artifact directory; each event is written
  to ``job_events/<counter>-<uuid>.json`` there, as ansible-runner would.

``RUNNER_OMIT_EVENTS=True`` empties every event's ``event_data``;
``RUNNER_ONLY_FAILED_EVENTS=True`` keeps it only on failed events; a result bigger
than ``MAX_EVENT_RES`` characters (700000) is dropped from ``res``, as ansible-runner does.
"""
from __future__ import annotations

import json
import os
from typing import Any, Mapping

from corral.events import JobEventCallback, JobEventStream
from corral.plugins import Display, PluginManager

__all__ = ["CallbackModule", "EVENTS_START", "event_for_artifacts"]

#: written to the terminal once the events begin (an OSC sequence: terminals show
#: nothing), so that ``corral-runner`` knows what was printed before them (the version
#: banner, config file, warnings) and makes it ``verbose`` events, as ansible-runner
#: does; ``corral-runner`` removes it from the output it keeps
EVENTS_START = "\x1b]corral-runner;events\x07"

_FAILED_EVENTS = ("runner_on_failed", "runner_on_async_failed", "runner_on_item_failed")


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def event_for_artifacts(event: Mapping[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """``event`` as ansible-runner stores it, given the run's ``RUNNER_OMIT_EVENTS``,
    ``RUNNER_ONLY_FAILED_EVENTS`` and ``MAX_EVENT_RES`` (from ``environ``)."""
    record = dict(event)
    data = dict(record.get("event_data") or {})
    only_failed = _true(environ.get("RUNNER_ONLY_FAILED_EVENTS"))
    if _true(environ.get("RUNNER_OMIT_EVENTS")) or (only_failed and record.get("event") not in _FAILED_EVENTS):
        data = {}
    elif record.get("event") != "playbook_on_stats" and "res" in data \
            and len(str(data["res"])) > int(environ.get("MAX_EVENT_RES", "700000")):
        data["res"] = {}
    record["event_data"] = data
    return record


class CallbackModule(JobEventCallback):
    """The user's stdout callback, wrapped to publish ansible-runner job events."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "awx_display"

    def __init__(self, display: Display | None = None, options: Mapping[str, Any] | None = None) -> None:
        environ = os.environ
        self._adhoc = bool(environ.get("AD_HOC_COMMAND_ID"))
        name = environ.get("ORIGINAL_STDOUT_CALLBACK") or ("minimal" if environ.get("AD_HOC_COMMAND_ID") else "default")
        if name == self.CALLBACK_NAME:
            name = "default"
        wrapped = PluginManager().callback_class(name)(display=display)
        artifact_dir = environ.get("AWX_ISOLATED_DATA_DIR")
        fd = environ.get("CORRAL_RUNNER_EVENTS_FD")
        self._events_fd = int(fd) if fd else None
        self._events_dir = os.path.join(artifact_dir, "job_events") if artifact_dir and fd is None else None
        if self._events_dir:
            os.makedirs(self._events_dir, mode=0o700, exist_ok=True)
        ident = os.path.basename(artifact_dir.rstrip("/")) if artifact_dir else None
        super().__init__(JobEventStream(), stdout_callback=wrapped, display=display, runner_ident=ident,
                         on_event=self._deliver)
        if self._events_fd is not None and display is not None:
            display.stream.write(EVENTS_START)
            display.stream.flush()

    def v2_playbook_on_play_start(self, play: Any) -> None:
        if not self._adhoc:     # an ad-hoc run's events have no play, as in ansible-runner
            super().v2_playbook_on_play_start(play)

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        if self._adhoc:
            self.set_task_context(task)
        else:
            super().v2_playbook_on_task_start(task, is_conditional)

    def set_options(self, *args: Any, **kwargs: Any) -> None:
        super().set_options(*args, **kwargs)
        if self.stdout_callback is not None:
            self.stdout_callback.set_options(*args, **kwargs)

    def set_cli_args(self, args: Mapping[str, Any]) -> None:
        super().set_cli_args(args)
        if self.stdout_callback is not None:
            self.stdout_callback.set_cli_args(args)

    def _deliver(self, event: dict[str, Any]) -> None:
        record = event_for_artifacts(event, os.environ)
        if self._events_fd is not None:
            line = (json.dumps(record, default=str) + "\n").encode("utf-8")
            view = memoryview(line)
            while view:
                written = os.write(self._events_fd, view)
                view = view[written:]
        elif self._events_dir is not None:
            path = os.path.join(self._events_dir, f"{record['counter']}-{record['uuid']}.json")
            with open(path + ".tmp", "w", encoding="utf-8") as handle:
                json.dump(record, handle, default=str)
            os.replace(path + ".tmp", path)
