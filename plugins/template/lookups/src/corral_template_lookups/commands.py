"""Lookups that run shell commands on the controller: pipe, lines."""
from __future__ import annotations

import subprocess
from collections.abc import Mapping
from typing import Any

from corral.errors import CorralError
from corral.plugins.lookup import LookupBase
from corral_template_lookups._common import reject_undefined

__all__ = ["PipeLookup", "LinesLookup"]


class PipeLookup(LookupBase):
    """``lookup('pipe', 'command')``: each command's standard output, trailing
    newlines removed.  Commands run with ``/bin/sh`` in the playbook's directory;
    a non-zero exit status is an error."""

    NAME = "pipe"

    def _run(self, term: Any) -> str:
        reject_undefined(term)
        cwd = self._loader.get_basedir() if self._loader is not None else None
        try:
            done = subprocess.run(str(term), shell=True, cwd=cwd, capture_output=True, check=False)  # noqa: S602
        except OSError as exc:
            raise CorralError(f"{self.NAME} lookup could not run {term!r}: {exc}") from exc
        if done.returncode != 0:
            error = done.stderr.decode("utf-8", "replace").strip()
            raise CorralError(f"lookup_plugin.{self.NAME}({term}) returned {done.returncode}"
                              + (f": {error}" if error else ""))
        return done.stdout.decode("utf-8", "surrogateescape")

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        return [self._run(term).rstrip("\n") for term in terms]


class LinesLookup(PipeLookup):
    """``lookup('lines', 'command')`` / ``with_lines``: the lines of each
    command's output, one item per line."""

    NAME = "lines"

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        return [line for term in terms for line in self._run(term).splitlines()]
