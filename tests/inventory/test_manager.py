"""InventoryManager: variable precedence, caches, mutation, threads, the old API."""
from __future__ import annotations

import os
import threading

import pytest

from corral.errors import CorralError
from corral.inventory import Inventory, InventoryManager
from corral.inventory.data import InventoryData
from corral.parsing.dataloader import DataLoader

from conftest import FIXTURES, names

PRECEDENCE_INI = """
[all:vars]
v_all=inv_all
who=all

[top:children]
mid
[mid:children]
leaf
[leaf]
h1 who=host_inline
h2
[aaa]
h2
[zzz]
h2
[prio]
h2

[top:vars]
who=top
depth=top
[mid:vars]
depth=mid
[leaf:vars]
depth=leaf
[aaa:vars]
name_order=aaa
[zzz:vars]
name_order=zzz
[prio:vars]
name_order=prio
ansible_group_priority=5
"""


@pytest.fixture
def precedence(tmp_path, write):
    inv = write("inv/hosts.ini", PRECEDENCE_INI)
    write("inv/group_vars/all.yml", "who: gv_all\nfile_all: inv\n")
    write("inv/group_vars/leaf.yml", "who: gv_leaf\n")
    write("inv/host_vars/h1.yml", "who: hv_inv\nonly_host_file: 1\n")
    write("play/group_vars/all.yml", "file_all: play\n")
    write("play/group_vars/leaf/a.yml", "play_leaf: a\n")
    write("play/group_vars/leaf/b.yml", "play_leaf: b\n")
    write("play/host_vars/h1.json", '{"who": "hv_play"}')
    return InventoryManager(DataLoader(), sources=[inv]), str(tmp_path / "play"), str(tmp_path / "inv")


def test_group_depth_and_priority_order(precedence):
    inv, _, _ = precedence
    h2 = inv.get_inventory_vars("h2")
    # depth: leaf (3) beats mid and top; same depth: priority 5 beats 1, then name order
    assert h2["depth"] == "leaf"
    assert h2["name_order"] == "prio"
    assert h2["who"] == "gv_leaf"   # group_vars files beat inventory group vars
    assert h2["v_all"] == "inv_all"


def test_full_precedence_with_playbook_dir(precedence):
    inv, play, inv_dir = precedence
    h1 = inv.get_inventory_vars("h1")
    assert h1["who"] == "hv_inv" and h1["file_all"] == "inv" and h1["only_host_file"] == 1
    assert h1["inventory_file"] == os.path.join(inv_dir, "hosts.ini")
    assert h1["inventory_dir"] == inv_dir
    with_play = inv.get_inventory_vars(inv.get_host("h1"), playbook_dir=play)
    assert with_play["who"] == "hv_play"
    assert with_play["file_all"] == "play"
    assert with_play["play_leaf"] == "b"


def test_host_inline_beats_group_files(precedence, write):
    inv, _, _ = precedence
    h2 = inv.get_inventory_vars("h2")
    assert h2["who"] == "gv_leaf"
    inv.set_variable("h2", "who", "set_later")
    assert inv.get_inventory_vars("h2")["who"] == "set_later"


def test_vars_cache_returns_fresh_dicts(precedence):
    inv, _, _ = precedence
    first = inv.get_inventory_vars("h1")
    first["who"] = "changed by caller"
    assert inv.get_inventory_vars("h1")["who"] == "hv_inv"


def test_add_host_and_children_update_patterns(make_inventory, write):
    inv = make_inventory(write("h.ini", "[web]\nw1\n"))
    assert names(inv.get_hosts("all")) == ["w1"]
    inv.add_group("new")
    inv.add_host("n1", group="new", port=2222)
    inv.add_child("web", "new")
    assert names(inv.get_hosts("web")) == ["w1", "n1"]
    assert inv.get_host("n1").vars["ansible_port"] == 2222
    assert inv.get_groups_dict()["web"] == ["w1", "n1"]
    with pytest.raises(CorralError, match="Could not find group"):
        inv.add_host("x", group="missing")


