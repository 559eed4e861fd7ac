"""``--slice M/N`` (``corral-playbook``, ``corral``) and ``run_playbook(host_slice=)``:
the M-th of N disjoint slices of the hosts left by ``--limit``, as AWX job slicing
cuts them (hosts sorted by name, every N-th from position M - 1).

The slices run as real, concurrent processes, as a scheduler would start them; each
host's task appends a line to a file named after the host, so a host that ran twice
has two lines and a host that never ran has no file.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from corral.api import run_playbook
from corral.errors import CorralOptionsError
from corral.inventory.slicing import HostSlice

from .conftest import BIN, run

#: inventory order is not name order: the slices follow the names, as AWX's do
HOSTS = {"web": ["web3", "web1", "web4", "web2"], "db": ["db2", "db1"], "ungrouped": ["cache1"]}
ALL = sorted(name for names in HOSTS.values() for name in names)

RECORD = """
- hosts: {pattern}
  gather_facts: false
  tasks:
    - name: record the host
      shell: echo "{{{{ slice_id }}}}" >> "{{{{ out }}}}/{{{{ inventory_hostname }}}}"
"""


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    """An INI inventory of local-connection hosts in groups (see ``HOSTS``)."""
    lines = [f"[all:vars]\nansible_connection=local\nansible_python_interpreter={sys.executable}\n"]
    for group, names in HOSTS.items():
        lines.append(f"[{group}]\n" + "".join(f"{name}\n" for name in names))
    path = tmp_path / "fleet.ini"
    path.write_text("\n".join(lines))
    return path


def _run_slices(count: int, inventory: Path, playbook: Path, out: Path, *extra: str) -> list[tuple[int, str]]:
    """Start the ``count`` slices at once, as N scheduled jobs; their exit codes and stderr."""
    out.mkdir()
    procs = [subprocess.Popen([str(BIN / "corral-playbook"), "-i", str(inventory), str(playbook),
                               "--slice", f"{index}/{count}", "-e", f"out={out}", "-e", f"slice_id={index}",
                               *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for index in range(1, count + 1)]
    results = []
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        results.append((proc.returncode, stderr))
    return results


def _ran(out: Path) -> dict[str, list[str]]:
    """Host name -> the slices that ran it, from the files the play wrote."""
    return {path.name: path.read_text().split() for path in sorted(out.iterdir())}


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_slices_partition_the_inventory(fleet: Path, tmp_path: Path, count: int) -> None:
    playbook = tmp_path / "site.yml"
    playbook.write_text(RECORD.format(pattern="all"))
    results = _run_slices(count, fleet, playbook, tmp_path / "out")
    assert [rc for rc, _ in results] == [0] * count, results
    ran = _ran(tmp_path / "out")
    assert sorted(ran) == ALL, "the union of the slices is the inventory"
    assert all(len(slices) == 1 for slices in ran.values()), f"a host ran twice: {ran}"
    for index in range(1, count + 1):
        assert sorted(h for h, s in ran.items() if s == [str(index)]) == ALL[index - 1::count]


def test_slices_after_limit_and_within_a_play_s_group(fleet: Path, tmp_path: Path) -> None:
    """The limit is applied first and the slices cut what it leaves; a play's
    pattern then picks its hosts within the slice."""
    playbook = tmp_path / "site.yml"
    playbook.write_text(RECORD.format(pattern="web"))
    results = _run_slices(3, fleet, playbook, tmp_path / "out", "--limit", "web:db:!web2")
    assert [rc for rc, _ in results] == [0, 0, 0], results
    ran = _ran(tmp_path / "out")
    limited = sorted(["web1", "web3", "web4", "db1", "db2"])
    assert sorted(ran) == ["web1", "web3", "web4"]
    assert all(len(slices) == 1 for slices in ran.values()), ran
    for host, slices in ran.items():
        assert host in limited[int(slices[0]) - 1::3]


def test_an_empty_slice_fails_like_an_empty_limit(fleet: Path, tmp_path: Path) -> None:
    playbook = tmp_path / "site.yml"
    playbook.write_text(RECORD.format(pattern="all"))
    results = _run_slices(9, fleet, playbook, tmp_path / "out")
    assert [rc for rc, _ in results] == [0] * 7 + [1, 1], results
    assert "no hosts in slice 8/9" in results[7][1]
    assert sorted(_ran(tmp_path / "out")) == ALL


def test_list_hosts_and_adhoc_take_the_slice(fleet: Path, tmp_path: Path) -> None:
    playbook = tmp_path / "site.yml"
    playbook.write_text(RECORD.format(pattern="db"))
    listed = run(["corral-playbook", "-i", str(fleet), str(playbook), "--slice", "1/2", "--list-hosts"])
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split("hosts (1):")[1].split() == [h for h in ALL[0::2] if h.startswith("db")]
    adhoc = run(["corral", "all", "-i", str(fleet), "--slice", "3/3", "-m", "ping", "-o"])
    assert adhoc.returncode == 0, adhoc.stderr
    assert sorted(line.split()[0] for line in adhoc.stdout.splitlines()) == ALL[2::3]
    none = run(["corral", "cache1", "-i", str(fleet), "--slice", "2/3", "-m", "ping"])
    assert none.returncode == 1 and "no hosts in slice 2/3" in none.stderr


@pytest.mark.parametrize("command", [["corral-playbook", "site.yml"], ["corral", "all", "-m", "ping"]])
@pytest.mark.parametrize("value, message", [
    ("0/3", "invalid slice 0/3: the slice number must be between 1 and 3"),
    ("4/3", "invalid slice 4/3: the slice number must be between 1 and 3"),
    ("1/0", "invalid slice 1/0: the number of slices must be 1 or more"),
    ("x", "invalid slice 'x': expected M/N"),
    ("2", "invalid slice '2': expected M/N"),
])
def test_bad_slices_are_usage_errors(fleet: Path, command: list[str], value: str, message: str) -> None:
    result = run([*command, "-i", str(fleet), "--slice", value])
    assert result.returncode == 2, "a bad option value exits 2, as Ansible's do"
    assert f"error: argument --slice: {message}" in result.stderr


def test_add_host_and_delegate_to_in_a_slice(fleet: Path, tmp_path: Path) -> None:
    """Hosts added by ``add_host`` belong to the run that added them; ``delegate_to``
    reaches any inventory host, in the slice or not, like under ``--limit``."""
    playbook = tmp_path / "site.yml"
    playbook.write_text("""
