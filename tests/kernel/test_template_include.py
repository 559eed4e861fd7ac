"""Template files may include and import other templates (template module and lookup)."""
from __future__ import annotations

from pathlib import Path

from .conftest import run


def test_include_and_import_in_template_files(tmp_path: Path, local_inventory: Path, write) -> None:
    write("templates/main.j2", 'main {{ x }}\n{% include "part.j2" %}\n'
                               '{% import "macros.j2" as m %}{{ m.hi("you") }}\n')
    write("templates/part.j2", "part {{ x + 1 }}\n")
    write("templates/macros.j2", "{% macro hi(n) %}hi {{ n }}{% endmacro %}\n")
    out = tmp_path / "out"
    playbook = write("site.yml", f"""
- hosts: all
  gather_facts: false
  vars: {{x: 1}}
  tasks:
    - template: src=main.j2 dest={out}
    - debug: msg="{{{{ lookup('template', 'main.j2') }}}}"
""")
    result = run(["corral-playbook", "-i", str(local_inventory), str(playbook)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text() == "main 1\npart 2hi you\n"
    assert '"msg": "main 1\\npart 2hi you\\n"' in result.stdout
