from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """Report the shell family an action sees on its connection."""

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result["family"] = self._connection._shell.SHELL_FAMILY
        return result
