"""The ``tree`` callback (``corral --tree DIR``): each host's result as JSON in a file.

For every ok, failed or unreachable result, ``DIR/<host>`` is (re)written with the
result as JSON (the same text ``_dump_results`` gives the screen).  ``DIR`` is the
command line's ``--tree`` (``set_cli_args({"tree": DIR})``), else the ``directory``
option (``CORRAL_CALLBACK_TREE_DIR``/``ANSIBLE_CALLBACK_TREE_DIR``, ``[callback_tree]
directory``, default ``~/.ansible/tree``).  Files that cannot be written become warnings.
"""
from __future__ import annotations

import os
from typing import Any

from corral.plugins.callback import CallbackBase, CallbackOption, open_host_file

__all__ = ["CallbackModule"]


class CallbackModule(CallbackBase):
    """Writes one JSON file per host."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "tree"
    CALLBACK_NEEDS_ENABLED = True
    OPTIONS = {"directory": CallbackOption("directory", "~/.ansible/tree", "path", ("ANSIBLE_CALLBACK_TREE_DIR",),
                                           (("callback_tree", "directory"),))}

    @property
    def tree(self) -> str:
        """The directory the files go to."""
        from_cli = self._cli_args.get("tree")
        if from_cli:
            return os.path.abspath(os.path.expanduser(str(from_cli)))
        return self.get_option("directory")

    def write_tree_file(self, hostname: str, buf: str) -> None:
        """Write ``buf`` to ``<tree>/<hostname>``.  A host name that is not one plain
        file name (``add_host`` may take it from a host's output: ``../x``, ``/x``)
        is refused with a warning, and a symlink at the file's place is never
        followed: the file can only ever be inside the directory (ansible-core
        writes wherever the name points)."""
        directory = self.tree
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as exc:
            self._display.warning(f"Unable to access or create the configured directory {directory!r}: {exc}")
        try:
            with open_host_file(directory, hostname) as handle:
                handle.write(buf.encode("utf-8"))
        except OSError as exc:
            self._display.warning(f"Unable to write to {hostname!r}'s file: {exc}")

    def result_to_tree(self, result: Any) -> None:
        self.write_tree_file(result._host.get_name(), self._dump_results(result._result))

    def v2_runner_on_ok(self, result: Any) -> None:
        self.result_to_tree(result)

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self.result_to_tree(result)

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self.result_to_tree(result)