def test_refresh_inventory_rereads_sources(tmp_path, write, make_inventory):
    path = write("h.ini", "[web]\nw1\n")
    inv = make_inventory(path)
    write("h.ini", "[web]\nw1\nw2\n")
    inv.refresh_inventory()
    assert names(inv.get_hosts("web")) == ["w1", "w2"]


def test_parse_source_adds_a_source(make_inventory, write):
    inv = make_inventory(write("a.ini", "[a]\nh1\n"))
    assert inv.parse_source(write("b.ini", "[b]\nh2\n"))
    assert names(inv.get_hosts("all")) == ["h1", "h2"]


def test_group_loops_are_refused():
    data = InventoryData()
    data.add_group("a")
    data.add_group("b")
    data.add_child("a", "b")
    with pytest.raises(CorralError, match="recursive dependency loop"):
        data.add_child("b", "a")
    with pytest.raises(CorralError, match="to itself"):
        data.add_child("a", "a")


def test_reconcile_moves_hosts_out_of_ungrouped():
    data = InventoryData()
    data.add_host("h", group="ungrouped")
    data.add_group("web")
    data.add_child("web", "h")
    data.add_host("lone")
    data.reconcile_inventory()
    assert [h.name for h in data.groups["ungrouped"].hosts] == ["lone"]
    assert [g.name for g in data.hosts["h"].get_groups()] == ["all", "web"]
    assert data.hosts["h"].get_vars()["group_names"] == ["web"]


def test_same_name_host_and_group_warns(make_inventory, write):
    inv = make_inventory(write("h.ini", "[web]\nweb\n"))
    assert "Found both group and host with same name: web" in inv.warnings


def test_two_inventories_in_two_threads(write):
    paths = [write(f"inv{i}.ini", f"[g]\n" + "".join(f"t{i}h{n}\n" for n in range(200))) for i in range(2)]
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for _ in range(5):
                inv = InventoryManager(DataLoader(), sources=[paths[index]])
                results[index] = names(inv.get_hosts("g[0:9]"))
                assert len(inv.get_hosts("all")) == 200
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert results[0] == [f"t0h{n}" for n in range(10)]
    assert results[1] == [f"t1h{n}" for n in range(10)]


def test_one_manager_shared_by_threads(write):
    inv = InventoryManager(DataLoader(), sources=[write("h.ini", "[g]\n" + "".join(f"h{n}\n" for n in range(300)))])
    seen: list[int] = []

    def work() -> None:
        for n in range(50):
            seen.append(len(inv.get_hosts(f"g[{n}:]")))
            inv.get_inventory_vars(f"h{n}")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(set(seen)) == [300 - n for n in range(49, -1, -1)]


class RecordingVariableManager:
    def __init__(self) -> None:
        self.inventory = None

    def set_inventory(self, inventory: object) -> None:
        self.inventory = inventory


def test_old_inventory_api_with_list_and_variable_manager():
    vm = RecordingVariableManager()
    inv = Inventory(loader=DataLoader(), variable_manager=vm, host_list=["localhost", "web1"])
    assert vm.inventory is inv
    assert inv.list_hosts("all") == ["localhost", "web1"]
    assert inv.list_hosts("web*") == ["web1"]
    local = inv.get_host("localhost")
    assert local.implicit is False and local.vars["ansible_connection"] == "local"
    assert "ansible_connection" not in inv.get_host("web1").vars
    assert inv.get_group("ungrouped").get_hosts() == [local, inv.get_host("web1")]


def test_old_inventory_api_bare_localhost():
    inv = Inventory(loader=DataLoader(), variable_manager=None, host_list="localhost")
    assert inv.warnings == []
    [local] = inv.get_hosts("localhost")
    assert local.implicit and local.vars["ansible_connection"] == "local"


def test_old_inventory_api_with_path_and_string():
    path = os.path.join(FIXTURES, "ini", "hosts.ini")
    inv = Inventory(loader=DataLoader(), variable_manager=None, host_list=path)
    assert "web02.example.com" in inv.list_hosts("web")
    assert inv.get_variables("db1")["ansible_user"] == "admin"
    assert Inventory(host_list="a,b").list_hosts() == ["a", "b"]
    assert Inventory(host_list=[]).list_hosts("localhost") == ["localhost"]


