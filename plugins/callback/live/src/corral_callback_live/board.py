"""What the live view shows: each host's current task and counts, and the progress of
the play (task results done out of tasks x hosts), rendered with rich.

:class:`Board` is plain state, updated from the callback's events (any thread) under
its lock; :meth:`Board.render` makes the rich renderable a ``Live`` display refreshes.
"""
from __future__ import annotations

import dataclasses
import threading
import time

from rich.console import Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

__all__ = ["Board", "HostRow", "OUTCOMES"]

#: the counted outcomes, in the order the table shows them, with Ansible's colors
OUTCOMES = (("ok", "green"), ("changed", "yellow"), ("failed", "red"), ("unreachable", "bright_red"),
            ("skipped", "cyan"))


@dataclasses.dataclass
class HostRow:
    """One host: the task it runs (``""`` when idle), since when, and its counts."""

    name: str
    task: str = ""
    since: float = 0.0
    counts: dict[str, int] = dataclasses.field(default_factory=lambda: {key: 0 for key, _ in OUTCOMES})


class Board:
    """The state of the play being watched."""

    def __init__(self, max_rows: int = 20) -> None:
        self.max_rows = max_rows
        self.play = ""
        self.hosts: dict[str, HostRow] = {}
        self.tasks_in_play = 0
        self.done = 0
        self._lock = threading.Lock()

    def start_play(self, name: str, tasks: int) -> None:
        with self._lock:
            self.play, self.tasks_in_play, self.done = name, tasks, 0
            self.hosts = {}

    def start(self, host: str, task: str) -> None:
        """``host`` starts ``task``."""
        with self._lock:
            row = self.hosts.setdefault(host, HostRow(host))
            row.task, row.since = task, time.monotonic()

    def finish(self, host: str, outcome: str) -> None:
        """``host``'s task ended with ``outcome`` (one of :data:`OUTCOMES`' keys)."""
        with self._lock:
            row = self.hosts.setdefault(host, HostRow(host))
            row.counts[outcome] += 1
            row.task = ""
            self.done += 1

    @property
    def total(self) -> int:
        """Task results expected in the play: its tasks times its hosts (grows with includes)."""
        return max(self.done, self.tasks_in_play * max(1, len(self.hosts)))

    def render(self) -> RenderableType:
        """The table (busy hosts first, the longest-running at the top) and the bar."""
        now = time.monotonic()
        with self._lock:
            rows = sorted(self.hosts.values(), key=lambda r: (not r.task, -(now - r.since) if r.task else 0, r.name))
            done, total, play = self.done, self.total, self.play
        table = Table(title=f"PLAY [{play}]", title_justify="left", expand=False, box=None, padding=(0, 1))
        table.add_column("host", style="bold")
        table.add_column("task")
        table.add_column("time", justify="right")
        for key, color in OUTCOMES:
            table.add_column(key, justify="right", style=color)
        for row in rows[:self.max_rows]:
            elapsed = f"{now - row.since:.1f}s" if row.task else ""
            table.add_row(row.name, row.task or Text("idle", style="dim"), elapsed,
                          *(str(row.counts[key]) for key, _ in OUTCOMES))
        if len(rows) > self.max_rows:
            table.add_row(Text(f"... {len(rows) - self.max_rows} more hosts", style="dim"), "", "")
        bar = Table.grid(padding=(0, 1))
        bar.add_row(ProgressBar(total=max(total, 1), completed=done, width=40), Text(f"{done}/{total} task results"))
        return Group(table, bar)
