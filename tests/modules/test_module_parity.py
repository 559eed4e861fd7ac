"""The module parity report (``scripts/module-parity``, recorded in
``docs/module-parity.md``): current with this checkout, and every ansible.builtin name
present in corral.  It reads ansible-core's documentation from the oracle, which CI
installs (``scripts/oracle-venv``)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_recorded_report_is_what_this_checkout_gives() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "module-parity"), "--check"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr


def test_every_ansible_builtin_name_is_present() -> None:
    text = (ROOT / "docs" / "module-parity.md").read_text()
    present, total = map(int, re.search(r"(\d+) of (\d+) ansible.builtin names present", text).groups())
    assert total >= 70 and present == total
    assert "| missing |" not in text



def test_copy_refuses_thirsty_as_ansible_core_does(tmp_path) -> None:
    """``thirsty``, an alias of ``force`` in old Ansible releases, is gone from ansible-core
    2.21: both engines refuse it as an unsupported parameter and leave the file alone."""
    dest = tmp_path / "kept"
    dest.write_text("old\n")
    args = ["localhost", "-m", "copy", "-a", f"content=new dest={dest} thirsty=false"]
    for program in (ROOT / ".oracle" / "bin" / "ansible", Path(sys.executable).parent / "corral"):
        done = subprocess.run([str(program), *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "Unsupported parameters for (ansible.legacy.copy) module: thirsty." in done.stdout, \
            (program, done.stdout + done.stderr)
        assert dest.read_text() == "old\n"
