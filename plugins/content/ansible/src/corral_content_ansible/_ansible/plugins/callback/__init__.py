"""``ansible.plugins.callback``: ``CallbackBase`` for callbacks written for Ansible.

corral's :class:`corral.plugins.callback.CallbackBase` already speaks Ansible's
callback API; this subclass adds the defaults Ansible's has and reads options from
fragments of collections too (``extends_documentation_fragment``).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from corral.plugins.callback import CallbackBase as _KernelCallbackBase
from corral.plugins.options import Option
from corral_content_ansible import run_state
from corral_content_ansible.doc_fragments import FRAGMENTS

__all__ = ["CallbackBase"]


class CallbackBase(_KernelCallbackBase):
    """Ansible's callback base class."""

    CALLBACK_VERSION: ClassVar[float] = 2.0
    CALLBACK_TYPE: ClassVar[str] = "aggregate"
    CALLBACK_NAME: ClassVar[str] = "unnamed"
    CALLBACK_NEEDS_ENABLED: ClassVar[bool] = False
    DOC_FRAGMENTS: ClassVar[Mapping[str, Mapping[str, Option]]] = FRAGMENTS

    def __init__(self, display: Any = None, options: Mapping[str, Any] | None = None) -> None:
        run_state.use_display(display)
        super().__init__(display=display, options=options)

    def set_options(self, task_keys: Mapping[str, Any] | None = None, var_options: Mapping[str, Any] | None = None,
                    direct: Mapping[str, Any] | None = None, ini: Any = None) -> None:
        """Resolve the options (the run's configuration file when ``ini`` is not given)."""
        run_state.use_config(ini)
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct,
                            ini=ini if ini is not None else run_state.config())
