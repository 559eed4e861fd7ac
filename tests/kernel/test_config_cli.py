"""``corral-config``: the kernel's settings and every installed plugin's declared options."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import run


def test_list_shows_the_kernel_settings_and_the_plugins_declarations():
    result = run(["corral-config", "list"])
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert ("kernel:\n  forks (int, default 5)\n      How many hosts run a task at once (the number of worker "
            "processes).\n      env: ANSIBLE_FORKS, CORRAL_FORKS; ini: [defaults] forks\n") in text
    ssh = text.split("connection: paramiko, ssh:\n")[1]
    assert "  reconnection_retries (int, default 0)\n" in ssh
    assert ("vars: ansible_paramiko_retries, ansible_ssh_retries; env: ANSIBLE_SSH_RETRIES, CORRAL_SSH_RETRIES; "
            "ini: [connection] retries, [ssh_connection] retries") in ssh
    assert "cli: ssh_common_args" in ssh
    assert "callback: default:\n  display_skipped_hosts (bool, default True)" in text
    listed = json.loads(run(["corral-config", "list", "--kind", "connection", "--json"]).stdout)
    local = {row["name"]: row for row in listed if row["plugin"] == "local"}
    assert local["port"]["keywords"] == ["port"] and local["port"]["ini"] == [["defaults", "remote_port"]]


def test_dump_shows_values_and_where_they_came_from(tmp_path: Path):
    cfg = tmp_path / "corral.cfg"
    cfg.write_text("[defaults]\nforks = 12\n[ssh_connection]\nssh_args = -o Compression=yes\n")
    result = run(["corral-config", "dump", "--only-changed"],
                 env={"CORRAL_CONFIG": str(cfg), "ANSIBLE_SSH_RETRIES": "4"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"[kernel]\nforks({cfg}) = 12\n")
    assert ("[connection: paramiko, ssh]\nssh_args(ini: [ssh_connection] ssh_args) = -o Compression=yes\n"
            "reconnection_retries(env: ANSIBLE_SSH_RETRIES) = 4\n") in result.stdout
    assert "(default)" not in result.stdout
    rows = json.loads(run(["corral-config", "dump", "--kind", "kernel", "--json"]).stdout)
    assert {"kind": "kernel", "plugin": "", "name": "forks", "value": 5, "origin": "default"} in rows


def test_a_bad_value_is_an_options_error():
    result = run(["corral-config", "dump", "--kind", "connection"], env={"ANSIBLE_SSH_RETRIES": "many"})
    assert result.returncode == 5
    assert ("[ERROR]: Invalid value 'many' for option 'reconnection_retries' of connection plugin "
            "'paramiko, ssh' (env: ANSIBLE_SSH_RETRIES): expected int") in result.stderr


def test_corral_doc_documents_a_plugins_declared_options():
    result = run(["corral-doc", "-t", "connection", "ssh"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("> CONNECTION ssh (corral_connection_ssh.plugin)\n")
    retries = result.stdout.split("- reconnection_retries\n")[1].split("\n- ")[0]
    assert "default: 0\n" in retries and "type: int\n" in retries
    assert ("set_via: vars: ansible_paramiko_retries, ansible_ssh_retries; env: ANSIBLE_SSH_RETRIES, "
            "CORRAL_SSH_RETRIES; ini: [connection] retries, [ssh_connection] retries") in retries
    documented = json.loads(run(["corral-doc", "-t", "connection", "local", "-j"]).stdout)
    assert documented["local"]["options"]["timeout"]["default"] == 10


def test_every_kernel_setting_is_described():
    from corral.config import SETTINGS
    from corral.config_docs import DESCRIPTIONS
    assert sorted(DESCRIPTIONS) == sorted(SETTINGS)
    assert all(text.strip() for text in DESCRIPTIONS.values())


def test_init_writes_a_file_that_gives_the_defaults(tmp_path: Path):
    """``init`` prints a corral.cfg whose every entry is described and at its default:
    read back, it changes no value; ``--disabled`` comments every entry out."""
    made = run(["corral-config", "init"])
    assert made.returncode == 0, made.stderr
    assert "[defaults]\n# (int) How many hosts run a task at once" in made.stdout
    assert "\nforks=5\n" in made.stdout and "\n[privilege_escalation]\n" in made.stdout
    cfg = tmp_path / "corral.cfg"
    cfg.write_text(made.stdout)
    rows = json.loads(run(["corral-config", "dump", "--json", "-c", str(cfg)], env={}).stdout)
    by_name = {(row["kind"], row["plugin"], row["name"]): row for row in rows}
    assert by_name[("kernel", "", "forks")] == {"kind": "kernel", "plugin": "", "name": "forks", "value": 5,
                                               "origin": str(cfg)}
    defaults = json.loads(run(["corral-config", "dump", "--json"], env={}).stdout)

    def expanded(value):  # a path read from a file has its ~ expanded; the default keeps it
        if isinstance(value, list):
            return [expanded(item) for item in value]
        return os.path.expanduser(value) if isinstance(value, str) else value
    assert [expanded(row["value"]) for row in rows] == [expanded(row["value"]) for row in defaults]
    disabled = run(["corral-config", "init", "--disabled"]).stdout
    assert "\n;forks=5\n" in disabled
    cfg.write_text(disabled)
    changed = run(["corral-config", "dump", "--only-changed", "-c", str(cfg)], env={})
    assert changed.returncode == 0 and changed.stdout == ""
    env = run(["corral-config", "init", "--format", "env", "--kind", "callback"]).stdout
    assert "# (bool) Show skipped tasks' hosts.\nANSIBLE_DISPLAY_SKIPPED_HOSTS=True\n" in env
    assert env.count("ANSIBLE_DISPLAY_SKIPPED_HOSTS=") == 1


def test_view_prints_the_files_in_use(tmp_path: Path):
    cfg = tmp_path / "corral.cfg"
    cfg.write_text("[defaults]\nforks = 3\n")
    shown = run(["corral-config", "view"], env={"CORRAL_CONFIG": str(cfg)}, cwd=str(tmp_path))
    assert shown.returncode == 0 and shown.stdout == "[defaults]\nforks = 3\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    none = run(["corral-config", "view"], env={"HOME": str(empty)}, cwd=str(empty))
    assert none.returncode == 1 and "No config file found" in none.stdout


ORACLE_CONFIG = Path(__file__).resolve().parents[2] / ".oracle" / "bin" / "ansible-config"


def test_type_narrows_list_dump_and_init_to_one_kind():
    """``-t``/``--type``: ``base`` (or ``kernel``) is the kernel's settings alone, a
    plugin kind that kind's plugins alone, ``all`` everything."""
    for command in ("list", "dump"):
        rows = json.loads(run(["corral-config", command, "--type", "callback", "--format", "json"]).stdout)
        assert rows and {row["kind"] for row in rows} == {"callback"}
        base = json.loads(run(["corral-config", command, "-t", "base", "--json"]).stdout)
        assert {row["kind"] for row in base} == {"kernel"}
        every = json.loads(run(["corral-config", command, "-t", "all", "--json"]).stdout)
        assert {"kernel", "callback", "connection"} <= {row["kind"] for row in every}
    init = run(["corral-config", "init", "--type", "kernel"]).stdout
    assert "\nforks=5\n" in init and "display_skipped_hosts" not in init
    assert "forks=" not in run(["corral-config", "init", "-t", "callback"]).stdout


