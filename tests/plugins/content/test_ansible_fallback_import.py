"""``import ansible`` in a plain interpreter of corral's environment (the ``.pth``
fallback of corral-content-ansible): a module written for Ansible runs by hand, and
an ``ansible`` package found anywhere on the path still wins."""
from __future__ import annotations

import json
import os
import subprocess
import sys

MODULE = '''#!/usr/bin/python
from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

module = AnsibleModule(argument_spec=dict(name=dict(type="str", required=True)))
module.exit_json(greeting="hello " + module.params["name"], tempdir=module._remote_tmp)
'''


def _python(*argv: str, cwd: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONNOUSERSITE")}
    return subprocess.run([sys.executable, *argv], cwd=cwd, env={**clean, **(env or {})}, capture_output=True,
                          text=True, timeout=60, check=False)


def test_a_module_runs_by_hand_with_corrals_python(tmp_path) -> None:
    (tmp_path / "mod.py").write_text(MODULE)
    (tmp_path / "args.json").write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {"name": "world"}}))
    proc = _python("mod.py", "args.json", cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["greeting"] == "hello world" and result["tempdir"] is None


def test_a_missing_argument_fails_the_module(tmp_path) -> None:
    (tmp_path / "mod.py").write_text(MODULE)
    (tmp_path / "args.json").write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {}}))
    proc = _python("mod.py", "args.json", cwd=str(tmp_path))
    assert proc.returncode == 1
    result = json.loads(proc.stdout)
    assert result["failed"] is True and result["msg"] == "missing required arguments: name"


def test_an_installed_ansible_package_wins(tmp_path) -> None:
    other = tmp_path / "site" / "ansible"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("WHO = 'the installed one'\n")
    proc = _python("-c", "import ansible; print(ansible.WHO)", cwd=str(tmp_path),
                   env={"PYTHONPATH": str(tmp_path / "site")})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "the installed one"


def test_the_fallback_is_last_and_serves_only_ansible(tmp_path) -> None:
    proc = _python("-c", "import sys, ansible; print(sys.meta_path[-1].__name__); print(ansible.__file__)\n"
                         "try:\n import ansible_nonexistent_thing\nexcept ModuleNotFoundError as e:\n print(e.name)",
                   cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    last, path, missing = proc.stdout.split()
    assert last == "CorralAnsibleFallback"
    assert path.endswith(os.path.join("corral_content_ansible", "_ansible", "__init__.py"))
    assert missing == "ansible_nonexistent_thing"
