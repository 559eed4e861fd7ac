"""The ``su`` become method: ``su USER -c CMD``; util-linux ``su`` reads the password
from stdin, so no terminal is needed.  Its prompt is its own, localized: matched by
the words for "password" in ``prompt_l10n`` (Ansible's ``ansible_su_prompt_l10n``)."""
from __future__ import annotations

import re
import shlex

from corral.plugins import hookimpl
from corral.plugins.become import BecomeBase, become_options
from corral.plugins.options import Option

__all__ = ["SuBecome"]

#: the word su says for "password" in the common locales (used when prompt_l10n is empty)
_PASSWORD_WORDS = ("password", "passwort", "mot de passe", "contraseña", "senha", "wachtwoord", "parola",
                   "hasło", "lösenord", "adgangskode", "passord")


def _prompt_pattern(words: tuple[str, ...]) -> re.Pattern[bytes]:
    """A prompt: one of ``words`` (optionally "for USER") then a colon, at the end."""
    alternatives = b"|".join(re.escape(word.encode()) for word in words)
    return re.compile(rb"(?i)(?:^|\n|\s)(?:" + alternatives + rb")(?: for [^\n:]*)?\s*[:\xef\xbc\x9a]\s*$")


class SuBecome(BecomeBase):
    """su with the password on stdin."""

    name = "su"
    OPTIONS = {
        **become_options("su"),
        "prompt_l10n": Option(
            "prompt_l10n", [], "list", env=("ANSIBLE_SU_PROMPT_L10N",),
            ini=(("su_become_plugin", "localized_prompts"),), vars=("ansible_su_prompt_l10n",),
            description="The words su may print for 'password' (its prompt); empty: the common locales'."),
    }
    fail = (re.compile(rb"[Aa]uthentication failure"),
            re.compile(rb"unknown user|does not exist", re.I))
    missing = (re.compile(rb"must be run from a terminal"),)
    prompt_pattern = _prompt_pattern(_PASSWORD_WORDS)

    def prompt_patterns(self) -> tuple[re.Pattern[bytes], ...]:
        words = tuple(str(word) for word in self.become.get("prompt_l10n") or ())
        return (_prompt_pattern(words),) if words else super().prompt_patterns()

    def wrap(self, inner: str, key: str) -> tuple[str, str | None]:
        line = " ".join(p for p in (self.exe, self.flags, shlex.quote(self.become.user or "root"), "-c",
                                    shlex.quote(inner)) if p)
        return line, None


@hookimpl
def corral_become(name: str) -> type[SuBecome] | None:
    return SuBecome if name == "su" else None
