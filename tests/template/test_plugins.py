"""The three template distributions as the kernel finds them: entry points in group
corral.template, hooks that the PluginManager merges, the Templar using them."""
from __future__ import annotations

import inspect

from corral.plugins.lookup import LookupBase
from corral.plugins.manager import PluginManager
from corral_template_filters.plugin import all_filters
from corral_template_tests.plugin import all_tests

# What issue 4 asks of the template plugins (Jinja2 brings the rest).
FILTERS_ASKED = {
    "bool", "to_json", "from_json", "to_nice_json", "to_yaml", "to_nice_yaml", "from_yaml", "from_yaml_all",
    "combine", "dict2items", "items2dict", "regex_replace", "regex_search", "regex_findall", "regex_escape",
    "unique", "union", "intersect", "difference", "symmetric_difference", "flatten", "zip", "zip_longest",
    "product", "permutations", "combinations", "split", "basename", "dirname", "realpath", "expanduser",
    "expandvars", "splitext", "relpath", "ternary", "mandatory", "hash", "checksum", "password_hash",
    "b64encode", "b64decode", "quote", "type_debug", "random", "shuffle", "json_query", "extract", "to_uuid",
    "comment", "log", "pow", "root", "human_readable", "human_to_bytes", "strftime", "to_datetime",
    "urlsplit", "subelements", "md5", "sha1", "urldecode", "path_join", "normpath", "commonpath", "fileglob",
    "win_basename", "win_dirname", "win_splitdrive", "vault", "unvault", "rekey_on_member",
}
TESTS_ASKED = {
    "truthy", "falsy", "succeeded", "success", "failed", "failure", "changed", "change", "skipped", "skip",
    "finished", "started", "match", "search", "regex", "version", "version_compare", "subset", "superset",
    "contains", "any", "all", "file", "directory", "exists", "link", "abs", "same_file", "mount", "nan",
    "vault_encrypted", "vaulted_file", "unreachable", "reachable", "link_exists", "timedout", "uri", "url", "urn",
}
JINJA_ONES = {"default", "d", "int", "float", "string", "join", "map", "select", "reject", "selectattr",
              "rejectattr", "min", "max", "sum", "length", "first", "last", "sort", "dictsort"}


def test_entry_points_are_installed(plugins: PluginManager) -> None:
    infos = {info.name: info for info in plugins.installed("template")}
    assert infos["filters"].distribution == "corral-template-filters"
    assert infos["tests"].distribution == "corral-template-tests"
    assert infos["lookups"].distribution == "corral-template-lookups"
    assert infos["filters"].target == "corral_template_filters.plugin"


def test_manager_merges_the_hooks(plugins: PluginManager) -> None:
    assert set(plugins.template_filters()) >= FILTERS_ASKED
    assert set(plugins.template_tests()) >= TESTS_ASKED
    assert plugins.template_filters()["combine"] is all_filters()["combine"]
    assert plugins.template_tests()["version"] is all_tests()["version"]
    lookups = plugins.template_lookups()
    assert all(inspect.isclass(cls) and issubclass(cls, LookupBase) for cls in lookups.values())


def test_jinjas_own_filters_are_not_redefined() -> None:
    assert not JINJA_ONES & set(all_filters())


def test_every_filter_and_test_is_documented() -> None:
    for name, func in {**all_filters(), **all_tests()}.items():
        assert inspect.getdoc(func), name


def test_templar_uses_the_plugins(render) -> None:
    assert render("{{ [1, [2]] | flatten | union([3]) }}") == [1, 2, 3]
    assert render("{{ '2.1' is version('2.0', '>') }}") is True
    assert render("{{ query('sequence', 'end=2') }}") == ["1", "2"]
    assert render("{{ users | selectattr('admin') | map(attribute='name') | join(',') }}",
                  users=[{"name": "a", "admin": True}, {"name": "b", "admin": False}]) == "a"


def test_collection_names(plugins: PluginManager, render) -> None:
    filters, tests = plugins.template_filters(), plugins.template_tests()
    assert filters["ansible.builtin.combine"] is filters["combine"]
    assert filters["ansible.legacy.to_json"] is filters["to_json"]
    assert filters["community.general.json_query"] is filters["json_query"]
    assert "ansible.builtin.map" in filters and "ansible.builtin.default" in filters
    assert tests["ansible.builtin.version"] is tests["version"]
    assert "ansible.builtin.defined" in tests
    assert render("{{ x | ansible.builtin.map('ansible.builtin.string') | list }}", x=[1]) == ["1"]
    assert render("{{ x is ansible.builtin.subset([1, 2]) }}", x=[1]) is True
