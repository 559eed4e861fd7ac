"""corral with ansible-core installed beside it: Ansible content still runs on corral's
own ``ansible`` package, and nothing of ansible-core is imported, on the controller or
on the target.  ansible-core (a release that installs on corral's Python) is put on
``PYTHONPATH`` for the whole run, so ``import ansible`` would find it first."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pypi_packages import pip_installed

ANSIBLE_CORE = "ansible-core==2.17.14"

PROBE = """
import sys

def _ansible_files(_):
    return sorted({str(getattr(m, '__file__', '') or '') for n, m in list(sys.modules.items())
                   if n == 'ansible' or n.startswith('ansible.')})
"""


@pytest.mark.slow
def test_content_runs_on_corrals_ansible_with_ansible_core_importable(tmp_path: Path) -> None:
    core = pip_installed(ANSIBLE_CORE)
    env = dict(os.environ, PYTHONPATH=str(core))
    seen = subprocess.run([sys.executable, "-c", "import ansible, sys; print(ansible.__file__)"],
                          capture_output=True, text=True, env=env, check=True).stdout.strip()
    assert seen.startswith(str(core)), seen        # ansible-core really is what `import ansible` finds
    (tmp_path / "filter_plugins").mkdir()
    (tmp_path / "filter_plugins" / "probe.py").write_text(
        textwrap.dedent(PROBE) + "\nclass FilterModule:\n    def filters(self):\n"
        "        return {'ansible_files': _ansible_files}\n")
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "where.py").write_text(textwrap.dedent("""\
        import sys
        from ansible.module_utils.basic import AnsibleModule
        from ansible.module_utils.common.text.converters import to_text
        AnsibleModule(argument_spec={}).exit_json(changed=False, files=sorted(
            str(getattr(m, '__file__', '') or '') for n, m in list(sys.modules.items())
            if n == 'ansible' or n.startswith('ansible.')), text=to_text(b'ok'))
        """))
    playbook = tmp_path / "site.yml"
    playbook.write_text(textwrap.dedent("""\
        - hosts: localhost
          gather_facts: false
          tasks:
            - where: {}
              register: target
            - copy:
                dest: "{{ playbook_dir }}/seen.json"
                content: "{{ {'controller': 0 | ansible_files, 'target': target.files, 'text': target.text}
                             | to_json }}"
        """))
    done = subprocess.run([str(Path(sys.executable).parent / "corral-playbook"), str(playbook)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    seen_files = json.loads((tmp_path / "seen.json").read_text())
    assert seen_files["text"] == "ok"
    assert seen_files["controller"] and seen_files["target"]
    for where in ("controller", "target"):
        assert not [f for f in seen_files[where] if f.startswith(str(core))], (where, seen_files[where])
