"""``ansible.plugins.become``: ``BecomeBase`` for become plugins written for Ansible
(run by corral through :class:`corral_content_ansible.remote_adapters.AnsibleBecome`)."""
from __future__ import annotations

import shlex
import secrets
from typing import Any

from ansible.plugins import AnsiblePlugin

__all__ = ["BecomeBase"]


class BecomeBase(AnsiblePlugin):
    """Ansible's become base: ``build_become_command(cmd, shell)`` wraps a command."""

    name: str = ""
    fail: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    pipelining = True
    require_tty = False

    def __init__(self) -> None:
        super().__init__()
        self._id = ""
        self.success = ""
        self.prompt: Any = ""

    def get_option(self, option: str, hostvars: Any = None, playcontext: Any = None) -> Any:
        return super().get_option(option, hostvars)

    def expect_prompt(self) -> bool:
        return bool(self.prompt)

    def _build_success_command(self, cmd: str, shell: Any, noexe: bool = False) -> str:
        """``echo <success marker>; cmd`` for ``shell`` (quoted as one word with ``noexe``)."""
        if not all((cmd, shell, self.success)):
            return cmd
        body = shlex.quote(f"echo {self.success}; {cmd}")
        return body if noexe else f"{getattr(shell, 'executable', '/bin/sh')} -c {body}"

    def build_become_command(self, cmd: str, shell: Any) -> str:
        """Start a new command: a fresh marker (``self.success``); subclasses wrap ``cmd``."""
        self._id = secrets.token_hex(16)
        self.success = f"BECOME-SUCCESS-{self._id}"
        return cmd

    def check_success(self, b_output: bytes) -> bool:
        return self.success.encode() in b_output

    def check_password_prompt(self, b_output: bytes) -> bool:
        prompt = self.prompt if isinstance(self.prompt, str) else ""
        return bool(prompt) and prompt.encode() in b_output

    def check_incorrect_password(self, b_output: bytes) -> bool:
        return any(text.encode() in b_output for text in self.fail)

    def check_missing_password(self, b_output: bytes) -> bool:
        return any(text.encode() in b_output for text in self.missing)
