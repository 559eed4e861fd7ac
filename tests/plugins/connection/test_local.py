"""corral-connection-local: commands run on the controller; files are copied."""
from __future__ import annotations

import os

import pytest

from corral.errors import CorralError
from corral.plugins.manager import PluginManager


@pytest.fixture
def local():
    local_class = PluginManager().connection_class("local")
    connection = local_class(local_class.options_for("local", "localhost"))
    connection.connect()
    yield connection
    connection.close()


def test_a_command_gets_stdin_and_returns_rc_stdout_and_stderr(local) -> None:
    assert local.exec_command("cat; echo err >&2; exit 4", b"in") == (4, b"in", b"err\n")


def test_files_are_copied_with_their_mode_and_a_failure_is_an_error(local, tmp_path) -> None:
    source = tmp_path / "tool.sh"
    source.write_text("#!/bin/sh\n")
    source.chmod(0o750)
    local.put_file(str(source), str(tmp_path / "copy.sh"))
    assert os.stat(tmp_path / "copy.sh").st_mode & 0o777 == 0o750
    local.fetch_file(str(tmp_path / "copy.sh"), str(tmp_path / "fetched" / "back.sh"))
    assert (tmp_path / "fetched" / "back.sh").read_text() == "#!/bin/sh\n"
    with pytest.raises(CorralError, match="Failed to transfer"):
        local.put_file(str(source), str(tmp_path / "missing-dir" / "x"))


def test_a_playbook_runs_on_it(corral_inventory, corral_run) -> None:
    corral_inventory.host("here", ansible_connection="local")
    result = corral_run.task({"shell": "echo $((6 * 7))"})
    assert corral_run.outcome(result, "here").result["stdout"] == "42"
