"""corral-template-lookups: Ansible's lookups (file, env, items, password, ...)."""
from __future__ import annotations


def _results(result) -> list:
    return [outcome.result.get("msg") for outcome in result.hosts["localhost"].results]


def test_file_env_and_lines_lookups(corral_run, tmp_path, monkeypatch) -> None:
    (tmp_path / "greeting.txt").write_text("hello\n")
    monkeypatch.setenv("CORRAL_TEST_COLOUR", "blue")
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"debug": {"msg": f"{{{{ lookup('file', '{tmp_path}/greeting.txt') }}}}"}},
        {"debug": {"msg": "{{ lookup('env', 'CORRAL_TEST_COLOUR') }}"}},
        {"debug": {"msg": "{{ query('lines', 'printf \"a\\nb\"') }}"}},
    ]}])
    assert _results(result) == ["hello", "blue", ["a", "b"]]


def test_with_items_and_a_missing_file(corral_run) -> None:
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"debug": {"msg": "{{ item }}"}, "with_items": [[1, 2], 3]},
        {"debug": {"msg": "{{ lookup('file', '/nonexistent/x') }}"}, "ignore_errors": True},
    ]}])
    looped, missing = [outcome.result for outcome in result.hosts["localhost"].results]
    assert [item["msg"] for item in looped["results"]] == [1, 2, 3]
    assert missing["failed"] and "/nonexistent/x" in missing["msg"]
