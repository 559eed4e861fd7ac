"""corral-content-ansible: what it finds, where, and how the run uses it."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from corral.config import Config

from corral_content_ansible import importer
from corral_content_ansible.paths import roots_of
from corral_content_ansible.settings import content_settings


def test_collection_roots_in_ansible_order(tmp_path: Path) -> None:
    playbook_dir, configured, on_sys_path = tmp_path / "pb", tmp_path / "cfg", tmp_path / "site"
    for root in (playbook_dir / "collections", configured, on_sys_path):
        (root / "ansible_collections").mkdir(parents=True)
    sys.path.append(str(on_sys_path))
    try:
        found = roots_of([str(playbook_dir)], [str(configured / "ansible_collections"), str(tmp_path / "none")], True)
        assert found[:2] == [str(playbook_dir / "collections"), str(configured)]
        assert str(on_sys_path) in found
        assert str(on_sys_path) not in roots_of([], [], False)
    finally:
        sys.path.remove(str(on_sys_path))


def test_collections_path_from_config_file_and_environment(tmp_path: Path) -> None:
    (tmp_path / "ansible.cfg").write_text("[defaults]\ncollections_path = /from/file\n")
    assert content_settings(Config(env={}, cwd=str(tmp_path)))["collections_path"] == ["/from/file"]
    config = Config(env={"ANSIBLE_COLLECTIONS_PATH": "/a:/b", "CORRAL_COLLECTIONS_PATH": "/c"}, cwd=str(tmp_path))
    assert content_settings(config)["collections_path"] == ["/c"]


def test_ansible_imports_come_from_corral_never_ansible_core(tmp_path: Path) -> None:
    importer.install()
    import ansible
    assert os.path.dirname(ansible.__file__) == importer.SHIM_DIR
    try:
        import ansible.no_such_module  # noqa: F401
    except ModuleNotFoundError as exc:
        assert "corral provides ansible's API" in str(exc)
    else:
        raise AssertionError("ansible.no_such_module imported")


def test_collections_import_from_the_first_root_that_has_them(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for root, value in ((first, 1), (second, 2)):
        utils = root / "ansible_collections" / "acme" / "demo" / "plugins" / "module_utils"
        utils.mkdir(parents=True)
        (utils / "which.py").write_text(f"VALUE = {value}\n")
    (second / "ansible_collections" / "acme" / "other").mkdir(parents=True)
    importer.add_roots([str(first), str(second)])
    from ansible_collections.acme.demo.plugins.module_utils.which import VALUE
    assert VALUE == 1
    assert importer.collection_dir("acme", "other") == str(second / "ansible_collections" / "acme" / "other")
    assert "ansible_collections.acme.demo" in sys.modules
