"""A third-party module distribution declares a documentation fragment its module extends
(``corral_module_doc_fragments``, the worked example of docs/plugin-authors.md): built
here, pip-installed into a directory put on PYTHONPATH, ``corral-doc`` shows the module's
options merged with the fragment's, and the module runs with the fragment's option."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run

FILES = {
    "pyproject.toml": """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "corral-modules-greet"
version = "1.0.0"
requires-python = ">=3.11"
dependencies = ["corral-core"]

[project.entry-points."corral.module"]
greet = "corral_modules_greet"

[tool.setuptools.package-data]
corral_modules_greet = ["modules/*.py", "doc_fragments/*.yml"]
""",
    "corral_modules_greet/__init__.py": '''\
"""The greet module, and the ``greeting`` fragment it documents its options with."""
from pathlib import Path

from corral.plugins import hookimpl
from corral.plugins.module import doc_fragments_in, modules_in

_HERE = Path(__file__).resolve().parent


@hookimpl
def corral_modules():
    return modules_in(_HERE / "modules", "corral-modules-greet")


@hookimpl
def corral_module_doc_fragments():
    return doc_fragments_in(_HERE / "doc_fragments")
''',
    "corral_modules_greet/doc_fragments/greeting.yml": """\
options:
  salutation:
    description: The word that starts the greeting.
    type: str
    default: Hello
  shout:
    description: Upper-case the greeting.
    type: bool
    default: false
""",
    "corral_modules_greet/modules/__init__.py": "",
    "corral_modules_greet/modules/greet.py": '''\
DOCUMENTATION = r"""
module: greet
short_description: Greet someone
description: Returns a greeting.
options:
  name:
    description: Who to greet.
    type: str
    required: true
  shout:
    description: Upper-case the whole greeting, name included.
extends_documentation_fragment: [greeting]
"""
EXAMPLES = r"""
- greet: {name: world, salutation: Hi}
"""
RETURN = r"""
greeting: {description: The greeting., type: str, returned: always}
"""
from corral.module_utils.basic import AnsibleModule

module = AnsibleModule(argument_spec={"name": {"type": "str", "required": True},
                                      "salutation": {"type": "str", "default": "Hello"},
                                      "shout": {"type": "bool", "default": False}})
text = f"{module.params['salutation']}, {module.params['name']}!"
module.exit_json(changed=False, greeting=text.upper() if module.params["shout"] else text)
''',
}


@pytest.fixture(scope="module")
def greet_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The distribution written to a folder and pip-installed into a site directory."""
    source = tmp_path_factory.mktemp("corral-modules-greet")
    for name, text in FILES.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text)
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(source)], check=True, capture_output=True)
    return target


def test_corral_doc_shows_the_options_merged_with_the_distribution_fragment(greet_site):
    result = run(["corral-doc", "-j", "greet"], env={"PYTHONPATH": str(greet_site)})
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)["greet"]["doc"]["options"]
    assert sorted(options) == ["name", "salutation", "shout"]
    assert options["salutation"] == {"description": "The word that starts the greeting.", "type": "str",
                                     "default": "Hello"}
    assert options["shout"] == {"description": "Upper-case the whole greeting, name included.", "type": "bool",
                                "default": False}
    text = run(["corral-doc", "greet"], env={"PYTHONPATH": str(greet_site)}).stdout
    assert "salutation" in text and "The word that starts the greeting." in text


def test_the_module_runs_with_the_option_its_fragment_documents(greet_site):
    result = run(["corral", "localhost", "-c", "local", "-m", "greet", "-a", "name=world salutation=Hi shout=true",
                  "-e", f"ansible_python_interpreter={sys.executable}"], env={"PYTHONPATH": str(greet_site)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"greeting": "HI, WORLD!"' in result.stdout
