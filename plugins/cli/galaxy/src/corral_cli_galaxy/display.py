"""How corral-galaxy talks to the user: progress on stdout, ``[WARNING]: `` and
``[ERROR]: `` lines on stderr, as ansible-galaxy prints them."""
from __future__ import annotations

import sys
from typing import TextIO

__all__ = ["Display", "GalaxyCliError"]


class GalaxyCliError(Exception):
    """A failure reported as ``[ERROR]: <message>`` with exit code 1."""


class Display:
    """Writes progress to ``out`` and warnings to ``err`` (the process's streams by default)."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def __call__(self, message: str) -> None:
        self.out.write(message + "\n")
        self.out.flush()

    def warning(self, message: str) -> None:
        self.err.write(f"[WARNING]: {message}\n")
        self.err.flush()

    def error(self, message: str) -> None:
        self.err.write(f"[ERROR]: {message}\n")
        self.err.flush()
