"""Invalid group names (``TRANSFORM_INVALID_GROUP_CHARS``) and integer host names,
through the command lines: the warnings and ``-vvvv`` details were recorded from
ansible-core 2.21 (``ansible-playbook``/``ansible-inventory`` on the same files)."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from cases import CORRAL, FIXTURES

PLAYBOOK = os.path.join(os.path.dirname(CORRAL), "corral-playbook")
HERE = os.path.join(FIXTURES, "group_names")

_KEPT = "[WARNING]: Invalid characters were found in group names but not replaced, use -vvvv to see details"
_REPLACED = ("[WARNING]: Invalid characters were found in group names and automatically replaced, "
             "use -vvvv to see details")

#: (mode, verbosity) -> the lines about group names, in order (recorded from ansible-playbook 2.21.5)
RECORDED: dict[tuple[str, int], list[str]] = {
    ("never", 0): [_KEPT],
    ("never", 1): [_KEPT],
    ("never", 4): ["Not replacing invalid character(s) \"{'-'}\" in group name (local-)", _KEPT,
                   "Not replacing invalid character(s) \"{'-'}\" in group name (local-)"],
    ("always", 0): [_REPLACED],
    ("always", 1): [_REPLACED],
    ("always", 4): ["Replacing invalid character(s) \"{'-'}\" in group name (local-)", _REPLACED],
    ("ignore", 0): [],
    ("ignore", 4): [],
    ("silently", 0): [],
    ("silently", 4): [],
}


def _env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1", **settings)
    return env


def _run(*argv: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), cwd=HERE, env=_env(**settings), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("mode", "verbosity"), sorted(RECORDED))
def test_warning_and_details_as_ansible(mode: str, verbosity: int) -> None:
    flags = [f"-{'v' * verbosity}"] if verbosity else []
    limit = "local_" if mode in ("always", "silently") else "local-"
    proc = _run(PLAYBOOK, *flags, "-i", "hosts.ini", "play.yml", "-l", limit,
                ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS=mode)
    assert proc.returncode == 0, proc.stdout
    lines = [line for line in proc.stdout.splitlines() if "eplacing invalid" in line or "Invalid characters" in line]
    assert lines == RECORDED[(mode, verbosity)]
    assert "ok: [testhost]" not in proc.stdout  # the play has no tasks: the limit matched, nothing failed
    assert "skipping: no hosts matched" not in proc.stdout


def test_replaced_names_in_the_inventory() -> None:
    proc = _run(CORRAL, "-i", "hosts.ini", "--list", ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS="always")
    data = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert data["all"]["children"] == ["ungrouped", "local_", "ok_group"]
    assert data["local_"] == {"hosts": ["testhost"]}


def test_the_config_file_key_and_a_bad_value(tmp_path) -> None:
    (tmp_path / "ansible.cfg").write_text("[defaults]\nforce_valid_group_names = silently\n")
    proc = subprocess.run([CORRAL, "-i", os.path.join(HERE, "hosts.ini"), "--graph"], cwd=tmp_path, env=_env(),
                          capture_output=True, text=True, timeout=60, check=False)
    assert "@local_:" in proc.stdout and "Invalid characters" not in proc.stderr
    bad = _run(CORRAL, "-i", "hosts.ini", "--list", ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS="sometimes")
    assert bad.returncode == 5
    assert ("Invalid value 'sometimes' for config 'TRANSFORM_INVALID_GROUP_CHARS'. "
            "Valid values are: always, never, ignore, silently") in bad.stdout


def test_integer_host_name_is_refused_as_ansible_does() -> None:
    proc = subprocess.run([CORRAL, "-i", "int_host.yml", "--list"], cwd=HERE, env=_env(), capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0
    assert "Host pattern 1234 must be a string. Enclose integers/floats in quotation marks." in proc.stderr
    data = json.loads(proc.stdout)
    assert data == {"_meta": {"hostvars": {}, "profile": "inventory_legacy"},
                    "all": {"children": ["ungrouped"]}}
