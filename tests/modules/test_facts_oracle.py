"""``setup`` gives the facts ansible-core's gives on this host: both engines run
the module ad hoc on localhost (local connection, the same Python), and the facts
are compared key by key, recursively, nested shapes included.  Values that must
differ between two runs (clocks, load, free memory and disk, the callers'
environments) are listed in VOLATILE and compared by type only; orders that
ansible-core itself does not keep (``ansible_interfaces`` comes from a set) are
compared as sets.  Every ``gather_subset`` form and ``filter`` gives the same keys.

Needs the oracle (``scripts/oracle-venv``; CI installs it)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ORACLE = Path(__file__).resolve().parents[2] / ".oracle" / "bin" / "ansible"
CORRAL = Path(sys.executable).with_name("corral")
#: fact paths ("a.b" nested, "a[].b" in every list item) whose values change between two runs
VOLATILE = {
    "ansible_date_time", "ansible_env", "ansible_loadavg", "ansible_uptime_seconds", "ansible_memfree_mb",
    "ansible_memory_mb.real.free", "ansible_memory_mb.real.used", "ansible_memory_mb.nocache.free",
    "ansible_memory_mb.nocache.used", "ansible_memory_mb.swap.free", "ansible_memory_mb.swap.used",
    "ansible_memory_mb.swap.cached", "ansible_swapfree_mb",
    "ansible_mounts[].block_available", "ansible_mounts[].block_used", "ansible_mounts[].size_available",
    "ansible_mounts[].inode_available", "ansible_mounts[].inode_used",
}
#: lists whose order ansible-core does not keep (made from sets)
UNORDERED = {"ansible_interfaces", "ansible_virtualization_tech_guest", "ansible_virtualization_tech_host"}


def setup(program: Path, args: str) -> dict[str, Any]:
    """The result of ``setup`` with ``args`` run by ``program`` (ansible or corral)."""
    if not program.exists():
        raise AssertionError(f"{program} is not installed: run scripts/oracle-venv")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0")
    proc = subprocess.run([str(program), "-i", "localhost,", "-c", "local", "localhost", "-m", "setup", "-a", args,
                           "-e", f"ansible_python_interpreter={sys.executable}"],
                          capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
    head, sep, body = proc.stdout.partition("=>")
    if not sep:
        return {"failed": True, "output": (proc.stdout + proc.stderr).strip()}
    return json.loads(body)


def differences(ours: Any, theirs: Any, path: str) -> list[str]:
    """Where ``ours`` differs from ``theirs`` (paths as in VOLATILE)."""
    if path in VOLATILE:
        return [] if type(ours) is type(theirs) else [f"{path}: {type(ours).__name__} != {type(theirs).__name__}"]
    if isinstance(theirs, dict) and isinstance(ours, dict):
        found = [f"{path}.{key}: missing" for key in sorted(set(theirs) - set(ours))]
        found += [f"{path}.{key}: not in ansible-core's" for key in sorted(set(ours) - set(theirs))]
        for key in sorted(set(ours) & set(theirs)):
            found += differences(ours[key], theirs[key], f"{path}.{key}" if path else key)
        return found
    if isinstance(theirs, list) and isinstance(ours, list):
        if path in UNORDERED:
            return [] if sorted(ours) == sorted(theirs) else [f"{path}: {ours} != {theirs}"]
        if len(ours) != len(theirs):
            return [f"{path}: {len(ours)} items != {len(theirs)}: {ours} != {theirs}"]
        return [line for a, b in zip(ours, theirs) for line in differences(a, b, f"{path}[]")]
    return [] if ours == theirs and type(ours) is type(theirs) else [f"{path}: {ours!r} != {theirs!r}"]


def test_all_facts_equal_ansible_cores() -> None:
    theirs = setup(ORACLE, "")["ansible_facts"]
    ours = setup(CORRAL, "")["ansible_facts"]
    assert len(theirs) > 100
    assert differences(ours, theirs, "") == []


@pytest.mark.parametrize("args", [
    "gather_subset=min", "gather_subset=!all", "gather_subset=!all,!min", "gather_subset=network",
    "gather_subset=hardware", "gather_subset=!hardware", "gather_subset=platform,!min",
    "gather_subset=distribution,!all", "gather_subset=virtual,!min", "gather_subset=!min,facter",
    "gather_subset=ohai", "gather_subset=processor,!all", "gather_subset=!bogus",
    "filter=ansible_distribution*", "filter=distribution*", "filter=ansible_eth*,ansible_lo",
    "filter=*ipv4*", "filter=nothing_matches", "filter=gather_subset,module_setup",
    "gather_subset=!all filter=ansible_python",
])
def test_subsets_and_filters_give_ansible_cores_keys(args: str) -> None:
    theirs, ours = setup(ORACLE, args), setup(CORRAL, args)
    assert sorted(ours["ansible_facts"]) == sorted(theirs["ansible_facts"])


def test_unknown_subset_fails_with_ansible_cores_message() -> None:
    theirs, ours = setup(ORACLE, "gather_subset=bogus"), setup(CORRAL, "gather_subset=bogus")
    assert "ansible_facts" not in theirs and "ansible_facts" not in ours
    assert theirs["msg"].startswith("Bad subset 'bogus' given to Ansible. gather_subset options allowed: all, ")
    assert ours["msg"] == theirs["msg"]
