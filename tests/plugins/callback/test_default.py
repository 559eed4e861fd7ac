"""corral-callback-default: Ansible's screen format (the default stdout callback);
its output is compared with ansible-core's in ``tests/callback/test_default_oracle.py``."""
from __future__ import annotations

import re

PLAYS = [{"hosts": "all", "gather_facts": False, "tasks": [
    {"name": "greet", "debug": {"msg": "hello"}},
    {"name": "change", "command": "true"},
    {"name": "never", "debug": {}, "when": False},
    {"name": "break", "fail": {"msg": "boom"}, "ignore_errors": True},
]}]


def test_banners_results_and_the_recap(corral_inventory, corral_run, capsys) -> None:
    corral_inventory.host("web1")
    result = corral_run.playbook(PLAYS, stdout_callback="default")
    out = capsys.readouterr().out
    assert result.rc == 0
    assert re.search(r"^PLAY \[all\] \*+$", out, re.M)
    assert re.search(r"^TASK \[greet\] \*+\nok: \[web1\] => \{\n    \"msg\": \"hello\"\n\}$", out, re.M)
    assert "changed: [web1]" in out and "skipping: [web1]" in out
    assert 'fatal: [web1]: FAILED! => {"changed": false, "msg": "boom"}\n...ignoring' in out
    assert re.search(r"^web1 +: ok=3 +changed=1 +unreachable=0 +failed=0 +skipped=1 +rescued=0 +ignored=1",
                     out, re.M)


def test_it_prints_the_same_text_as_the_job_events(corral_inventory, corral_run, capsys) -> None:
    corral_inventory.host("web1")
    result = corral_run.playbook(PLAYS, stdout_callback="default")
    printed = capsys.readouterr().out
    from_events = "\n".join(e["stdout"].replace("\r\n", "\n") for e in result.events if e["stdout"])
    assert from_events.strip() == printed.strip()
