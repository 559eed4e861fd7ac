"""Record ansible-core's results for CASES into expected.json (needs .oracle/).

Run: ``.venv/bin/python tests/modules/oracle/record.py``.  Each case runs as one
task of a playbook (local connection), registered and written out as JSON.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from module_cases import CASES, prepare, substitute  # noqa: E402

ORACLE = HERE.parents[2] / ".oracle" / "bin"


def record_one(module: str, args: dict) -> dict:
    with tempfile.TemporaryDirectory() as work:
        scratch = Path(work) / "scratch"
        prepare(scratch)
        out = Path(work) / "out.json"
        task = {module: substitute(args, scratch), "register": "r", "ignore_errors": True}
        play = [{"hosts": "localhost", "gather_facts": False, "tasks": [
            task, {"copy": {"content": "{{ r | to_json }}", "dest": str(out)}}]}]
        playbook = Path(work) / "play.yml"
        playbook.write_text(json.dumps(play))
        env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
        proc = subprocess.run([str(ORACLE / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook),
                               "-e", f"ansible_python_interpreter={ORACLE / 'python'}"],
                              env=env, capture_output=True, text=True, timeout=120)
        if not out.exists():
            raise RuntimeError(f"{module} {args}: no result\n{proc.stdout}\n{proc.stderr}")
        result = json.loads(out.read_text())
        return {"keys": sorted(result), "msg": str(result.get("msg", "")).replace(str(scratch), "SCRATCH"),
                "failed": bool(result.get("failed")), "changed": bool(result.get("changed"))}


def main() -> None:
    expected = {name: record_one(module, args) for name, module, args in CASES}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
