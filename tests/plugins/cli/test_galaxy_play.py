"""End to end: content installed by ``corral-galaxy install -r requirements.yml`` (a
collection from a git repository, its dependency from a tarball, a role from a git
tag) runs in a play under ``corral-playbook``: the collection's module, its role by
fully qualified name and through the ``collections`` keyword, and the standalone role;
the oracle ansible-playbook, where installed, gives the same results."""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from .galaxy_helpers import env  # noqa: F401 - the fixture
from .galaxy_helpers import (CORRAL_PLAYBOOK, ORACLE_BIN, galaxy, git_repo, make_collection, make_role, oracle,
                             run)

PLAY = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - name: module from the installed collection
      acme.tools.greet:
        who: corral
      register: out
    - debug:
        var: out.msg
    - include_role:
        name: acme.tools.hello
    - include_role:
        name: site
- hosts: localhost
  gather_facts: false
  collections: [acme.base]
  roles: [hello]
  tasks:
    - greet:
      register: short
    - debug:
        var: short.msg
"""


def _install(tmp_path: Path, env: dict[str, str]) -> dict[str, str]:
    tools = git_repo(make_collection(tmp_path / "src", "acme", "tools", "1.0.0", {"acme.base": ">=1.0.0"}))
    base = make_collection(tmp_path / "src", "acme", "base", "1.2.0")
    built = galaxy("collection", "build", base, "--output-path", tmp_path / "out", cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stderr
    site = git_repo(make_role(tmp_path / "repos", "site", "site role here"), tag="v1")
    (tmp_path / "requirements.yml").write_text(yaml.safe_dump({
        "collections": [{"name": f"git+file://{tools}", "type": "git"},
                        {"name": str(tmp_path / "out" / "acme-base-1.2.0.tar.gz"), "type": "file"}],
        "roles": [{"src": f"git+file://{site}", "version": "v1", "name": "site"}]}))
    configured = {**env, "ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "collections"),
                  "ANSIBLE_ROLES_PATH": str(tmp_path / "roles")}
    proc = galaxy("install", "-r", "requirements.yml", cwd=tmp_path, env=configured)
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "play.yml").write_text(PLAY)
    return configured


def _play(program: Path, tmp_path: Path, env: dict[str, str]):
    return run([program, "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}",
                "play.yml"], tmp_path, env)


def test_installed_collection_and_roles_run_in_a_play(tmp_path, env):
    configured = _install(tmp_path, env)
    proc = _play(CORRAL_PLAYBOOK, tmp_path, configured)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for expected in ('"out.msg": "hello corral from acme.tools 1.0.0"', '"msg": "role hello of acme.tools 1.0.0"',
                     '"msg": "site role here"', '"msg": "role hello of acme.base 1.2.0"',
                     '"short.msg": "hello world from acme.base 1.2.0"'):
        assert expected in proc.stdout
    assert "ok=9    changed=0    unreachable=0    failed=0" in proc.stdout


@oracle
def test_the_oracle_runs_the_same_installed_content_alike(tmp_path, env):
    configured = _install(tmp_path, env)
    ours = _play(CORRAL_PLAYBOOK, tmp_path, configured)
    theirs = _play(ORACLE_BIN / "ansible-playbook", tmp_path, configured)
    assert ours.returncode == theirs.returncode == 0, theirs.stdout + theirs.stderr

    def results(text: str) -> list[str]:
        # task headers aside (how a collection role's name is shown is the resolver's business)
        return [line for line in text.splitlines() if not line.startswith("TASK [")]

    assert results(ours.stdout) == results(theirs.stdout)