def test_list_and_dump_print_yaml_or_json(tmp_path: Path):
    import yaml
    listed = run(["corral-config", "list", "-t", "base", "--format", "yaml"])
    assert listed.returncode == 0, listed.stderr
    assert yaml.safe_load(listed.stdout) == json.loads(run(["corral-config", "list", "-t", "base", "-f",
                                                            "json"]).stdout)
    cfg = tmp_path / "corral.cfg"
    cfg.write_text("[defaults]\nforks = 7\n")
    dumped = run(["corral-config", "dump", "-t", "base", "--only-changed", "-f", "yaml", "-c", str(cfg)])
    assert yaml.safe_load(dumped.stdout) == [{"kind": "kernel", "plugin": "", "name": "forks", "value": 7,
                                              "origin": str(cfg)}]


def test_view_reads_the_config_option_and_accepts_a_type(tmp_path: Path):
    """``view -c FILE`` shows that file rather than the one found; ``-t`` changes
    nothing (as ansible-config, it shows the whole file)."""
    found = tmp_path / "ansible.cfg"
    found.write_text("[defaults]\nforks = 3\n")
    chosen = tmp_path / "chosen.cfg"
    chosen.write_text("[defaults]\nforks = 9\n")
    shown = run(["corral-config", "view", "--config", str(chosen)], cwd=str(tmp_path))
    assert shown.returncode == 0 and shown.stdout == "[defaults]\nforks = 9\n", shown.stderr
    typed = run(["corral-config", "view", "--type", "connection"], cwd=str(tmp_path))
    theirs = run([str(ORACLE_CONFIG), "view", "--type", "connection"], cwd=str(tmp_path))
    assert typed.returncode == theirs.returncode == 0
    assert typed.stdout == theirs.stdout == "[defaults]\nforks = 3\n"


