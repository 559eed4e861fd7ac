"""Module documentation fragments: options every file-writing module shares are documented once."""
from __future__ import annotations

from corral.plugins.module import DOC_FRAGMENTS, ModuleSpec


def _spec(tmp_path, doc: str) -> ModuleSpec:
    path = tmp_path / "mod.py"
    path.write_text(f'DOCUMENTATION = r"""\n{doc}"""\n')
    return ModuleSpec("mod", str(path))


def test_a_module_extending_files_documents_the_common_file_options(tmp_path):
    spec = _spec(tmp_path, "module: mod\noptions:\n  path: {type: path}\n"
                           "extends_documentation_fragment: [ansible.builtin.files]\n")
    options = spec.doc["options"]
    assert set(DOC_FRAGMENTS["files"]) <= set(options) and "path" in options
    assert options["unsafe_writes"] == {"description": DOC_FRAGMENTS["files"]["unsafe_writes"]["description"],
                                        "type": "bool", "default": False}


def test_the_module_own_option_wins_over_the_fragment(tmp_path):
    spec = _spec(tmp_path, "options:\n  mode: {description: Mine., type: raw}\nextends_documentation_fragment: files\n")
    assert spec.doc["options"]["mode"]["description"] == "Mine."
    assert spec.doc["options"]["owner"]["type"] == "str"


def test_every_standard_module_with_file_arguments_documents_them():
    from corral.plugins.manager import PluginManager
    for name in ("copy", "file", "template", "lineinfile", "blockinfile", "replace", "archive", "unarchive",
                 "get_url", "uri"):
        spec = PluginManager().modules()[name]
        if "add_file_common_args=True" in open(spec.path, encoding="utf-8").read():
            assert {"mode", "owner", "group"} <= set(spec.doc["options"]), name
