"""``scripts/content-coverage`` on a small handmade collection tree: the numbers it
reports, what it lists as missing, what it sets apart as a missing library, and the
Markdown it writes."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

COMMAND = Path(__file__).resolve().parents[2] / "scripts" / "content-coverage"

#: files of collection demo.tools, relative to its plugins/ folder
FILES = {
    "module_utils/helper.py": "VALUE = 1\n",
    "module_utils/heavy.py": "import corral_test_no_such_library\n",
    # covered: AnsibleModule (corral's), the collection's own module_utils (relative import)
    "modules/good.py": """
        from ansible.module_utils.basic import AnsibleModule
        from ..module_utils.helper import VALUE
    """,
    # a name corral's ansible.module_utils.basic does not have
    "modules/wrong_name.py": "from ansible.module_utils.basic import corral_test_no_such_name\n",
    # a module_utils module corral does not have
    "modules/wrong_module.py": "from ansible.module_utils.corral_test_no_such_utils import thing\n",
    # what is missing is imported where the module falls back, or only for type checkers
    "modules/guarded.py": """
        from typing import TYPE_CHECKING
        try:
            from ansible.module_utils.corral_test_no_such_utils import thing
        except ImportError:
            thing = None
        if TYPE_CHECKING:
            from ansible.module_utils.corral_test_only_for_typing import Thing
    """,
    # only a third-party library is missing: not corral's gap
    "modules/needs_library.py": "from ansible_collections.demo.tools.plugins.module_utils.heavy import x\n",
    "filter/fine.py": """
        class FilterModule:
            def filters(self):
                return {"twice": lambda value: value * 2}
    """,
    "filter/broken.py": """
        from ansible.corral_test_no_such_package import thing

        class FilterModule:
            def filters(self):
                return {"thing": thing}
    """,
    # not a plugin (no FilterModule): not counted
    "filter/_helpers.py": "from ansible.corral_test_no_such_package import other\n",
    "lookup/needs_library.py": """
        import corral_test_no_such_library

        class LookupModule:
            pass
    """,
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pkg")
    plugins = root / "ansible_collections" / "demo" / "tools" / "plugins"
    for relative, text in FILES.items():
        (plugins / relative).parent.mkdir(parents=True, exist_ok=True)
        (plugins / relative).write_text(textwrap.dedent(text))
    (root / "ansible_collections" / "demo" / "tools" / "MANIFEST.json").write_text(
        json.dumps({"collection_info": {"namespace": "demo", "name": "tools", "version": "1.2.3"}}))
    return root


def coverage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(COMMAND), *args], capture_output=True, text=True, timeout=300)


def test_counts_modules_and_controller_plugins(tree: Path) -> None:
    done = coverage("--from", str(tree), "--all", "--json")
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)
    assert result["collection"] == "demo.tools" and result["version"] == "1.2.3"
    assert result["modules"] == {"ok": 2, "needs": 1, "gaps": 2, "total": 5, "percent": 60.0}
    assert result["plugins"] == {"ok": 1, "needs": 1, "gaps": 1, "total": 3, "percent": 66.7}
    assert dict(result["missing"]) == {"ansible.module_utils.basic.corral_test_no_such_name": 1,
                                       "ansible.module_utils.corral_test_no_such_utils": 1,
                                       "ansible.corral_test_no_such_package": 1}
    assert dict(result["needs"]) == {"corral_test_no_such_library": 2}
    assert dict(result["optional"]) == {"ansible.module_utils.corral_test_no_such_utils": 1}
    assert set(result["failed"]) == {"wrong_name", "wrong_module", "guarded", "needs_library", "filter/broken",
                                     "lookup/needs_library"}


def test_markdown_report_lists_the_table_and_the_missing_names(tree: Path) -> None:
    done = coverage("--from", str(tree), "-c", "demo.tools")
    assert done.returncode == 0, done.stderr
    assert "| demo.tools 1.2.3 | 3/5 | 60.0% | 1 | 2/3 | 66.7% | 1 |" in done.stdout
    assert "- `ansible.module_utils.basic.corral_test_no_such_name` (1)" in done.stdout
    assert "`corral_test_no_such_library` (2)" in done.stdout


def test_an_unknown_collection_is_an_error(tree: Path) -> None:
    done = coverage("--from", str(tree), "-c", "no.such")
    assert done.returncode == 2
    assert "not in" in done.stderr and "no.such" in done.stderr
