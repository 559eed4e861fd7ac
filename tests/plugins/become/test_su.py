"""corral-become-su: a real play escalates with su; its localized prompts come from
its own option.  (A password over ssh: tests/ssh/test_become.py.)"""
from __future__ import annotations

from corral.plugins.become import BecomeHandshake, build_become_command
from corral.plugins.connection import Become


def test_a_play_runs_its_task_through_su(escalate, corral_su_user) -> None:
    assert escalate("su", corral_su_user.name) == corral_su_user.name


def test_prompt_l10n_reaches_the_become_as_a_hashable_option(resolve) -> None:
    become = resolve("ansible.builtin.su", variables={"ansible_su_prompt_l10n": ["Kennwort"]})
    assert (become.method, become.plugin) == ("su", "corral_become_su:SuBecome")
    assert become.get("prompt_l10n") == ("Kennwort",)
    assert hash(become) == hash(resolve("su", variables={"ansible_su_prompt_l10n": ["Kennwort"]}))


def test_a_localized_prompt_is_answered_once_and_a_refusal_is_a_wrong_password() -> None:
    become = Become(method="su", user="nobody", password="pw", plugin="corral_become_su:SuBecome",
                    extra=(("prompt_l10n", ("Kennwort",)),))
    handshake = BecomeHandshake(build_become_command("true", become))
    assert handshake.feed(err=b"Kennwort: ") == b"pw\n"
    assert handshake.feed(err=b"\nsu: Authentication failure\n") == b""
    assert handshake.failed == "Incorrect su password"