- hosts: all
  gather_facts: false
  tasks:
    - add_host: {name: "added-{{ item }}", ansible_connection: local, groups: added}
      loop: "{{ ansible_play_hosts_all }}"
    - name: delegated to a host outside the slice
      debug: msg="{{ inventory_hostname }} with {{ hostvars['db1'].group_names }}"
      delegate_to: db1
- hosts: added
  gather_facts: false
  tasks:
    - debug: msg="{{ inventory_hostname }} is in {{ groups['added'] | length }} added"
""")
    result = run(["corral-playbook", "-i", str(fleet), str(playbook), "--slice", "1/3"])
    assert result.returncode == 0, result.stdout + result.stderr
    for host in ALL[0::3]:
        assert f"ok: [{host} -> db1]" in result.stdout, result.stdout
    assert f"{ALL[0]} with ['db']" in result.stdout
    added = sorted(line.split("[")[1].split("]")[0] for line in result.stdout.splitlines()
                   if line.startswith("ok: [added-"))
    assert added == [f"added-{host}" for host in ALL[0::3]], "the slice's own hosts, once each"
    assert "is in 3 added" in result.stdout


def test_api_host_slice(fleet: Path, tmp_path: Path) -> None:
    plays = [{"hosts": "all", "gather_facts": False, "tasks": [{"ping": {}}]}]
    seen: list[str] = []
    for value in ("1/2", (2, 2)):
        result = run_playbook(plays, inventory=str(fleet), host_slice=value)
        assert result.rc == 0
        assert result.settings.host_slice == HostSlice.coerce(value)
        seen += sorted(result.hosts)
    assert seen == ALL[0::2] + ALL[1::2]
    limited = run_playbook(plays, inventory=str(fleet), limit="db", host_slice=HostSlice(2, 2))
    assert sorted(limited.hosts) == ["db2"]
    with pytest.raises(CorralOptionsError, match="the slice number must be between 1 and 2"):
        run_playbook(plays, inventory=str(fleet), host_slice="3/2")


@pytest.mark.parametrize("count", [1, 2, 3, 5, 11, 40])
def test_host_slice_select_partitions_any_list(count: int) -> None:
    names = [f"h{i:03d}" for i in range(37)][::-1]
    slices = [HostSlice(index, count).select(names) for index in range(1, count + 1)]
    flat = [name for part in slices for name in part]
    assert sorted(flat) == sorted(names) and len(flat) == len(set(flat))
    sizes = [len(part) for part in slices]
    assert max(sizes) - min(sizes) <= 1


def test_inventory_manager_slice(fleet: Path) -> None:
    """``InventoryManager.slice`` cuts what the limit leaves, keeps inventory order
    for the hosts it keeps, leaves the implicit localhost alone, and ``None`` undoes it."""
    from corral.assembly import assemble
    from corral.config import Config
    from corral.settings import RunSettings
    config = Config()
    run = assemble(RunSettings.from_keywords(config, inventory=str(fleet), limit="web"), config)
    assert [h.name for h in run.inventory.slice(HostSlice(1, 2))] == ["web1", "web3"]
    assert [h.name for h in run.inventory.get_hosts("all")] == ["web3", "web1"]
    assert len(run.inventory.get_hosts("all", ignore_limits=True)) == len(ALL)
    run.inventory.slice(None)
    assert [h.name for h in run.inventory.get_hosts("all")] == HOSTS["web"]
    whole = assemble(RunSettings.from_keywords(config, inventory=str(fleet), host_slice="2/7"), config)
    assert [h.name for h in whole.inventory.get_hosts("all")] == [ALL[1]]
    assert [h.name for h in whole.inventory.get_hosts("localhost")] == ["localhost"]
