"""corral-modules-files: files on the target (copy, template, file, lineinfile, stat, ...)."""
from __future__ import annotations

import os


def _results(result) -> list[dict]:
    return [outcome.result for outcome in result.hosts["localhost"].results]


def test_copy_template_and_file_are_idempotent(corral_run, tmp_path) -> None:
    (tmp_path / "motd.j2").write_text("Welcome to {{ inventory_hostname }}\n")
    tasks = [
        {"copy": {"content": "hello\n", "dest": str(tmp_path / "hello.txt"), "mode": "0640"}},
        {"template": {"src": str(tmp_path / "motd.j2"), "dest": str(tmp_path / "motd")}},
        {"file": {"path": str(tmp_path / "dir"), "state": "directory"}},
    ]
    first = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}])
    assert [r["changed"] for r in _results(first)] == [True, True, True]
    assert (tmp_path / "motd").read_text() == "Welcome to localhost\n"
    assert os.stat(tmp_path / "hello.txt").st_mode & 0o777 == 0o640
    second = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}])
    assert [r["changed"] for r in _results(second)] == [False, False, False]


def test_lineinfile_stat_and_slurp(corral_run, tmp_path) -> None:
    config = tmp_path / "app.conf"
    config.write_text("port=80\n")
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"lineinfile": {"path": str(config), "regexp": "^port=", "line": "port=8080"}},
        {"stat": {"path": str(config)}},
        {"slurp": {"src": str(config)}},
    ]}])
    edited, stat, slurp = _results(result)
    assert edited["changed"] and config.read_text() == "port=8080\n"
    assert stat["stat"]["exists"] and stat["stat"]["size"] == 10
    assert slurp["encoding"] == "base64" and slurp["content"] == "cG9ydD04MDgwCg=="
