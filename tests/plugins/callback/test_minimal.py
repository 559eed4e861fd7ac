"""corral-callback-minimal: ``host | STATUS => result`` without banners."""
from __future__ import annotations


def test_each_result_is_one_block_without_banners(corral_run, capsys) -> None:
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"debug": {"msg": "hello"}},
        {"command": "echo out"},
        {"fail": {"msg": "boom"}},
    ]}], stdout_callback="minimal")
    out = capsys.readouterr().out
    assert result.rc == 2
    assert 'localhost | SUCCESS => {\n    "msg": "hello"\n}' in out
    assert "localhost | CHANGED | rc=0 >>\nout\n" in out
    assert 'localhost | FAILED! => {\n    "changed": false,\n    "msg": "boom"\n}' in out
    assert "PLAY" not in out and "TASK" not in out
