"""corral-vars-host-group-vars: group_vars/ and host_vars/ files beside a directory,
as Ansible's host_group_vars reads them."""
from __future__ import annotations

from pathlib import Path

import pytest

from corral.errors import CorralParserError
from corral.inventory.group import Group
from corral.inventory.host import Host
from corral.parsing.dataloader import DataLoader
from corral.plugins.manager import PluginManager
from corral.plugins.options import declared_options, resolve_options


def _plugin(**env: str):
    cls = PluginManager().vars_class("host_group_vars")
    return cls(resolve_options(declared_options(cls), env=env))


def _write(base: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text(text)
    return base


def test_files_with_and_without_extension_merge_in_order_later_entities_winning(tmp_path) -> None:
    _write(tmp_path, {"group_vars/web": "a: plain\nb: plain\n", "group_vars/web.yml": "b: yml\nc: yml\n",
                      "group_vars/web.json": '{"c": "json"}', "group_vars/web.txt": "a: ignored\n",
                      "host_vars/web1.yaml": "c: host\n"})
    plugin = _plugin()
    loader = DataLoader()
    assert plugin.get_vars(loader, str(tmp_path), [Group("web")]) == {"a": "plain", "b": "yml", "c": "json"}
    assert plugin.get_vars(loader, str(tmp_path), [Group("web"), Host("web1")])["c"] == "host"
    assert plugin.get_vars(loader, str(tmp_path), [Host("web")]) == {}
    assert plugin.get_vars(loader, str(tmp_path / "nowhere"), [Group("web")]) == {}


def test_a_folder_is_read_in_sorted_order_skipping_hidden_files_and_backups(tmp_path) -> None:
    _write(tmp_path, {"group_vars/all/10-base.yml": "x: base\ny: base\n",
                      "group_vars/all/20-sub/a.yml": "y: sub\n", "group_vars/all/30.json": '{"z": 3}',
                      "group_vars/all/.hidden.yml": "x: hidden\n", "group_vars/all/40.yml~": "z: backup\n"})
    assert _plugin().get_vars(DataLoader(), str(tmp_path), [Group("all")]) == {"x": "base", "y": "sub", "z": 3}


def test_valid_extensions_come_from_the_environment(tmp_path) -> None:
    _write(tmp_path, {"group_vars/web.yml": "a: yml\n", "group_vars/web.conf": "a: conf\n"})
    plugin = _plugin(ANSIBLE_YAML_FILENAME_EXT=".conf")
    assert plugin.get_vars(DataLoader(), str(tmp_path), [Group("web")]) == {"a": "conf"}


def test_a_file_that_is_no_mapping_is_a_parser_error(tmp_path) -> None:
    _write(tmp_path, {"host_vars/web1.yml": "- a list\n"})
    with pytest.raises(CorralParserError, match="must be stored as a dictionary"):
        _plugin().get_vars(DataLoader(), str(tmp_path), [Host("web1")])


def test_names_that_are_paths_read_nothing(tmp_path) -> None:
    _write(tmp_path, {"group_vars/x.yml": "a: 1\n", "secret.yml": "a: 2\n"})
    assert _plugin().get_vars(DataLoader(), str(tmp_path / "group_vars"), [Group("..")]) == {}
    assert _plugin().get_vars(DataLoader(), str(tmp_path), [Host("../secret")]) == {}
