"""What the timing callbacks share: the per-task timestamp line and the recap lines.

The shapes follow ansible.posix's callbacks on an 80-column screen (``columns`` is
the display's width, 79 there): a timestamp line is ``<now> (<last>) <total>`` then
stars to the edge, a recap line is ``<name> ----- 1.23s``.
"""
from __future__ import annotations

import datetime
import time
from typing import Any

from corral.plugins.callback import CallbackBase, CallbackOption

__all__ = ["DEFAULT_DATETIME_FORMAT", "Stopwatch", "TimingCallback", "filled", "summary_line", "summary_only_option"]

DEFAULT_DATETIME_FORMAT = "%A %d %B %Y  %H:%M:%S %z"
_ISO8601 = "%Y-%m-%dT%H:%M:%S.%f"


def summary_only_option(prefix: str, section: str) -> CallbackOption:
    """The ``summary_only`` option (``<PREFIX>_SUMMARY_ONLY``, ``[<section>] summary_only``)."""
    return CallbackOption("summary_only", False, "bool", (f"{prefix}_SUMMARY_ONLY",), ((section, "summary_only"),),
                          description="Only show the summary, not a timestamp line per task.")


def filled(msg: str, char: str, columns: int) -> str:
    """``msg`` and a space, then ``char`` to the screen's edge, then a space."""
    head = f"{msg} " if msg else ""
    return head + char * max(3, columns - len(msg) - (1 if msg else 0)) + " "


def summary_line(name: str, seconds: float, columns: int) -> str:
    """``name ------- 1.23s``: the name padded with dashes, the seconds at the edge."""
    return f"{name + ' ':-<{columns - 9}}{f' {seconds:.02f}s':->9}"


def _duration(seconds: float) -> str:
    """``0:00:01.234``: a timedelta to the millisecond."""
    text = str(datetime.timedelta(seconds=seconds))
    if "." not in text:
        text += ".000000"
    return text[:-3]


class Stopwatch:
    """The run's clock: when it started and when the last timed step started."""

    def __init__(self, datetime_format: str = DEFAULT_DATETIME_FORMAT) -> None:
        self.started = self.last = time.time()
        self.datetime_format = _ISO8601 if datetime_format == "iso8601" else datetime_format

    def line(self, columns: int) -> tuple[str, float]:
        """Lap: the timestamp line (now, the lap's length, the total so far) and the
        lap's length in seconds."""
        now = time.time()
        lap, self.last = now - self.last, now
        stamp = datetime.datetime.fromtimestamp(now).astimezone().strftime(self.datetime_format)
        return filled(f"{stamp} ({_duration(lap)}){_duration(now - self.started):>18}", "*", columns), lap



class TimingCallback(CallbackBase):
    """A callback that laps a :class:`Stopwatch` at every task start, adds each lap to
    the task that ran during it (under the key :meth:`key_of` gives), prints the
    timestamp line unless ``summary_only``, and ends the run with a recap: banner
    ``RECAP``, a last timestamp line, a line of ``=``, :meth:`recap_rows`, then
    :meth:`recap_footer`.  Subclasses declare ``summary_only`` (and, optionally,
    ``datetime_format``) in ``OPTIONS``."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NEEDS_ENABLED = True
    RECAP = "RECAP"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock: Stopwatch | None = None
        #: key -> [name, seconds], in the order first seen
        self.times: dict[str, list[Any]] = {}
        self._current: str | None = None

    @property
    def clock(self) -> Stopwatch:
        """The run's stopwatch, started at the first event."""
        if self._clock is None:
            self._clock = Stopwatch(self._safe_option("datetime_format", DEFAULT_DATETIME_FORMAT))
        return self._clock

    def key_of(self, task: Any) -> tuple[str, str]:
        """The key a task's time is added under, and the name the recap shows for it."""
        raise NotImplementedError

    def recap_rows(self) -> list[tuple[str, float]]:
        """The recap's ``(name, seconds)`` rows, in the order shown."""
        raise NotImplementedError

    def rows(self) -> list[tuple[str, float]]:
        """Every ``(name, seconds)`` timed so far, in the order first seen."""
        return [(str(name), float(seconds)) for name, seconds in self.times.values()]

    def recap_footer(self) -> None:
        """Lines after the rows (none by default)."""

    def _lap(self) -> str:
        line, seconds = self.clock.line(self._display.columns)
        if self._current is not None:
            self.times[self._current][1] += seconds
        return line

    def v2_playbook_on_start(self, playbook: Any) -> None:
        self.clock  # noqa: B018 - the run's time starts here

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool = False) -> None:
        line = self._lap()
        if not self.get_option("summary_only"):
            self._display.display(line)
        key, name = self.key_of(task)
        self._current = key
        self.times.setdefault(key, [name, 0.0])

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        self.v2_playbook_on_task_start(task)

    def v2_playbook_on_stats(self, stats: Any) -> None:
        line = self._lap()
        self._current = None
        columns = self._display.columns
        self._display.banner(self.RECAP)
        self._display.display(line)
        self._display.display(filled("", "=", columns))
        for name, seconds in self.recap_rows():
            self._display.display(summary_line(name, seconds, columns))
        self.recap_footer()
