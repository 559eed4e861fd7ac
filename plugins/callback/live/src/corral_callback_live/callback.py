"""The ``live`` stdout callback (``stdout_callback = live``).

On a terminal it shows, while each play runs, a table of its hosts (the task each one
runs and for how long, busy and slow hosts at the top, and their ok / changed /
failed / unreachable / skipped counts) and a progress bar over the play's task
results (tasks x hosts); the ``PLAY`` banner, failures and unreachable hosts (with
their ``TASK`` banner), warnings and the ``PLAY RECAP`` are printed above it as they
happen, in Ansible's format (colors as Ansible's; ``NO_COLOR``/``ANSIBLE_NOCOLOR`` turn
them off).  When the output is not a terminal it prints exactly what ``default``
prints.  Rows: at most ``live_max_hosts`` (``CORRAL_LIVE_MAX_HOSTS``, 20).
"""
from __future__ import annotations

import atexit
from typing import Any

from corral.plugins.callback import CallbackOption
from corral_callback_default.callback import CallbackModule as DefaultCallback
from rich.console import Console
from rich.live import Live

from corral_callback_live.board import Board

__all__ = ["CallbackModule"]


class CallbackModule(DefaultCallback):
    """``default``, with a live table and progress bar on a terminal."""

    CALLBACK_NAME = "live"
    OPTIONS = {**DefaultCallback.OPTIONS,
               "live_max_hosts": CallbackOption("live_max_hosts", 20, "int", ("CORRAL_LIVE_MAX_HOSTS",),
                                                (("callback_live", "max_hosts"),),
                                                description="How many hosts the live table shows.")}

    def __init__(self, display: Any = None, options: Any = None) -> None:
        super().__init__(display=display, options=options)
        self._live: Live | None = None
        self._board: Board | None = None

    @property
    def watching(self) -> bool:
        """Whether the live view is on (the output is a terminal)."""
        stream = self._display.stream
        return bool(getattr(stream, "isatty", lambda: False)())

    def _ensure_live(self) -> Board:
        if self._board is None:
            self._board = Board(max_rows=int(self.get_option("live_max_hosts")))
        if self._live is None:
            console = Console(file=self._display.stream, no_color=not self._display.color,
                              force_terminal=True, highlight=False)
            self._live = Live(self._board.render(), console=console, refresh_per_second=4, transient=True,
                              redirect_stdout=True, redirect_stderr=True, get_renderable=self._board.render)
            self._live.start()
            atexit.register(self._stop_live)    # a run that ends without its recap leaves the terminal clean
        return self._board

    def _stop_live(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    # -- events ---------------------------------------------------------------

    def v2_playbook_on_play_start(self, play: Any) -> None:
        super().v2_playbook_on_play_start(play)
        if self.watching:
            tasks = len(play.static_tasks()) if hasattr(play, "static_tasks") else 0
            self._ensure_live().start_play(play.get_name().strip(), tasks)

    def _task_start(self, task: Any, prefix: str) -> None:
        if not self.watching:
            super()._task_start(task, prefix)
            return
        with self._lock:     # the banner waits until a failure needs it
            self._task_type_cache[task._uuid] = prefix
            self._last_task_name = task.get_name().strip()

    def v2_runner_on_start(self, host: Any, task: Any) -> None:
        if self.watching:
            self._ensure_live().start(str(host.get_name()), task.get_name().strip())
        else:
            super().v2_runner_on_start(host, task)

    def _finish(self, result: Any, outcome: str) -> None:
        if self._board is not None:
            self._board.finish(str(result._host.get_name()), outcome)

    def v2_runner_on_ok(self, result: Any) -> None:
        if not self.watching:
            super().v2_runner_on_ok(result)
            return
        self._finish(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_skipped(self, result: Any) -> None:
        if not self.watching:
            super().v2_runner_on_skipped(result)
            return
        self._finish(result, "skipped")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        super().v2_runner_on_failed(result, ignore_errors)
        if self.watching:
            self._finish(result, "ok" if ignore_errors else "failed")

    def v2_runner_on_unreachable(self, result: Any) -> None:
        super().v2_runner_on_unreachable(result)
        if self.watching:
            self._finish(result, "unreachable")

    def v2_runner_item_on_ok(self, result: Any) -> None:
        if not self.watching:
            super().v2_runner_item_on_ok(result)

    def v2_runner_item_on_skipped(self, result: Any) -> None:
        if not self.watching:
            super().v2_runner_item_on_skipped(result)

    def v2_playbook_on_include(self, included_file: Any) -> None:
        if not self.watching:
            super().v2_playbook_on_include(included_file)

    def v2_playbook_on_stats(self, stats: Any) -> None:
        self._stop_live()
        super().v2_playbook_on_stats(stats)
