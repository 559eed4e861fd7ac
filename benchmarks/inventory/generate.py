"""Write the 10,000-host inventories the benchmark times.

``ini/hosts.ini``: 10,000 hosts in 100 groups of 100 (each host with inline
variables), 10 parent groups of 10 groups each, group variables, a range line.
``script/inventory.py``: a dynamic inventory script printing the same shape with
``_meta.hostvars`` (data precomputed in ``script/data.json``).
"""
from __future__ import annotations

import json
import os
import stat
import sys

HOSTS = 10_000
GROUP_SIZE = 100


def _groups() -> list[tuple[str, list[str]]]:
    groups = []
    for g in range(HOSTS // GROUP_SIZE):
        groups.append((f"g{g:03d}", [f"h{g:03d}-{n:03d}.example.com" for n in range(GROUP_SIZE)]))
    return groups


def write_ini(path: str) -> None:
    lines = []
    for index, (group, hosts) in enumerate(_groups()):
        lines.append(f"[{group}]")
        for n, host in enumerate(hosts):
            lines.append(f"{host} ansible_host=10.{index // 256}.{index % 256}.{n} rack={n % 8} weight={n}")
        lines.append(f"[{group}:vars]")
        lines.append(f"zone=zone{index % 4}")
        lines.append("")
    for parent in range(10):
        lines.append(f"[dc{parent}:children]")
        lines.extend(f"g{g:03d}" for g in range(parent * 10, parent * 10 + 10))
        lines.append("")
    lines.append("[extra]")
    lines.append("spare[001:100].example.com")
    lines.append("[all:vars]")
    lines.append("ansible_user=deploy")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


SCRIPT = """#!{python}
import json, os, sys
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data.json")) as handle:
    data = handle.read()
if sys.argv[1:] == ["--list"]:
    sys.stdout.write(data)
elif sys.argv[1:2] == ["--host"]:
    print(json.dumps(json.loads(data)["_meta"]["hostvars"].get(sys.argv[2], {{}})))
else:
    sys.exit("usage: inventory.py --list | --host NAME")
"""


def write_script(folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    data: dict = {"_meta": {"hostvars": {}}}
    for index, (group, hosts) in enumerate(_groups()):
        data[group] = {"hosts": hosts, "vars": {"zone": f"zone{index % 4}"}}
        for n, host in enumerate(hosts):
            data["_meta"]["hostvars"][host] = {"ansible_host": f"10.{index // 256}.{index % 256}.{n}",
                                               "rack": n % 8, "weight": n}
    for parent in range(10):
        data[f"dc{parent}"] = {"children": [f"g{g:03d}" for g in range(parent * 10, parent * 10 + 10)]}
    data["all"] = {"vars": {"ansible_user": "deploy"}}
    with open(os.path.join(folder, "data.json"), "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    script = os.path.join(folder, "inventory.py")
    with open(script, "w", encoding="utf-8") as handle:
        handle.write(SCRIPT.format(python=sys.executable))
    os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def generate(root: str) -> dict[str, str]:
    """Write both inventories below ``root``; return their paths by case name."""
    ini = os.path.join(root, "ini", "hosts.ini")
    write_ini(ini)
    write_script(os.path.join(root, "script"))
    return {"ini": ini, "script": os.path.join(root, "script", "inventory.py")}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: generate.py DIRECTORY")
    for name, path in generate(sys.argv[1]).items():
        print(f"{name}: {path}")
