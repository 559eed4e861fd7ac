"""corral-playbook and corral: Ansible's flags, output, errors and exit codes."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .conftest import run

SIMPLE = """
- name: simple
  hosts: all
  gather_facts: false
  tasks:
    - name: show x
      debug: msg="x={{ x | default('unset') }}"
      tags: [show]
    - name: other
      debug: msg=other
      tags: [other]
"""


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_playbook_output_and_recap(local_inventory: Path, write) -> None:
    result = run(["corral-playbook", "-i", str(local_inventory), str(write("p.yml", SIMPLE))])
    assert result.returncode == 0, result.stderr
    lines = _lines(result.stdout)
    assert lines[0].startswith("PLAY [simple] ***")
    assert lines[1].startswith("TASK [show x] ***")
    assert lines[2:5] == ["ok: [localhost] => {", '    "msg": "x=unset"', "}"]
    assert lines[-2].startswith("PLAY RECAP ***")
    assert lines[-1].split() == ["localhost", ":", "ok=2", "changed=0", "unreachable=0", "failed=0",
                                 "skipped=0", "rescued=0", "ignored=0"]
    assert all(len(line) == 80 for line in lines if line.endswith("**")), "banners are 80 columns as Ansible's"


def test_extra_vars_in_every_form(local_inventory: Path, write, tmp_path: Path) -> None:
    playbook = str(write("p.yml", SIMPLE))
    write("vars.yml", "x: from-file\n")
    for extra, expected in (("x=kv", "x=kv"), ('{"x": "json"}', "x=json"), ("@" + str(tmp_path / "vars.yml"),
                                                                             "x=from-file")):
        result = run(["corral-playbook", "-i", str(local_inventory), playbook, "-e", extra, "--tags", "show"])
        assert f'"msg": "{expected}"' in result.stdout, (extra, result.stdout, result.stderr)
        assert "TASK [other]" not in result.stdout


def test_skip_tags_and_limit(local_inventory: Path, write) -> None:
    playbook = str(write("p.yml", SIMPLE))
    result = run(["corral-playbook", "-i", str(local_inventory), playbook, "--skip-tags", "show"])
    assert "TASK [show x]" not in result.stdout and "TASK [other]" in result.stdout
    result = run(["corral-playbook", "-i", str(local_inventory), playbook, "-l", "nomatch"])
    assert result.returncode == 1
    assert "no hosts to target" in result.stderr


def test_listing_modes(local_inventory: Path, write) -> None:
    playbook = str(write("p.yml", SIMPLE))
    result = run(["corral-playbook", "-i", str(local_inventory), playbook, "--list-hosts", "--list-tasks"])
    assert result.returncode == 0
    assert "play #1 (all): simple\tTAGS: []" in result.stdout
    assert "    hosts (1):\n      localhost" in result.stdout
    assert "      show x\tTAGS: [show]" in result.stdout
    result = run(["corral-playbook", "-i", str(local_inventory), playbook, "--syntax-check"])
    assert result.returncode == 0 and f"playbook: {playbook}" in result.stdout
    result = run(["corral-playbook", "-i", str(local_inventory), playbook, "--list-tags"])
    assert "TASK TAGS: [other, show]" in result.stdout


def test_a_yaml_error_names_the_file_and_line(local_inventory: Path, write) -> None:
    playbook = write("bad.yml", "- hosts: all\n  tasks:\n    - debug: [msg=hi\n")
    result = run(["corral-playbook", "-i", str(local_inventory), str(playbook)])
    assert result.returncode == 4
    assert "[ERROR]: YAML parsing failed" in result.stderr
    assert f"Origin: {playbook}:4:1" in result.stderr


def test_an_unknown_keyword_and_a_second_module_are_errors_with_position(local_inventory: Path, write) -> None:
    playbook = write("bad.yml", "- hosts: all\n  tasks:\n    - debug: msg=hi\n      bogus: 1\n")
    result = run(["corral-playbook", "-i", str(local_inventory), str(playbook)])
    assert result.returncode == 4
    assert "conflicting action statements: debug, bogus" in result.stderr
    assert f"Origin: {playbook}:3:7" in result.stderr
    assert "3     - debug: msg=hi\n        ^ column 7" in result.stderr


def test_an_unknown_module_names_the_task_and_the_installed_modules(local_inventory: Path, write) -> None:
    playbook = write("bad.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: typo\n"
                                "      comand: echo hi\n")
    result = run(["corral-playbook", "-i", str(local_inventory), str(playbook)])
    assert result.returncode == 4
    assert "couldn't resolve module/action 'comand'" in result.stderr
    assert f"Origin: {playbook}:4:7" in result.stderr
    installed = result.stderr.split("Installed modules and actions: ")[1].split("\n")[0]
    assert {"command", "shell", "debug", "set_fact", "ping"} <= set(installed.split(", "))


def test_a_missing_playbook(local_inventory: Path) -> None:
    result = run(["corral-playbook", "-i", str(local_inventory), "/nonexistent/site.yml"])
    assert result.returncode == 1     # an AnsibleError in ansible-core 2.21, not an options error (5)
    assert "the playbook: /nonexistent/site.yml could not be found" in result.stderr


def test_failed_and_unreachable_exit_codes(tmp_path: Path, write) -> None:
    inventory = write("inv", f"ok ansible_connection=local ansible_python_interpreter={sys.executable}\n"
                             "down ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\n")
    failing = write("fail.yml", "- hosts: ok\n  gather_facts: false\n  tasks:\n    - fail: msg=no\n")
    assert run(["corral-playbook", "-i", str(inventory), str(failing)]).returncode == 2
    ping = write("ping.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n")
    result = run(["corral-playbook", "-i", str(inventory), str(ping)])
    assert result.returncode == 4
    assert "fatal: [down]: UNREACHABLE!" in result.stdout
    assert "ok: [ok]" in result.stdout


def test_config_files_and_environment_precedence(local_inventory: Path, write, tmp_path: Path) -> None:
    playbook = str(write("p.yml", SIMPLE))
    write("ansible.cfg", "[defaults]\nstdout_callback = minimal\n")
    result = run(["corral-playbook", "-i", str(local_inventory), playbook], cwd=tmp_path)
    assert "localhost | SUCCESS => {" in result.stdout, "ansible.cfg is read"
    write("corral.cfg", "[defaults]\nstdout_callback = json\n")
    result = run(["corral-playbook", "-i", str(local_inventory), playbook], cwd=tmp_path)
    assert json.loads(result.stdout)["stats"]["localhost"]["ok"] == 2, "corral.cfg wins over ansible.cfg"
    result = run(["corral-playbook", "-i", str(local_inventory), playbook], cwd=tmp_path,
                 env={"ANSIBLE_STDOUT_CALLBACK": "default"})
    assert "PLAY RECAP" in result.stdout, "ANSIBLE_* wins over config files"
    result = run(["corral-playbook", "-i", str(local_inventory), playbook], cwd=tmp_path,
                 env={"ANSIBLE_STDOUT_CALLBACK": "default", "CORRAL_STDOUT_CALLBACK": "minimal"})
    assert "localhost | SUCCESS" in result.stdout, "CORRAL_* wins over ANSIBLE_*"
    (tmp_path / "ansible.cfg").unlink()
    write("inventory.ini", f"fromcfg ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    (tmp_path / "corral.cfg").write_text("[defaults]\ninventory = inventory.ini\nforks = 3\n")
    result = run(["corral-playbook", playbook], cwd=tmp_path)
    assert "ok: [fromcfg]" in result.stdout


def test_adhoc_formats_and_exit_codes(local_inventory: Path) -> None:
    result = run(["corral", "all", "-i", str(local_inventory), "-a", "echo hi"])
    assert result.returncode == 0
    assert result.stdout == "localhost | CHANGED | rc=0 >>\nhi\n"
    result = run(["corral", "all", "-i", str(local_inventory), "-m", "ping", "-o"])
    assert result.stdout == 'localhost | SUCCESS => {"changed": false,"ping": "pong"}\n'
    result = run(["corral", "all", "-i", str(local_inventory), "-m", "shell", "-a", "echo err >&2; exit 3"])
    assert result.returncode == 2
    assert "localhost | FAILED | rc=3 >>\nerrThe command exited with a non-zero return code.\n" in result.stdout
    result = run(["corral", "all", "-i", str(local_inventory), "-m", "nosuchmodule"])
    assert result.returncode == 4 and "couldn't resolve module/action 'nosuchmodule'" in result.stderr
    result = run(["corral", "nomatch", "-i", str(local_inventory), "-m", "ping"])
    assert result.returncode == 0 and "No hosts matched" in result.stderr
    result = run(["corral", "all", "-i", str(local_inventory), "--list-hosts"])
    assert result.stdout == "  hosts (1):\n    localhost\n"
