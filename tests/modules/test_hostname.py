"""hostname, run as root in a new UTS and mount namespace whose ``/etc/hostname`` is a scratch file
(the machine's name is untouched). The values are the ones ansible-core 2.21 returns for this play."""
from __future__ import annotations

import socket

from .namespaces import run_in_namespaces

TASKS = """
- hostname: {name: web01.example.test}
  check_mode: true
  diff: true
- hostname: {name: web01.example.test}
  diff: true
- command: cat /etc/hostname
- command: hostname
- hostname: {name: web02, use: generic}
  ignore_errors: true
"""


def test_debian_keeps_the_name_in_etc_hostname(tmp_path) -> None:
    scratch = tmp_path / "hostname"
    scratch.write_text("oldname\n")
    first, second = run_in_namespaces(
        tmp_path, TASKS, ["uts", "mount"], setup=f"mount --bind {scratch} /etc/hostname; hostname oldname", runs=2)
    check, changed, etc_hostname, running, generic = first["tasks"]
    assert check["changed"] is True
    assert check["diff"] == {"before": "hostname = oldname\n", "after": "hostname = web01.example.test\n"}
    assert changed["changed"] is True and changed["name"] == "web01.example.test"
    facts = changed["ansible_facts"]
    assert (facts["ansible_hostname"], facts["ansible_nodename"]) == ("web01", "web01.example.test")
    assert facts["ansible_fqdn"] == "oldname" and facts["ansible_domain"] == ""
    # Debian's method writes the file only: the running name changes at the next boot
    assert etc_hostname["stdout"] == "web01.example.test"
    assert running["stdout"] == "oldname"
    assert generic["failed"] is True
    assert [task["changed"] for task in second["tasks"][:2]] == [False, False]
    assert scratch.read_text() == "web01.example.test\n"
    assert socket.gethostname() != "web01.example.test"


def test_alpine_writes_the_file_and_redhat_needs_its_entry(tmp_path) -> None:
    scratch = tmp_path / "hostname"
    scratch.write_text("oldname\n")
    tasks = "- hostname: {name: alp1, use: alpine}\n- command: hostname\n" \
            "- hostname: {name: rh1, use: redhat}\n  ignore_errors: true"
    first, second = run_in_namespaces(tmp_path, tasks, ["uts", "mount"],
                                      setup=f"mount --bind {scratch} /etc/hostname; hostname oldname", runs=2)
    assert first["tasks"][0]["changed"] is True and first["tasks"][1]["stdout"] == "oldname"
    assert scratch.read_text() == "alp1\n"
    assert second["tasks"][0]["changed"] is False
    assert first["tasks"][2]["msg"] == "Unable to locate HOSTNAME entry in /etc/sysconfig/network"
