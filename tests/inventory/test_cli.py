"""The corral-inventory command line, run as a program."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from cases import CORRAL, FIXTURES


def cli(*args: str, cwd: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    full_env.update(env or {})
    return subprocess.run([CORRAL, *args], cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_list_shape(tmp_path):
    proc = cli("-i", os.path.join(FIXTURES, "ini", "hosts.ini"), "--list", cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["all"]["children"] == ["ungrouped", "prod"]
    assert data["prod"]["children"] == ["web", "db", "staging"]
    assert "hosts" not in data["all"]
    assert data["_meta"]["hostvars"]["db1"]["ansible_user"] == "admin"


def test_graph_of_a_group(tmp_path):
    proc = cli("-i", os.path.join(FIXTURES, "yaml", "inventory.yml"), "--graph", "db", cwd=str(tmp_path))
    assert proc.stdout.splitlines() == [
        "@db:", "  |--@dbreplica:", "  |  |--db-a", "  |  |--db-b", "  |--db1"]


def test_graph_unknown_group(tmp_path):
    proc = cli("-i", "a,b", "--graph", "nosuch", cwd=str(tmp_path))
    assert proc.returncode == 5
    assert "Pattern must be valid group name when using --graph" in proc.stderr


def test_host_and_yaml(tmp_path):
    proc = cli("-i", os.path.join(FIXTURES, "dir"), "--host", "w2", "--yaml", cwd=str(tmp_path))
    data = yaml.safe_load(proc.stdout)
    assert data["own"] == "host_file" and data["overridden"] == "from_host_file"
    bad = cli("-i", os.path.join(FIXTURES, "dir"), "--host", "nosuch", cwd=str(tmp_path))
    assert bad.returncode == 5 and "single valid host" in bad.stderr


def test_yaml_list(tmp_path):
    proc = cli("-i", os.path.join(FIXTURES, "yaml", "inventory.yml"), "--list", "-y", cwd=str(tmp_path))
    data = yaml.safe_load(proc.stdout)
    assert data["all"]["children"]["web"]["hosts"]["web-extra"] == {"ansible_port": 2222, "ntp": "time.example.com",
                                                                     "nested": {"a": 1, "b": ["x", "y"]},
                                                                     "tier": "frontend"}


def test_several_inventories_and_limit(tmp_path):
    proc = cli("-i", os.path.join(FIXTURES, "multi", "a.ini"), "-i", os.path.join(FIXTURES, "multi", "b.yml"),
               "--list", "--limit", "m2:m4", cwd=str(tmp_path))
    data = json.loads(proc.stdout)
    assert sorted(data["_meta"]["hostvars"]) == ["m2"]   # m4 has no variables
    assert data["web"]["hosts"] == ["m2"]
    assert data["other"]["hosts"] == ["m4"]


def test_inventory_from_environment(tmp_path):
    proc = cli("--list", cwd=str(tmp_path), env={"CORRAL_INVENTORY": os.path.join(FIXTURES, "json", "inventory.json")})
    assert json.loads(proc.stdout)["app"]["hosts"] == ["app1", "app2"]
    proc = cli("--list", cwd=str(tmp_path), env={"ANSIBLE_INVENTORY": os.path.join(FIXTURES, "ini", "hosts.ini")})
    assert json.loads(proc.stdout)["ungrouped"]["hosts"] == ["lonely", "gateway"]


def test_warnings_on_stderr(tmp_path):
    bad = tmp_path / "bad.ini"
    bad.write_text("[a:b:c]\n")
    proc = cli("-i", str(bad), "--list", cwd=str(tmp_path))
    assert proc.returncode == 0
    assert f"[WARNING]: Unable to parse {bad} as an inventory source" in proc.stderr


def test_output_file(tmp_path):
    out = tmp_path / "out.json"
    proc = cli("-i", "a,", "--list", "--output", str(out), cwd=str(tmp_path))
    assert proc.stdout == "" and json.loads(out.read_text())["ungrouped"]["hosts"] == ["a"]


def test_check_script_good_and_bad(tmp_path):
    good = cli("--check-script", os.path.join(FIXTURES, "script_meta", "inventory.py"), cwd=str(tmp_path))
    assert good.returncode == 0 and "OK" in good.stdout
    assert "Notes:" in good.stdout and "plain list of hosts" in good.stdout
    bad = tmp_path / "inv.py"
    bad.write_text(f"#!{sys.executable}\nprint('[1]')\n")
    bad.chmod(0o755)
    proc = cli("--check-script", str(bad), cwd=str(tmp_path))
    assert proc.returncode == 1
    assert "1 problem found" in proc.stdout and "JSON object" in proc.stdout


@pytest.mark.parametrize("args, message", [
    ([], "No action selected"),
    (["--list", "--host", "a"], "Conflicting options used"),
])
def test_usage_errors(tmp_path, args, message):
    proc = cli("-i", "a,", *args, cwd=str(tmp_path))
    assert proc.returncode == 5 and message in proc.stderr


def test_bad_flag_is_an_argparse_error(tmp_path):
    assert cli("--nosuch", cwd=str(tmp_path)).returncode == 2


@pytest.fixture(scope="module")
def pets_site(tmp_path_factory):
    """A third-party inventory plugin with a checker, pip-installed into a directory
    the CLI runs get on PYTHONPATH."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), os.path.join(FIXTURES, "corral-inventory-pets")],
                   check=True, capture_output=True)
    return str(target)


def test_check_script_uses_the_checker_of_the_plugin_that_claims_the_source(tmp_path, pets_site):
    env = {"PYTHONPATH": pets_site}
    good = tmp_path / "farm.pets"
    good.write_text("rex dogs\ntom cats\n")
    proc = cli("--check-script", str(good), cwd=str(tmp_path), env=env)
    assert (proc.returncode, proc.stdout) == (0, f"{good}: OK, every line names a host and its group.\n")
    bad = tmp_path / "zoo.pets"
    bad.write_text("rex dogs\nlonely\n")
    proc = cli("--check-script", str(bad), cwd=str(tmp_path), env=env)
    assert proc.returncode == 1
    assert proc.stdout == f"{bad}: 1 problem found:\n  - line 2: expected 'HOST GROUP', got 'lonely'\n"
    # every other source is still the script plugin's, asked last
    script = os.path.join(FIXTURES, "script_meta", "inventory.py")
    proc = cli("--check-script", script, cwd=str(tmp_path), env=env)
    assert proc.returncode == 0 and "OK, the script follows the dynamic inventory protocol." in proc.stdout


def test_check_script_without_a_checker_says_so(tmp_path):
    proc = cli("--check-script", str(tmp_path / "x"), cwd=str(tmp_path), env={"CORRAL_LOAD_PLUGINS": "ini"})
    assert proc.returncode == 1
    assert "No installed inventory plugin checks the source" in proc.stderr
