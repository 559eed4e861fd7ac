"""corral-callback-oneline: one line per result (``corral -o``)."""
from __future__ import annotations


def test_every_result_is_one_line(corral_run, capsys) -> None:
    corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"debug": {"msg": "hello"}},
        {"shell": "echo one; echo two"},
    ]}], stdout_callback="oneline")
    lines = capsys.readouterr().out.splitlines()
    assert lines == ['localhost | SUCCESS => {    "changed": false,    "msg": "hello"}',
                     "localhost | CHANGED | rc=0 | (stdout) one\\ntwo"]


def test_the_adhoc_cli_uses_it_for_dash_o(cli) -> None:
    proc = cli("corral", "localhost", "-m", "ping", "-o")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == 'localhost | SUCCESS => {"changed": false,"ping": "pong"}'
