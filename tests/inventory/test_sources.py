"""Each static source kind: host lists, INI, YAML, JSON, directories, several -i."""
from __future__ import annotations

import os

import pytest

from corral.errors import CorralParserError
from corral.inventory.data import InventoryData
from corral.parsing.dataloader import DataLoader
from corral_inventory_ini import IniInventory, parse_value

from conftest import FIXTURES, names


def parse_ini(path: str) -> InventoryData:
    data = InventoryData()
    IniInventory().parse(data, DataLoader(), path)
    return data


def test_host_list(make_inventory):
    inv = make_inventory("a, b:2222,[fe80::1]:22,c")
    assert names(inv.get_hosts("all")) == ["a", "b", "fe80::1", "c"]
    assert inv.get_host("b").vars["ansible_port"] == 2222
    assert inv.get_host("fe80::1").vars["ansible_port"] == 22
    assert inv.get_groups_dict()["ungrouped"] == ["a", "b", "fe80::1", "c"]


def test_single_host_without_comma_is_not_a_host_list(make_inventory):
    inv = make_inventory("localhost")
    assert inv.hosts == {}
    assert any("Unable to parse" in w and "localhost" in w for w in inv.warnings)
    assert names(inv.get_hosts("localhost")) == ["localhost"]


def test_ini_ranges_ports_and_typing():
    data = parse_ini(os.path.join(FIXTURES, "ini", "hosts.ini"))
    assert [h for h in data.hosts if h.startswith("web")] == [
        "web01.example.com", "web02.example.com", "web03.example.com", "web04.example.com",
        "web-a", "web-b", "web-c"]
    assert [h for h in data.hosts if h.startswith("node")] == ["node1", "node5", "node9"]
    web = data.hosts["web01.example.com"].vars
    assert web["http_port"] == 8080 and web["enabled"] is True and web["weights"] == [1, 2]
    node = data.hosts["node5"].vars
    assert node["mapping"] == {"a": 1} and node["version"] == 1.1
    assert node["octal"] == "010" and node["quoted"] == "single quoted"
    assert data.hosts["gateway"].vars["ansible_port"] == 2200
    assert data.hosts["gateway"].vars["role"] == "edge router"
    assert data.hosts["db2"].vars["ansible_port"] == 5433
    web_group = data.groups["web"].vars
    # ansible-core types [group:vars] values like inline ones
    assert web_group == {"tier": "frontend", "max_conn": 512, "ratio": 0.5, "flag": "yes"}
    assert data.groups["staging"].priority == 10
    assert "ansible_group_priority" not in data.groups["staging"].vars
    prod = data.groups["prod"]
    assert [g.name for g in prod.child_groups] == ["web", "db", "staging"]


@pytest.mark.parametrize("text, value", [
    ("5", 5), ("-3", -3), ("0.5", 0.5), ("True", True), ("False", False), ("None", None),
    ("yes", "yes"), ("true", "true"), ("010", "010"), ("'x y'", "x y"), ("[1, 'a']", [1, "a"]),
    ("(1, 2)", [1, 2]), ("{'k': (1,)}", {"k": [1]}), ("1j", "1j"), ("...", "..."),
    ("a=b", "a=b"), ("web.example.com", "web.example.com"), ("1_000", 1000), ("", ""),
])
def test_ini_value_typing(text, value):
    assert parse_value(text) == value
    assert type(parse_value(text)) is type(value)


