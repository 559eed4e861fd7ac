"""The constructed plugin over variables from earlier sources."""
from __future__ import annotations

import os

import pytest

from corral.utils.unsafe import is_unsafe

from conftest import FIXTURES


def test_constructed_groups_and_compose(make_inventory):
    inv = make_inventory(os.path.join(FIXTURES, "constructed"))
    groups = inv.get_groups_dict()
    assert groups["large"] == ["alpha", "gamma"]
    assert groups["linux_hosts"] == ["alpha", "beta"]
    assert groups["os_linux"] == ["alpha", "beta"]
    assert groups["arch_x86_64"] == ["alpha", "gamma"]
    assert [g.name for g in inv.groups["arches"].child_groups] == ["arch_x86_64", "arch_arm64"]
    assert groups["tag_team_blue"] == ["alpha", "gamma"]
    assert groups["env_unset"] == ["gamma"]
    assert "never" not in groups
    alpha = inv.get_inventory_vars("alpha")
    assert alpha["label"] == "linux-x86_64" and is_unsafe(alpha["label"])
    assert alpha["mem_mb"] == 16384 and alpha["big"] is True


def test_constructed_strict_reports_template_errors(write, make_inventory):
    hosts = write("01.yml", "all:\n  hosts:\n    a:\n")
    config = write("02.yml", "plugin: constructed\nstrict: true\ngroups:\n  g: missing_var > 1\n")
    inv = make_inventory(hosts, config)
    assert any("Could not add host a to group g" in w and "missing_var" in w for w in inv.warnings)
    assert "g" not in inv.groups


def test_constructed_uses_group_vars(write, make_inventory):
    source = write("hosts.ini", "[web]\nw1\n[web:vars]\nrole=frontend\n")
    config = write("c.yml", "plugin: constructed\nkeyed_groups:\n  - key: role\n    prefix: role\n")
    inv = make_inventory(source, config)
    assert inv.get_groups_dict()["role_frontend"] == ["w1"]


def test_unknown_plugin_config(write, make_inventory):
    config = write("c.yml", "plugin: nosuch\n")
    inv = make_inventory(config)
    text = "\n".join(inv.warnings)
    assert "specifies unknown plugin 'nosuch'" in text and "constructed" in text


@pytest.mark.parametrize("entry, message", [
    ("  - 5\n", "must be a dictionary"),
    ("  - key: a\n    default_value: x\n    trailing_separator: false\n", "mutually exclusive"),
])
def test_bad_keyed_groups(write, make_inventory, entry, message):
    hosts = write("01.yml", "all:\n  hosts:\n    a: {a: v}\n")
    config = write("02.yml", "plugin: constructed\nkeyed_groups:\n" + entry)
    inv = make_inventory(hosts, config)
    assert any(message in w for w in inv.warnings)
