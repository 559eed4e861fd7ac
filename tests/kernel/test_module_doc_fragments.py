"""Module documentation fragments: a module's ``extends_documentation_fragment`` gets the
options of the fragments the kernel (``files``) and the installed plugins
(``corral_module_doc_fragments``) declare, its own options winning."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from corral.module_utils.basic import FILE_COMMON_ARGUMENTS
from corral.plugins import hookimpl
from corral.plugins.manager import PluginManager
from corral.plugins.module import FILES_FRAGMENT, ModuleSpec, doc_fragments_in


def _spec(tmp_path, doc: str) -> ModuleSpec:
    path = tmp_path / "mod.py"
    path.write_text(f'DOCUMENTATION = r"""\n{doc}"""\n')
    return ModuleSpec("mod", str(path))


def test_the_kernel_files_fragment_documents_exactly_the_file_common_arguments():
    options = FILES_FRAGMENT["options"]
    assert set(options) == set(FILE_COMMON_ARGUMENTS)
    assert {name: option.get("aliases", []) for name, option in options.items()} == \
        {name: spec.get("aliases", []) for name, spec in FILE_COMMON_ARGUMENTS.items()}


def test_a_module_extending_files_documents_the_common_file_options(tmp_path):
    spec = _spec(tmp_path, "module: mod\noptions:\n  path: {type: path}\n"
                           "extends_documentation_fragment: [ansible.builtin.files]\n")
    options = PluginManager().module_documentation(spec)["options"]
    assert set(FILES_FRAGMENT["options"]) <= set(options) and "path" in options
    assert options["unsafe_writes"] == {"description": FILES_FRAGMENT["options"]["unsafe_writes"]["description"],
                                        "type": "bool", "default": False}
    assert "unsafe_writes" not in spec.doc["options"]      # the module's own documentation, unmerged


def test_the_module_own_option_wins_over_the_fragment(tmp_path):
    spec = _spec(tmp_path, "options:\n  mode: {description: Mine., type: raw}\nextends_documentation_fragment: files\n")
    options = PluginManager().module_documentation(spec)["options"]
    assert options["mode"]["description"] == "Mine."
    assert options["owner"]["type"] == "str"


def test_a_plugin_declares_fragments_in_order_and_replaces_the_kernel_files(tmp_path):
    (tmp_path / "frags").mkdir()
    (tmp_path / "frags" / "proxy.yml").write_text("options:\n  proxy: {description: The proxy., type: str}\n"
                                                  "  timeout: {description: Proxy seconds., type: int}\n")

    class Plugin:
        @hookimpl
        def corral_module_doc_fragments(self):
            return {**doc_fragments_in(tmp_path / "frags"),
                    "timing": {"options": {"timeout": {"description": "Seconds.", "type": "int", "default": 10}}},
                    "files": "options:\n  mode: {description: Replaced., type: raw}\n"}

    plugins = PluginManager()
    plugins.register(Plugin())
    spec = _spec(tmp_path, "options:\n  name: {type: str}\n"
                           "extends_documentation_fragment: [proxy, ansible.builtin.timing, files, no.such.one]\n")
    options = plugins.module_documentation(spec)["options"]
    assert list(options) == ["name", "proxy", "timeout", "mode"]
    assert options["timeout"] == {"description": "Proxy seconds.", "type": "int", "default": 10}
    assert options["mode"]["description"] == "Replaced."
    assert plugins.module_doc_fragment("unknown") == {}


def test_every_standard_module_with_file_arguments_documents_them():
    plugins = PluginManager()
    for name in ("copy", "file", "template", "lineinfile", "blockinfile", "replace", "archive", "unarchive",
                 "get_url", "uri"):
        spec = plugins.modules()[name]
        if "add_file_common_args=True" in open(spec.path, encoding="utf-8").read():
            assert {"mode", "owner", "group"} <= set(plugins.module_documentation(spec)["options"]), name


ROOT = Path(__file__).resolve().parents[2]
MERGING = {
    "library/mm.py": 'DOCUMENTATION = r"""\nmodule: mm\nshort_description: x\ndescription: x\noptions:\n'
                     '  mode: {description: Mine.}\n  path: {type: path, description: p}\n'
                     'extends_documentation_fragment: [files, acme.tools.shared]\n"""\n',
    "collections/ansible_collections/acme/tools/galaxy.yml": "namespace: acme\nname: tools\nversion: 1.0.0\n",
    "collections/ansible_collections/acme/tools/plugins/doc_fragments/shared.py":
        'class ModuleDocFragment:\n    DOCUMENTATION = r"""\noptions:\n  owner: {description: Theirs., type: int}\n'
        '  level: {description: How loud., type: int, default: 3, choices: [1, 2, 3]}\n"""\n',
    "collections/ansible_collections/acme/tools/plugins/modules/tool.py":
        'DOCUMENTATION = r"""\nmodule: tool\nshort_description: x\ndescription: x\noptions:\n'
        '  level: {description: Mine.}\nextends_documentation_fragment: [acme.tools.shared]\n"""\n',
}

_WORDING = ("description", "version_added", "version_added_collection")


def test_fragments_merge_as_ansible_doc_merges_them(tmp_path):
    """A module's own entry keeps what it says and takes the fragment's other keys; a
    fragment listed first wins over a later one; a collection's fragment documents the
    modules that extend it: ``corral-doc -j`` gives ansible-core's options (the wording of
    the kernel's ``files`` fragment, and its version history, are corral's own)."""
    for name, text in MERGING.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "collections")}
    for module in ("mm", "acme.tools.tool"):
        found = []
        for program in (ROOT / ".oracle" / "bin" / "ansible-doc", Path(sys.executable).parent / "corral-doc"):
            done = subprocess.run([str(program), "-j", "-M", "library", module], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            options = json.loads(done.stdout)[module]["doc"]["options"]
            found.append({name: {key: value for key, value in option.items()
                                 if name not in FILES_FRAGMENT["options"] or key not in _WORDING}
                          for name, option in options.items()})
        assert found[0] == found[1]
        assert found[1]["level"]["choices"] == [1, 2, 3]
    assert found[1]["level"]["description"] == "Mine." and found[1]["level"]["default"] == 3