@pytest.mark.parametrize("command", ["list", "dump", "view", "init", "validate"])
def test_verbose_names_the_config_file_as_ansible_config_does(tmp_path: Path, command: str):
    """``-v`` after the subcommand prints the config file line first; ``-vv`` the
    version text before it; ``-v`` before the subcommand changes nothing (all as
    ansible-config 2.21)."""
    (tmp_path / "ansible.cfg").write_text("[defaults]\nforks = 3\n")
    line = f"Using {tmp_path / 'ansible.cfg'} as config file"
    for argv, first in (([command, "-v"], line), (["--verbose", command], None)):
        ours = run(["corral-config", *argv, "-t", "base"], cwd=str(tmp_path))
        theirs = run([str(ORACLE_CONFIG), *argv, "-t", "base"], cwd=str(tmp_path))
        assert ours.returncode == theirs.returncode == 0, ours.stderr
        assert (ours.stdout.splitlines()[0] == line) == (theirs.stdout.splitlines()[0] == line) == bool(first)
    loud = run(["corral-config", command, "-vv", "-t", "base"], cwd=str(tmp_path)).stdout.splitlines()
    assert loud[0].startswith("corral-config [corral ") and loud[1] == "  config file = " + str(
        tmp_path / "ansible.cfg")
    assert line in loud


def test_validate_reports_what_no_setting_reads(tmp_path: Path):
    """``validate`` checks the config file in use (``-c``: that one) against the declared
    settings of the chosen ``--type``, or with ``-f env`` the ANSIBLE_/CORRAL_ variables,
    with ansible-config 2.21's messages and exit codes."""
    cfg = tmp_path / "ansible.cfg"
    cfg.write_text("[defaults]\nforks = 3\nbogus_key = 1\n[nosuch]\nfoo = 1\n"
                   "[ssh_connection]\npipelining = True\nnotanopt = 2\n")
    ours = run(["corral-config", "validate"], cwd=str(tmp_path))
    theirs = run([str(ORACLE_CONFIG), "validate"], cwd=str(tmp_path))
    assert ours.returncode == theirs.returncode == 1
    for message in (f"[ERROR]: Found unknown key 'bogus_key' in section 'defaults' in '{cfg}.",
                    f"[ERROR]: Found unknown section 'nosuch' in '{cfg}."):
        assert message in ours.stderr and message in theirs.stderr
    assert "'notanopt' in section 'ssh_connection'" in ours.stderr
    narrowed = run(["corral-config", "validate", "--type", "connection"], cwd=str(tmp_path))
    assert narrowed.returncode == 1
    assert f"[ERROR]: Found unknown key 'forks' in section 'defaults' in '{cfg}." in narrowed.stderr
    made = tmp_path / "made.cfg"
    made.write_text(run(["corral-config", "init"]).stdout)
    clean = run(["corral-config", "validate", "--config", str(made)], cwd=str(tmp_path))
    assert clean.returncode == 0 and clean.stdout == "All configurations seem valid!\n", clean.stderr
    env = {"ANSIBLE_FORKS": "2", "CORRAL_TIMEOUT": "3", "ANSIBLE_BOGUS": "1"}
    ours = run(["corral-config", "validate", "--format", "env"], cwd=str(tmp_path), env=env)
    theirs = run([str(ORACLE_CONFIG), "validate", "-f", "env"], cwd=str(tmp_path), env=env)
    assert ours.returncode == theirs.returncode == 1
    assert ours.stderr == theirs.stderr == "[ERROR]: Found unknown environment variable 'ANSIBLE_BOGUS'.\n"
    fine = run(["corral-config", "validate", "-f", "env"], cwd=str(tmp_path), env={"ANSIBLE_FORKS": "2"})
    assert fine.returncode == 0 and fine.stdout == "All configurations seem valid!\n"
