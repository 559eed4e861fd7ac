"""Connection plugins written for Ansible run modules as Ansible does: without
pipelining (the default) the module is copied with ``put_file`` into a private
directory under ``remote_tmp``, run from there and removed; with ``pipelining``
on (and the class's ``has_pipelining``) it is fed on standard input."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corral.api import run_playbook
from corral.config import Config
from corral.plugins.manager import PluginManager

from .test_ansible_controller_plugins import CollectionResolver, make_collection

CONNECTION = """\
    import os
    import shutil
    import ansible.plugins.connection.local as local
    from ansible.errors import AnsibleConnectionFailure

    class Connection(local.Connection):
        def put_file(self, in_path, out_path):
            with open(os.environ["ACME_PUT_LOG"], "a") as log:
                log.write(out_path + "\\n")
            if os.environ.get("ACME_PUT_FAILS"):
                raise AnsibleConnectionFailure("BADPUT: copying failed")
            shutil.copyfile(in_path, out_path)
    """


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, executor: str = "forking",
         **extra_vars: Any) -> tuple[Any, list[str]]:
    root = make_collection(tmp_path, {"plugins/connection/copying.py": CONNECTION}, "conn")
    log = tmp_path / "put.log"
    monkeypatch.setenv("ACME_PUT_LOG", str(log))
    plugins = PluginManager()
    plugins.register(CollectionResolver([root]))
    play: dict[str, Any] = {
        "hosts": "web1", "gather_facts": False,
        "vars": {"ansible_connection": "acme.conn.copying", "ansible_python_interpreter": "python3",
                 "ansible_remote_tmp": str(tmp_path / "rtmp"), **extra_vars},
        "tasks": [{"ping": {"data": "pong"}, "register": "pinged", "ignore_unreachable": True},
                  {"debug": {"msg": "after"}}]}
    inventory = tmp_path / "hosts"
    inventory.write_text("web1\n")
    outcome = run_playbook([play], plugins=plugins, inventory=str(inventory), executor=executor,
                           config=Config(cwd=str(tmp_path)))
    return outcome, log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize("executor", ["forking", "inline"])
def test_without_pipelining_the_module_is_copied_run_and_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, executor: str) -> None:
    outcome, puts = _run(tmp_path, monkeypatch, executor)
    pinged = outcome.hosts["web1"].results[0].result
    assert pinged["ping"] == "pong" and not pinged.get("failed")
    (copied,) = puts
    assert Path(copied).parent.parent == tmp_path / "rtmp"
    assert not Path(copied).parent.exists()             # removed after the run
    assert list((tmp_path / "rtmp").iterdir()) == []


def test_with_pipelining_on_the_module_is_fed_on_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outcome, puts = _run(tmp_path, monkeypatch, ansible_pipelining=True)
    assert outcome.hosts["web1"].results[0].result["ping"] == "pong"
    assert puts == []


def test_pipelining_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSIBLE_PIPELINING", "true")
    outcome, puts = _run(tmp_path, monkeypatch)
    assert outcome.hosts["web1"].results[0].result["ping"] == "pong"
    assert puts == []


def test_a_failing_put_file_makes_the_host_unreachable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_PUT_FAILS", "1")
    outcome, puts = _run(tmp_path, monkeypatch)
    pinged, after = [r.result for r in outcome.hosts["web1"].results]
    assert pinged.get("unreachable") and "BADPUT: copying failed" in pinged["msg"]
    assert after["msg"] == "after"                      # ignore_unreachable: the play goes on
    assert len(puts) == 1 and list((tmp_path / "rtmp").iterdir()) == []
