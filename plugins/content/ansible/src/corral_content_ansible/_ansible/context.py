"""``ansible.context``: ``CLIARGS``, the run's command line options."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from corral_content_ansible import run_state

__all__ = ["CLIARGS"]


class _CLIArgs(Mapping[str, Any]):
    """The options of the run using Ansible content (``check``, ``diff``, ``verbosity``...)."""

    def __getitem__(self, key: str) -> Any:
        return run_state.cli_args()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(run_state.cli_args())

    def __len__(self) -> int:
        return len(run_state.cli_args())


CLIARGS = _CLIArgs()
