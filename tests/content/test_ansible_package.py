"""End to end on real content: the ``ansible`` package from PyPI (its collections, no
ansible-core), used by playbooks run on localhost with ``corral-playbook``; each
playbook's outcome (return code, each task's status per host and the recap, the key
fields of its registered results, the files it leaves) must equal ansible-core's on
the same playbook.

ansible-core's outcomes are recorded in ``ansible_package/expected.json`` (so the test
needs no oracle); record them again with the oracle (``scripts/oracle-venv``) by
running this file: ``.venv/bin/python tests/content/test_ansible_package.py``.

The package is installed once (``pip install --target``) into ``$XDG_CACHE_HOME/corral/``
or, without ``XDG_CACHE_HOME``, the checkout's ``.cache/``, and reused by later runs;
``CORRAL_ANSIBLE_PACKAGE=DIR`` names a directory that already holds it unpacked.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pypi_packages import ansible_package as unpacked_ansible_package

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "ansible_package"
EXPECTED = HERE / "expected.json"
ORACLE = REPO / ".oracle" / "bin" / "ansible-playbook"
#: the package version the recordings were made with
#: an ed25519 public key (made for this test; no private key exists anywhere)
PUBKEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp9dXyqVz1cVw3sVxqYH1nq3v0X2ZC3g8p1y5y8bq6a corral@test"

#: playbook -> inventory source (``None``: localhost only)
PLAYBOOKS: dict[str, str | None] = {
    "ini_file": None, "timezone": None, "archive": None, "sysctl": None, "mount": None,
    "authorized_key": None, "openssl_privatekey": None, "filter_and_test": None, "lookup": None,
    "collection_role": None, "inventory_plugin": "inventory.yml",
}

#: the fields of a registered result that are compared (others hold timings, paths of
#: temporary files, or details the module's own version decides)
RESULT_FIELDS = ("changed", "failed", "skipped", "msg", "rc", "state", "path", "dest", "size", "type", "curve",
                 "archived", "missing", "expanded_paths", "expanded_exclude_paths", "arcroot", "key", "keyfile",
                 "key_options", "exclusive", "user", "name", "fstype", "src", "opts", "filename", "value",
                 "section", "option", "mode")
#: fields compared as sets (their order follows the file system's)
UNORDERED_FIELDS = ("archived", "missing", "expanded_paths", "expanded_exclude_paths")
#: playbook -> result fields not compared there (an archive's size follows its files' times)
VOLATILE_FIELDS = {"archive": ("size",)}


def machine_values() -> dict[str, str]:
    """Values the playbooks take from this machine (the same for both engines), and
    the placeholders that stand for them in recordings."""
    zone = ""
    if os.path.isfile("/etc/timezone"):
        zone = Path("/etc/timezone").read_text().strip()
    elif os.path.islink("/etc/localtime"):
        zone = os.readlink("/etc/localtime").split("zoneinfo/")[-1]
    swappiness = Path("/proc/sys/vm/swappiness").read_text().strip()
    return {"zone": zone or "UTC", "swappiness": swappiness, "pubkey": PUBKEY}


def normalized(value: Any, exact: dict[str, str], work: str, volatile: tuple[str, ...] = ()) -> Any:
    """``value`` with the test's directory as ``<work>`` and machine values as their
    placeholders; registered results (dicts with ``changed``) keep only RESULT_FIELDS
    (less ``volatile``), UNORDERED_FIELDS sorted."""
    if isinstance(value, dict):
        is_result = "changed" in value or "failed" in value
        kept = {key: normalized(item, exact, work, volatile) for key, item in sorted(value.items())
                if not is_result or (key in RESULT_FIELDS and key not in volatile)}
        for key in UNORDERED_FIELDS if is_result else ():
            if isinstance(kept.get(key), list):
                kept[key] = sorted(kept[key], key=str)
        return kept
    if isinstance(value, list):
        return [normalized(item, exact, work, volatile) for item in value]
    if isinstance(value, str):
        return exact.get(value, value.replace(work, "<work>"))
    return value


def task_lines(stdout: str) -> list[str]:
    """Each task's header and its hosts' status lines (``changed: [localhost] => (item=x)``),
    without the results printed after them."""
    lines = []
    for line in stdout.splitlines():
        if line.startswith("TASK ["):
            lines.append(line.rstrip("* "))
        else:
            status = re.match(r"(ok|changed|failed|fatal|skipping|included): \[[^\]]+\]( => \(item=[^)]*\))?", line)
            if status:
                lines.append(status.group(0))
    return lines


def recap(stdout: str) -> dict[str, dict[str, int]]:
    """The PLAY RECAP as ``{host: {"ok": n, "changed": n, ...}}``."""
    rows = {}
    for found in re.finditer(r"^(\S+)\s+: (.*)$", stdout.split("PLAY RECAP")[-1], re.M):
        rows[found.group(1)] = {key: int(count) for key, count in re.findall(r"(\w+)=(\d+)", found.group(2))}
    return rows


def files_left(work: Path) -> dict[str, str]:
    """``{relative path: octal mode}`` of the files a playbook left in ``work``."""
    found = {}
    for path in sorted(work.rglob("*")):
        relative = path.relative_to(work)
        if relative.parts[0] in ("home", "outcome.json") or not path.is_file():
            continue
        found[str(relative)] = oct(path.stat().st_mode & 0o7777)
    return found


def run(playbook_cmd: list[str], name: str, work: Path, package: Path) -> dict[str, Any]:
    """Run playbook ``name`` with ``playbook_cmd``; its normalized outcome."""
    work.mkdir(parents=True)
    (work / "home").mkdir()
    values = machine_values()
    env = dict(os.environ, HOME=str(work / "home"), ANSIBLE_NOCOLOR="1", CORRAL_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH=os.pathsep.join([str(HERE / "collections"), str(package)]),
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_RETRY_FILES_ENABLED="false")
    inventory = PLAYBOOKS[name]
    done = subprocess.run([*playbook_cmd, "-i", str(HERE / inventory) if inventory else "localhost,",
                           str(HERE / f"{name}.yml"), "-e", json.dumps({"work": str(work), **values})],
                          capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL, cwd=work)
    outcome_file = work / "outcome.json"
    outcome = json.loads(outcome_file.read_text()) if outcome_file.is_file() else None
    exact = {values["zone"]: "<zone>", values["swappiness"]: "<swappiness>",
             os.environ.get("USER") or "root": "<user>"}
    return {"rc": done.returncode, "recap": recap(done.stdout), "tasks": task_lines(done.stdout),
            "outcome": normalized(outcome, exact, str(work), VOLATILE_FIELDS.get(name, ())),
            "files": files_left(work), "output": done.stdout[-4000:] + done.stderr[-4000:]}


def mount_cleanup(work: Path) -> None:
    """Unmount what a failed mount playbook left mounted under ``work``."""
    if os.path.ismount(work / "mnt"):
        subprocess.run(["umount", str(work / "mnt")], check=False)


@pytest.fixture(scope="session")
def ansible_package() -> Path:
    return unpacked_ansible_package()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PLAYBOOKS))
def test_same_outcome_as_ansible_core(name: str, ansible_package: Path, tmp_path: Path) -> None:
    expected = json.loads(EXPECTED.read_text())[name]
    playbook = Path(sys.executable).parent / "corral-playbook"
    try:
        got = run([str(playbook)], name, tmp_path / "work", ansible_package)
    finally:
        mount_cleanup(tmp_path / "work")
    output = got.pop("output")
    assert got == expected, f"corral's outcome differs from ansible-core's; corral's output:\n{output}"


def record() -> None:
    """Run every playbook with the oracle and write its outcomes to EXPECTED."""
    import tempfile
    package = unpacked_ansible_package()
    recorded = {}
    for name in PLAYBOOKS:
        with tempfile.TemporaryDirectory(prefix="corral-record-") as scratch:
            try:
                got = run([str(ORACLE)], name, Path(scratch) / "work", package)
            finally:
                mount_cleanup(Path(scratch) / "work")
        output = got.pop("output")
        if got["rc"] != 0:
            print(f"{name}: ansible-core's rc {got['rc']}\n{output}", file=sys.stderr)
        recorded[name] = got
    EXPECTED.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    record()