def test_missing_plugins_give_a_clear_warning():
    from corral.plugins.manager import PluginManager
    inv = InventoryManager(DataLoader(), sources=["a,b"], plugins=PluginManager(allow=[]))
    assert "corral-inventory-ini" in inv.warnings[0]


def test_pickled_host_carries_its_groups_not_the_other_hosts(write, make_inventory):
    import pickle
    inv = make_inventory(write("h.ini", "[web]\n" + "".join(f"w{n} x={n}\n" for n in range(500))
                               + "[prod:children]\nweb\n[prod:vars]\ntier=1\n"))
    host = pickle.loads(pickle.dumps(inv.get_host("w7")))
    assert host == inv.get_host("w7") and host.vars["x"] == 7
    assert sorted(g.name for g in host.get_groups()) == ["all", "prod", "web"]
    web = next(g for g in host.get_groups() if g.name == "web")
    assert [p.name for p in web.parent_groups] == ["prod"] and web.get_hosts() == []
    assert len(pickle.dumps(inv.get_host("w7"))) < 2000


def test_group_vars_folder_order_and_skips(write, make_inventory):
    inv = make_inventory(write("inv/hosts", "[web]\nw1\n"))
    write("inv/group_vars/web/a_dir/x.yml", "v: a_dir\nonly_a: 1\n")
    write("inv/group_vars/web/b.yml", "v: b\n")
    write("inv/group_vars/web/c", "w: no_extension\n")
    write("inv/group_vars/web/d.bak", "w: backup\n")
    write("inv/group_vars/web/e.yml~", "w: tilde\n")
    write("inv/group_vars/web/.hidden/h.yml", "w: hidden\n")
    assert {k: v for k, v in inv.get_inventory_vars("w1").items() if not k.startswith("inventory_")} == {
        "v": "b", "only_a": 1, "w": "no_extension"}


def test_vars_file_must_be_a_mapping(write, make_inventory):
    inv = make_inventory(write("inv/hosts", "[web]\nw1\n"))
    write("inv/group_vars/web.yml", "- a\n- b\n")
    with pytest.raises(CorralError, match="web.yml must be stored as a dictionary"):
        inv.get_inventory_vars("w1")


def test_direct_changes_then_reconcile(make_inventory, write):
    """What the add_host action does: change the data, then reconcile."""
    inv = make_inventory(write("h.ini", "[web]\nw1\n"))
    assert inv.get_inventory_vars("w1").get("x") is None
    inv.inventory.add_host("new1", "all")
    inv.get_host("new1").vars["x"] = 1
    inv.get_host("w1").vars["x"] = 2
    inv.reconcile_inventory()
    assert inv.get_groups_dict()["ungrouped"] == ["new1"]
    assert names(inv.get_hosts("all")) == ["new1", "w1"]  # hosts directly in all come first, as in Ansible
    assert inv.get_inventory_vars("w1")["x"] == 2
    inv.inventory.add_group("late")
    inv.groups["late"].add_host(inv.get_host("new1"))
    inv.reconcile_inventory()
    assert inv.get_groups_dict()["ungrouped"] == []
    assert names(inv.get_hosts("late")) == ["new1"]


def test_vaulted_inventory_and_group_vars(write):
    from corral.parsing.vault import VaultLib, VaultSecret
    secrets = [("default", VaultSecret(b"s3cret"))]
    vault = VaultLib(secrets)
    inventory = write("inv/hosts.ini", vault.encrypt("[web]\nw1 x=1\n").decode())
    write("inv/group_vars/web/vault.yml", vault.encrypt("db_password: hunter2\n").decode())
    write("inv/group_vars/web/plain.yml", "db_user: app\n")
    loader = DataLoader()
    loader.set_vault_secrets(secrets)
    inv = InventoryManager(loader, sources=[inventory])
    values = inv.get_inventory_vars("w1")
    assert values["x"] == 1 and values["db_password"] == "hunter2" and values["db_user"] == "app"
    locked = InventoryManager(DataLoader(), sources=[inventory])
    assert locked.hosts == {}
    assert any("Unable to parse" in w for w in locked.warnings)