@pytest.mark.parametrize("text, message, line", [
    ("[web]\nweb1\n[web:bogus]\n", "Section [web:bogus] has unknown type: bogus", 3),
    ("[web]\nweb1 novalue\n", "Expected key=value host variable assignment, got: novalue", 2),
    ("[web]\nweb1\n[web:vars]\nflag\n", "Expected key=value, got: flag", 4),
    ("[a:children]\nb c\n", "Expected group name, got: b c", 2),
    ("[x:vars]\na=1\n", "Section [x:vars] not valid for undefined group 'x'", 1),
    ("[x:children]\nmissing\n", "Section [x:children] includes undefined group 'missing'", 2),
    ("[web]\nweb1:\n", "ending in ':' is not allowed", 2),
    ("[web]\nweb[3:1:x]\n", "step", 2),
    ("[ web ]\nh\n", "Invalid section entry", 1),
    ("---\nall: {}\n", "'---' is normally a sign this is a YAML file", 1),
    ('[web]\nweb1 a="unterminated\n', "Error parsing host definition", 2),
])
def test_ini_errors_name_file_and_line(tmp_path, text, message, line):
    path = tmp_path / "bad.ini"
    path.write_text(text)
    with pytest.raises(CorralParserError) as info:
        parse_ini(str(path))
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert info.value.position[:2] == (str(path), line)


def test_ini_failure_leaves_inventory_untouched(tmp_path):
    path = tmp_path / "bad.ini"
    path.write_text("[web]\nweb1\nweb2\n[web:bogus]\n")
    data = InventoryData()
    with pytest.raises(CorralParserError):
        IniInventory().parse(data, DataLoader(), str(path))
    assert data.hosts == {} and set(data.groups) == {"all", "ungrouped"}


def test_ini_children_declared_before_group(write, make_inventory):
    inv = make_inventory(write("h.ini", """
        [top:children]
        mid
        [mid:children]
        leaf
        [leaf]
        h1
        """))
    assert inv.get_groups_dict()["top"] == ["h1"]
    assert inv.groups["leaf"].depth == 3
    assert sorted(g.name for g in inv.get_host("h1").get_groups()) == ["all", "leaf", "mid", "top"]


def test_bad_source_warns_and_other_sources_load(write, make_inventory):
    bad = write("bad.ini", "[web:oops]\n")
    good = write("good.ini", "[web]\nw1\n")
    seen = []
    inv = make_inventory(bad, good, warn=seen.append)
    assert names(inv.get_hosts("web")) == ["w1"]
    assert any("Failed to parse" in w and "'ini' plugin" in w and "unknown type" in w for w in seen)
    # ansible-core 2.21's layout, pointing at the line
    failure = next(w for w in seen if w.startswith("Failed to parse inventory with 'ini' plugin: "))
    assert "\n\nFailed to parse inventory with 'ini' plugin.\n\n<<< caused by >>>\n\n" in failure
    assert f"\nOrigin: {bad}:1:1\n\n1 [web:oops]\n  ^ column 1" in failure
    assert f"Unable to parse {bad} as an inventory source" in seen
    assert inv.warnings == seen


def test_missing_source_warns(make_inventory, tmp_path):
    inv = make_inventory(str(tmp_path / "nope.ini"))
    assert f"Unable to parse {tmp_path / 'nope.ini'} as an inventory source" in inv.warnings
    assert "No inventory was parsed, only implicit localhost is available" in inv.warnings


def test_yaml_inventory(make_inventory):
    inv = make_inventory(os.path.join(FIXTURES, "yaml", "inventory.yml"))
    groups = inv.get_groups_dict()
    assert groups["web"] == ["web1", "web2", "web3", "web-extra"]
    assert groups["db"] == ["db1", "db-a", "db-b"]
    assert groups["ungrouped"] == ["lonely"]
    assert inv.get_host("web-extra").vars["ansible_port"] == 2222
    assert inv.groups["all"].vars["nested"] == {"a": 1, "b": ["x", "y"]}


