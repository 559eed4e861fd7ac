"""Host patterns: every form, in Ansible's order, with limits and restrictions."""
from __future__ import annotations

import pytest

from corral.errors import CorralError, CorralOptionsError
from corral.inventory.patterns import split_host_pattern, split_subscript

from conftest import names

INI = """
[web]
web1
web2
web3
[db]
db1
db2
[staging]
web3
db2
[prod:children]
web
db
"""


@pytest.fixture
def inv(write, make_inventory):
    return make_inventory(write("hosts.ini", INI))


@pytest.mark.parametrize("pattern, expected", [
    # Ansible's order: all's children breadth first (staging is top-level, prod holds web and db)
    ("all", ["web3", "db2", "web1", "web2", "db1"]),
    ("*", ["web3", "db2", "web1", "web2", "db1"]),
    ("web", ["web1", "web2", "web3"]),
    ("web*", ["web1", "web2", "web3"]),
    ("*2", ["web2", "db2"]),
    ("db?", ["db1", "db2"]),
    ("web:db", ["web1", "web2", "web3", "db1", "db2"]),
    ("web,db1", ["web1", "web2", "web3", "db1"]),
    ("prod:&staging", ["web3", "db2"]),
    ("prod:!staging", ["web1", "web2", "db1"]),
    ("!staging", ["web1", "web2", "db1"]),
    ("&web", ["web3", "web1", "web2"]),
    ("!web:db", ["db1", "db2"]),
    ("!web", ["db2", "db1"]),
    ("~web[12]", ["web1", "web2"]),
    ("~(db|web)1", ["web1", "db1"]),
    ("web[0]", ["web1"]),
    ("web[-1]", ["web3"]),
    ("web[1:2]", ["web2", "web3"]),
    ("web[1:]", ["web2", "web3"]),
    ("prod[0:1]", ["web1", "web2"]),
    ("web[7]", []),
    ("web2", ["web2"]),
    ("db2:web1", ["db2", "web1"]),
    ("nosuch", []),
    ("ungrouped", []),
])
def test_pattern_forms(inv, pattern, expected):
    assert names(inv.get_hosts(pattern)) == expected


def test_list_pattern_and_dedup(inv):
    assert names(inv.get_hosts(["web1", "web", "web1"])) == ["web1", "web2", "web3"]


def test_unmatched_pattern_warns_once(inv):
    inv.get_hosts("nosuch")
    inv.clear_pattern_cache()
    inv.get_hosts("nosuch")
    assert inv.warnings.count("Could not match supplied host pattern, ignoring: nosuch") == 1


def test_orders(inv):
    assert names(inv.get_hosts("all", order="sorted")) == ["db1", "db2", "web1", "web2", "web3"]
    assert names(inv.get_hosts("all", order="reverse_sorted")) == ["web3", "web2", "web1", "db2", "db1"]
    assert names(inv.get_hosts("all", order="reverse_inventory")) == ["db1", "web2", "web1", "db2", "web3"]
    assert sorted(names(inv.get_hosts("all", order="shuffle"))) == ["db1", "db2", "web1", "web2", "web3"]
    with pytest.raises(CorralOptionsError, match="Invalid 'order'"):
        inv.get_hosts("all", order="random")


def test_limit_and_limit_file(inv, tmp_path):
    inv.subset("web")
    assert names(inv.get_hosts("all")) == ["web3", "web1", "web2"]
    assert names(inv.get_hosts("all", ignore_limits=True)) == ["web3", "db2", "web1", "web2", "db1"]
    limit = tmp_path / "limit.txt"
    limit.write_text("db1\nweb2\n\n")
    inv.subset(f"@{limit}")
    assert names(inv.get_hosts("all")) == ["web2", "db1"]
    assert names(inv.get_hosts("web")) == ["web2"]
    inv.subset(None)
    assert len(inv.get_hosts("all")) == 5
    with pytest.raises(CorralError, match="Unable to find limit file"):
        inv.subset(f"@{tmp_path}/missing")
    with pytest.raises(CorralError, match="must be a file"):
        inv.subset(f"@{tmp_path}")


def test_restriction(inv):
    inv.restrict_to_hosts([inv.get_host("web1"), "db2"])
    assert names(inv.get_hosts("all")) == ["db2", "web1"]
    assert len(inv.get_hosts("all", ignore_restrictions=True)) == 5
    inv.remove_restriction()
    assert len(inv.get_hosts("all")) == 5
    inv.restrict_to_hosts([])
    assert len(inv.get_hosts("all")) == 5   # an empty restriction restricts nothing, as in Ansible


def test_implicit_localhost(inv):
    assert "localhost" not in names(inv.get_hosts("all"))
    [local] = inv.get_hosts("localhost")
    assert local.implicit and local.address == "127.0.0.1"
    assert local.vars["ansible_connection"] == "local"
    assert inv.get_host("127.0.0.1") is local
    assert "localhost" not in names(inv.get_hosts("all"))


def test_listed_localhost_is_not_implicit(write, make_inventory):
    inv = make_inventory(write("h.ini", "localhost ansible_connection=local x=1\n"))
    [local] = inv.get_hosts("localhost")
    assert not local.implicit and local.vars["x"] == 1
    assert names(inv.get_hosts("all")) == ["localhost"]


def test_bad_regex_is_a_clear_error(inv):
    with pytest.raises(CorralError, match="Invalid host list pattern"):
        inv.get_hosts("~(web")


@pytest.mark.parametrize("pattern, terms", [
    ("a:b:&c:!d", ["a", "b", "&c", "!d"]),
    ("a,b, c", ["a", "b", "c"]),
    ("web[1:3]", ["web[1:3]"]),
    ("web[1:3]:db", ["web[1:3]", "db"]),
    ("fe80::1", ["fe80::1"]),
    ("10.0.0.1", ["10.0.0.1"]),
    ("", []),
])
def test_split_host_pattern(pattern, terms):
    assert split_host_pattern(pattern) == terms


def test_subscript_parsing():
    assert split_subscript("g[3]") == ("g", (3, None))
    assert split_subscript("g[-2]") == ("g", (-2, None))
    assert split_subscript("g[1:4]") == ("g", (1, 4))
    assert split_subscript("g[2:]") == ("g", (2, -1))
    assert split_subscript("~g[1:2]") == ("~g[1:2]", None)
    with pytest.raises(CorralError, match=r"\[x:y\]"):
        split_subscript("g[1-2]")
