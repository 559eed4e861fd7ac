"""``ansible.utils.display``: ``Display()`` as plugins use it (``display = Display()``
at module level), writing to the output of the run using the plugin
(:func:`corral_content_ansible.run_state.display`)."""
from __future__ import annotations

from typing import Any

from corral.display import text_width
from corral_content_ansible import run_state

__all__ = ["Display", "get_text_width"]


def get_text_width(text: str) -> int:
    """The number of terminal columns ``text`` takes."""
    return text_width(text)


class Display:
    """Ansible's display singleton: every method forwards to the run's display."""

    def __init__(self, verbosity: int = 0) -> None:
        self._verbosity = verbosity

    @property
    def verbosity(self) -> int:
        return max(run_state.display().verbosity, self._verbosity)

    @verbosity.setter
    def verbosity(self, value: int) -> None:
        self._verbosity = value

    @property
    def columns(self) -> int:
        return run_state.display().columns

    def display(self, msg: str, color: str | None = None, stderr: bool = False, screen_only: bool = False,
                log_only: bool = False, newline: bool = True, **_: Any) -> None:
        if not log_only:
            run_state.display().display(str(msg), color=color, stderr=stderr)

    def _verbose(self, level: int, msg: str, host: str | None) -> None:
        if self.verbosity >= level:
            run_state.display().verbose(str(msg), host=host, caplevel=level - 1)

    def v(self, msg: str, host: str | None = None) -> None:
        self._verbose(1, msg, host)

    def vv(self, msg: str, host: str | None = None) -> None:
        self._verbose(2, msg, host)

    def vvv(self, msg: str, host: str | None = None) -> None:
        self._verbose(3, msg, host)

    def vvvv(self, msg: str, host: str | None = None) -> None:
        self._verbose(4, msg, host)

    def vvvvv(self, msg: str, host: str | None = None) -> None:
        self._verbose(5, msg, host)

    def vvvvvv(self, msg: str, host: str | None = None) -> None:
        self._verbose(6, msg, host)

    def verbose(self, msg: str, host: str | None = None, caplevel: int = 2) -> None:
        self._verbose(caplevel + 1, msg, host)

    def debug(self, msg: str, host: str | None = None) -> None:
        run_state.display().debug(str(msg), host=host)

    def warning(self, msg: str, formatted: bool = False, **kwargs: Any) -> None:
        run_state.display().warning(str(msg), formatted=formatted)

    def deprecated(self, msg: str, version: str | None = None, removed: bool = False, date: str | None = None,
                   collection_name: str | None = None, **kwargs: Any) -> None:
        run_state.display().deprecated(str(msg), version=version, removed=removed, date=date,
                                       collection_name=collection_name, help_text=kwargs.get("help_text"))

    def error(self, msg: Any, wrap_text: bool = True, stderr: bool = True) -> None:
        run_state.display().error(msg, wrap_text=wrap_text, stderr=stderr)

    def banner(self, msg: str, color: str | None = None, cows: bool = True) -> None:
        run_state.display().banner(str(msg), color=color, cows=cows)

    def system_warning(self, msg: str) -> None:
        run_state.display().system_warning(str(msg))

    def prompt(self, msg: str, private: bool = False) -> str:
        return run_state.display().prompt(msg, private)
