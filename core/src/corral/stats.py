"""Per-host counters for the PLAY RECAP (``AggregateStats``, as in Ansible's API)."""
from __future__ import annotations

import threading
from typing import Any

__all__ = ["AggregateStats"]

_COUNTERS = ("ok", "failures", "dark", "changed", "skipped", "rescued", "ignored")


class AggregateStats:
    """Counts task outcomes per host.

    Attributes ``ok``, ``failures``, ``dark`` (unreachable), ``changed``,
    ``skipped``, ``rescued``, ``ignored`` map host names to counts; ``processed``
    holds every host that ran anything.  ``custom`` holds data set with
    ``set_custom_stats``.  Thread-safe.
    """

    def __init__(self) -> None:
        self.processed: dict[str, int] = {}
        self.ok: dict[str, int] = {}
        self.failures: dict[str, int] = {}
        self.dark: dict[str, int] = {}
        self.changed: dict[str, int] = {}
        self.skipped: dict[str, int] = {}
        self.rescued: dict[str, int] = {}
        self.ignored: dict[str, int] = {}
        self.custom: dict[str, Any] = {}
        self._lock = threading.Lock()

    def increment(self, what: str, host: str) -> None:
        """Add one to counter ``what`` (one of ok, failures, dark, changed, skipped,
        rescued, ignored) for ``host``."""
        if what not in _COUNTERS:
            raise ValueError(f"unknown counter {what!r}")
        with self._lock:
            self.processed[host] = 1
            counter = getattr(self, what)
            counter[host] = counter.get(host, 0) + 1

    def decrement(self, what: str, host: str) -> None:
        """Take one from counter ``what`` for ``host`` (never below zero)."""
        with self._lock:
            counter = getattr(self, what)
            if counter.get(host, 0) > 0:
                counter[host] -= 1

    def summarize(self, host: str) -> dict[str, int]:
        """The counters of one host, keyed as the PLAY RECAP names them."""
        return {
            "ok": self.ok.get(host, 0),
            "failures": self.failures.get(host, 0),
            "unreachable": self.dark.get(host, 0),
            "changed": self.changed.get(host, 0),
            "skipped": self.skipped.get(host, 0),
            "rescued": self.rescued.get(host, 0),
            "ignored": self.ignored.get(host, 0),
        }

    def set_custom_stats(self, which: str, what: Any, host: str | None = None) -> None:
        """Store custom data (``set_stats``), per host or for the whole run (``_run``)."""
        with self._lock:
            self.custom.setdefault(host or "_run", {})[which] = what

    def update_custom_stats(self, which: str, what: Any, host: str | None = None) -> None:
        """Merge custom data into what is stored (dicts merged, numbers added)."""
        with self._lock:
            bucket = self.custom.setdefault(host or "_run", {})
            current = bucket.get(which)
            if isinstance(current, dict) and isinstance(what, dict):
                current.update(what)
            elif isinstance(current, (int, float)) and isinstance(what, (int, float)):
                bucket[which] = current + what
            else:
                bucket[which] = what