@pytest.mark.parametrize("text, message", [
    ("", "Parsed empty YAML file"),
    ("- a\n- b\n", "invalid structure"),
    ("all:\n  hosts: [a, b]\n", 'Invalid "hosts" entry for "all" group'),
    ("plugin: constructed\n", "plugin configuration"),
    ("all:\n  hosts:\n    a: [1]\n", "Invalid variables for host 'a'"),
    ("all:\n  hosts:\n    a: {\n", "YAML"),
    ("2021:\n  hosts:\n    a:\n", "Invalid group name supplied, expected a string but got int"),
])
def test_yaml_errors(tmp_path, text, message):
    from corral_inventory_yaml import YamlInventory
    path = tmp_path / "inv.yml"
    path.write_text(text)
    with pytest.raises(CorralParserError, match=message):
        YamlInventory().parse(InventoryData(), DataLoader(), str(path))


def test_yaml_warns_on_unexpected_keys(write, make_inventory):
    inv = make_inventory(write("inv.yml", "all:\n  hosts:\n    a:\n  colour: {x: 1}\n  other: 3\n"))
    assert names(inv.get_hosts("all")) == ["a"]
    assert any("Skipping unexpected key (colour)" in w for w in inv.warnings)
    assert any("Skipping key (other)" in w for w in inv.warnings)


def test_json_inventory(make_inventory):
    inv = make_inventory(os.path.join(FIXTURES, "json", "inventory.json"))
    assert inv.get_groups_dict()["app"] == ["app1", "app2"]
    assert inv.get_inventory_vars("app1")["port"] == 8000


def test_directory_skips_ignored_entries(make_inventory):
    inv = make_inventory(os.path.join(FIXTURES, "dir"))
    hosts = names(inv.get_hosts("all"))
    assert sorted(hosts) == ["d1", "e1", "w1", "w2", "w3"]
    assert "ignored_host_from_backup" not in hosts and "hidden" not in hosts
    assert inv.warnings == []
    assert inv.get_host("w1").vars["inventory_file"] == os.path.join(FIXTURES, "dir", "10-hosts.ini")
    assert inv.get_host("e1").vars["inventory_dir"] == os.path.join(FIXTURES, "dir")


def test_several_sources_merge(make_inventory):
    inv = make_inventory(os.path.join(FIXTURES, "multi", "a.ini"), os.path.join(FIXTURES, "multi", "b.yml"))
    assert inv.get_groups_dict()["web"] == ["m1", "m2", "m3"]
    assert inv.get_inventory_vars("m2")["from"] == "yaml"
    assert inv.get_inventory_vars("m1")["src"] == "yaml"
    assert inv.get_host("m2").vars["inventory_file"].endswith("a.ini")


def test_enable_plugins_restricts_parsers(make_inventory):
    inv = make_inventory(os.path.join(FIXTURES, "multi", "a.ini"), enable_plugins=["yaml"])
    assert inv.hosts == {}
    assert any("Unable to parse" in w for w in inv.warnings)


def test_toml_inventory(make_inventory):
    inv = make_inventory(os.path.join(FIXTURES, "toml", "inventory.toml"))
    groups = inv.get_groups_dict()
    assert groups["web"] == ["host1", "host2", "www01.example.com", "www02.example.com", "www03.example.com",
                             "tomcat1", "tomcat2", "tomcat3", "jenkins1"]
    assert inv.get_inventory_vars("jenkins1")["has_java"] is True
    assert inv.get_inventory_vars("tomcat2")["myvar"] == 34


@pytest.mark.parametrize("text, message", [
    ("[web\n", "is not valid TOML"),
    ("[web]\nvars = 3\n", 'Invalid "vars" entry for "web" group'),
    ("[web]\nchildren = 'x'\n", 'Invalid "children" entry'),
    ("[web]\nhosts = [1]\n", 'Invalid "hosts" entry'),
    ("[web.hosts]\nh1 = 5\n", "must be a table"),
])
def test_toml_errors(tmp_path, text, message):
    from corral_inventory_toml import TomlInventory
    path = tmp_path / "inv.toml"
    path.write_text(text)
    with pytest.raises(CorralParserError, match=message):
        TomlInventory().parse(InventoryData(), DataLoader(), str(path))
