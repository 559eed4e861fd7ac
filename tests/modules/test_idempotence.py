"""Idempotence: each play of ``tests/modules/idempotence/<module>.yml`` (one per module of
ansible.builtin that changes a host and can run here) is run twice in one
``corral-playbook`` run (the play imported twice); the first pass changes something and
the second reports ``changed=0`` for every task, as ansible-core does.

The plays run on localhost through the local connection inside throwaway namespaces
(``unshare --mount --uts --net``, as root, as CI runs), so the system modules change
copies bind-mounted over the real files (``/etc/apt``, ``/var/lib/dpkg``,
``/var/cache/debconf``, ``/etc/init.d`` and ``/etc/rc?.d``, ``/etc/hostname``), the
namespace's host name and firewall, never the machine.  ``scratch`` is the test's
temporary directory.  The modules of apt, user/group, git/subversion/pip/cron and
copy/get_url/uri/unarchive have their own idempotence tests beside their other tests.
"""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "idempotence"
CORRAL_PLAYBOOK = Path(sys.executable).with_name("corral-playbook")

INIT_SCRIPT = """#!/bin/sh
### BEGIN INIT INFO
# Provides:          corral-idempotence
# Required-Start:
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: a service for the idempotence test
### END INIT INFO
case "$1" in
  start) touch {state} ;;
  stop) rm -f {state} ;;
  status) [ -f {state} ] && exit 0 || exit 3 ;;
esac
exit 0
"""


def _bind_copy(path: str, scratch: Path) -> str:
    """Shell lines that put a copy of ``path`` (a directory or file) over it."""
    copy = scratch / ("copy" + path.replace("/", "_"))
    return f"cp -a {path} {copy} && mount --bind {copy} {path}"


def _setup(module: str, scratch: Path) -> str:
    """The shell commands that prepare the namespaces for ``module``'s play."""
    if module in ("apt_repository", "deb822_repository"):
        return _bind_copy("/etc/apt", scratch)
    if module == "dpkg_selections":
        return _bind_copy("/var/lib/dpkg", scratch)
    if module == "debconf":
        return _bind_copy("/var/cache/debconf", scratch)
    if module == "hostname":
        (scratch / "etc_hostname").write_text("oldname\n")
        return f"mount --bind {scratch / 'etc_hostname'} /etc/hostname && hostname oldname"
    if module == "sysvinit":
        script = scratch / "corral-idempotence"
        script.write_text(INIT_SCRIPT.format(state=scratch / "running"))
        script.chmod(0o755)
        dirs = ["/etc/init.d"] + [f"/etc/rc{level}.d" for level in "0123456S"]
        lines = [f"mkdir -p {d}" for d in dirs] + [_bind_copy(d, scratch) for d in dirs]
        return " && ".join(lines + [f"cp {script} /etc/init.d/corral-idempotence"])
    return "true"


def _passes(module: str, tmp_path: Path) -> tuple[list[dict], list[dict], str]:
    """Run ``module``'s play twice in one corral-playbook run; the localhost results of
    the tasks of each pass (as the json callback gives them) and the run's stderr."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    play = HERE / f"{module}.yml"
    pair = tmp_path / "pair.yml"
    pair.write_text(f"- import_playbook: {play}\n- import_playbook: {play}\n")
    out = tmp_path / "out.json"
    command = (f"{_setup(module, scratch)} && {shlex.quote(str(CORRAL_PLAYBOOK))} -i localhost, -c local "
               f"-e scratch={shlex.quote(str(scratch))} {shlex.quote(str(pair))} > {shlex.quote(str(out))}")
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(["unshare", "--mount", "--uts", "--net", "sh", "-c", command], capture_output=True,
                          text=True, timeout=300, env=env, cwd=str(tmp_path))
    try:
        plays = json.loads(out.read_text())["plays"]
    except ValueError:
        raise AssertionError(f"no JSON from corral-playbook (rc={proc.returncode}):\n{out.read_text()}\n"
                             f"{proc.stderr}") from None
    assert proc.returncode == 0, json.dumps(plays, indent=1)[-4000:] + proc.stderr
    half = len(plays) // 2
    tasks = [[(task["task"]["name"], task["hosts"]["localhost"]) for play in part for task in play["tasks"]]
             for part in (plays[:half], plays[half:])]
    return [dict(result, task=name) for name, result in tasks[0]], \
        [dict(result, task=name) for name, result in tasks[1]], proc.stderr


MODULES = sorted(path.stem for path in HERE.glob("*.yml"))


@pytest.mark.skipif(os.geteuid() != 0, reason="namespaces need root (CI runs as root)")
@pytest.mark.parametrize("module", MODULES)
def test_second_run_changes_nothing(module, tmp_path):
    first, second, stderr = _passes(module, tmp_path)
    assert any(result.get("changed") for result in first), first
    changed_again = [(result["task"], result) for result in second if result.get("changed")]
    assert changed_again == [], stderr
    assert not any(result.get("failed") for result in first + second)
