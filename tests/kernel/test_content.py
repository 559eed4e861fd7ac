"""The run's content (``corral_resolve_content``): what the kernel asks, when, with
which collections in scope, and what it does with the answers; module payloads
that carry their imports (``python_roots``) and script modules (``style``)."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from corral.api import run_playbook
from corral.plugins import hookimpl
from corral.plugins.content import ContentContext, ContentPath
from corral.plugins.manager import PluginManager
from corral.plugins.module import ModuleSpec

PLAY = {"hosts": "localhost", "gather_facts": False}


class Recorder:
    """A content plugin that answers from ``answers[(kind, name)]`` and records every question."""

    def __init__(self, answers: dict[tuple[str, str], Any]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, str, tuple[str, ...]]] = []

    @hookimpl
    def corral_resolve_content(self, kind: str, name: str, collections: tuple[str, ...],
                               context: ContentContext) -> Any:
        self.asked.append((kind, name, collections))
        return self.answers.get((kind, name))


def _module(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / f"{name}.py"
    path.write_text("from corral.module_utils.basic import AnsibleModule\n"
                    "module = AnsibleModule(argument_spec={}, supports_check_mode=True)\n" + body)
    return str(path)


def _run(plugin: object, play: dict[str, Any] | str) -> Any:
    plugins = PluginManager()
    plugins.register(plugin)
    result = run_playbook(play if isinstance(play, str) else [play], plugins=plugins)
    return result, plugins


def test_content_wins_over_an_installed_module_of_the_same_name(tmp_path: Path) -> None:
    mine = ModuleSpec("ping", _module(tmp_path, "ping", "module.exit_json(changed=False, ping='mine')\n"))
    recorder = Recorder({("module", "ping"): mine})
    result, _ = _run(recorder, {**PLAY, "tasks": [{"ping": {}}, {"ansible.builtin.ping": {}}]})
    first, second = (r.result for r in result.hosts["localhost"].results)
    assert first["ping"] == "mine"
    assert second["ping"] == "pong"       # the recorder does not answer the FQCN


def test_collections_keyword_reaches_the_resolver_innermost_first(tmp_path: Path) -> None:
    spec = ModuleSpec("acme.x.hello", _module(tmp_path, "hello", "module.exit_json(changed=False)\n"))
    recorder = Recorder({("module", "hello"): spec})
    play = {**PLAY, "collections": ["play.one"],
            "tasks": [{"block": [{"hello": {}}], "collections": ["block.two"]}]}
    result, _ = _run(recorder, play)
    assert result.hosts["localhost"].results[0].status == "ok"
    assert ("module", "hello", ("block.two", "play.one")) in recorder.asked


def test_a_collection_role_gets_its_collection_first(tmp_path: Path) -> None:
    role = tmp_path / "roles_here" / "web"
    (role / "tasks").mkdir(parents=True)
    (role / "tasks" / "main.yml").write_text("- hello: {}\n")
    spec = ModuleSpec("acme.web.hello", _module(tmp_path, "hello", "module.exit_json(changed=False, r=1)\n"))
    recorder = Recorder({("role", "acme.web.web"): ContentPath(str(role), "acme.web"),
                         ("module", "hello"): spec})
    result, plugins = _run(recorder, {**PLAY, "roles": ["acme.web.web"]})
    assert result.hosts["localhost"].results[0].result["r"] == 1
    assert result.hosts["localhost"].results[0].task.startswith("acme.web.web : ")
    assert ("module", "hello", ("acme.web",)) in recorder.asked
    assert plugins.content.role_dirs == (str(role),)


def test_playbook_and_role_dirs_are_recorded_and_a_collection_playbook_imported(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.yml"
    other.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: {msg: imported}\n")
    site = tmp_path / "site.yml"
    site.write_text("- import_playbook: acme.plays.other\n")
    recorder = Recorder({("playbook", "acme.plays.other"): ContentPath(str(other), "acme.plays")})
    result, plugins = _run(recorder, str(site))
    assert result.hosts["localhost"].results[0].result["msg"] == "imported"
    assert plugins.content.playbook_dirs[0] == str(tmp_path)


def test_filters_tests_and_lookups_are_asked_once_per_run(tmp_path: Path) -> None:
    class Upper:
        def __init__(self, **_: Any) -> None:
            pass

        def run(self, terms: list[Any], variables: Any = None, **kwargs: Any) -> list[Any]:
            return [str(t).upper() for t in terms]

    recorder = Recorder({("filter", "acme.t.twice"): lambda v: v * 2,
                         ("test", "acme.t.even"): lambda v: v % 2 == 0,
                         ("lookup", "acme.t.upper"): Upper})
    msg = "{{ (21 | acme.t.twice) is acme.t.even }} {{ lookup('acme.t.upper', 'a') }} {{ 2 | acme.t.twice }}"
    result, _ = _run(recorder, {**PLAY, "tasks": [{"debug": {"msg": msg}}, {"debug": {"msg": msg}}]})
    assert [r.result["msg"] for r in result.hosts["localhost"].results] == ["True A 4"] * 2
    assert recorder.asked.count(("filter", "acme.t.twice", ())) == 1


def test_an_unknown_fqcn_fails_at_load_naming_it(tmp_path: Path) -> None:
    site = tmp_path / "site.yml"
    site.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - nowhere.to.befound: {}\n")
    with pytest.raises(Exception, match="couldn't resolve module/action 'nowhere.to.befound'"):
        _run(Recorder({}), str(site))


# -- what a payload carries ---------------------------------------------------------------------------


def test_payload_carries_imports_from_python_roots_recursively(tmp_path: Path) -> None:
    utils = tmp_path / "utils" / "acme_pkg"
    (utils / "sub").mkdir(parents=True)
    (utils / "__init__.py").write_text("")
    (utils / "sub" / "__init__.py").write_text("from .deep import VALUE\n")
    (utils / "sub" / "deep.py").write_text("from ..top import BASE\nVALUE = BASE + 1\n")
    (utils / "top.py").write_text("BASE = 41\n")
    playbook_utils = tmp_path / "pb_utils"
    playbook_utils.mkdir()
    (playbook_utils / "extra.py").write_text("WORD = 'shadowed'\n")
    module = tmp_path / "uses.py"
    module.write_text(textwrap.dedent("""\
        from corral.module_utils.basic import AnsibleModule
        from acme_pkg.sub import VALUE
        from acme_pkg.extra import WORD
        AnsibleModule(argument_spec={}).exit_json(changed=False, value=VALUE, word=WORD)
        """))
    (utils / "extra.py").write_text("WORD = 'original'\n")
    roots = (("acme_pkg", str(playbook_utils)), ("", str(tmp_path / "utils")))
    spec = ModuleSpec("uses", str(module), python_roots=roots)
    result, _ = _run(Recorder({("module", "uses"): spec}), {**PLAY, "tasks": [{"uses": {}}]})
    answer = result.hosts["localhost"].results[0].result
    assert (answer["value"], answer["word"]) == (42, "shadowed")


@pytest.mark.parametrize("style", ["want_json", "old", "binary"])
def test_script_modules_get_an_arguments_file(tmp_path: Path, style: str) -> None:
    script = tmp_path / f"reader_{style}"
    if style == "old":
        script.write_text("#!/bin/sh\n. \"$1\"\nprintf '{\"changed\": false, \"got\": \"%s\"}' \"$word\"\n")
    elif style == "want_json":
        script.write_text("#!/usr/bin/python3\nimport json, sys\nargs = json.load(open(sys.argv[1]))\n"
                          "print(json.dumps({'changed': True, 'got': args['word'], "
                          "'check': args['_ansible_check_mode']}))\n")
    else:
        script.write_text("#!/bin/sh\nprintf '{\"changed\": false, \"got\": %s}' \"$(cat \"$1\")\"\n")
    spec = ModuleSpec("reader", str(script), style=style)
    result, _ = _run(Recorder({("module", "reader"): spec}), {**PLAY, "tasks": [{"reader": {"word": "hi there"}}]})
    answer = result.hosts["localhost"].results[0].result
    if style == "binary":
        assert answer["got"]["word"] == "hi there"
    else:
        assert answer["got"] == "hi there"
    if style == "want_json":
        assert answer["changed"] is True and answer["check"] is False
    assert not list(Path("~/.ansible/tmp").expanduser().glob("corral-module-*"))   # cleaned up


def test_bundled_modules_have_a_file_name(tmp_path: Path) -> None:
    """Some module_utils read ``__file__`` when imported (``os.path.realpath(__file__)``)."""
    utils = tmp_path / "utils" / "acme_where"
    utils.mkdir(parents=True)
    (utils / "__init__.py").write_text("import os\nHERE = os.path.dirname(os.path.realpath(__file__))\n")
    module = tmp_path / "where.py"
    module.write_text("from corral.module_utils.basic import AnsibleModule\nfrom acme_where import HERE\n"
                      "AnsibleModule(argument_spec={}).exit_json(changed=False, here=HERE)\n")
    spec = ModuleSpec("where", str(module), python_roots=(("", str(tmp_path / "utils")),))
    result, _ = _run(Recorder({("module", "where"): spec}), {**PLAY, "tasks": [{"where": {}}]})
    assert result.hosts["localhost"].results[0].result["here"].endswith("acme_where")


def test_content_deprecations_are_shown_as_the_run_shows_deprecations() -> None:
    import io

    from corral.display import Display
    warned: list[str] = []
    context = ContentContext(warn=warned.append)
    context.deprecate("acme.x.old has been deprecated.", version="2.0.0", collection_name="acme.x")
    assert warned == ["acme.x.old has been deprecated. This feature will be removed from collection 'acme.x' "
                      "version 2.0.0."]      # no display yet: a warning that says the same
    err = io.StringIO()
    context.display = Display(stream=io.StringIO(), error_stream=err, color=False)
    context.deprecate("acme.x.old has been deprecated.", version="2.0.0", collection_name="acme.x")
    assert "[DEPRECATION WARNING]: acme.x.old has been deprecated. This feature will be removed from collection " \
           "'acme.x' version 2.0.0.\n" in err.getvalue()
