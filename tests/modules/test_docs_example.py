"""The module in docs/modules.md works as documented."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from corral.executor.module_payload import build_module_payload, parse_module_output
from corral.plugins.module import ModuleSpec

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "modules.md"


def test_guide_example_module(tmp_path):
    source = re.search(r"```python\n(#!/usr/bin/python3.*?)```", GUIDE.read_text(), re.S).group(1)
    module_file = tmp_path / "hello.py"
    module_file.write_text(source)
    spec = ModuleSpec("hello", str(module_file), "docs")
    assert spec.doc["short_description"] == "Write a greeting to a file"
    target = tmp_path / "hello.txt"

    def run(**settings):
        payload = build_module_payload(spec, {"name": "world", "path": str(target), "mode": "0600"}, **settings)
        proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=60)
        return parse_module_output(proc.returncode, proc.stdout, proc.stderr)

    assert run(check_mode=True)["changed"] is True and not target.exists()
    first = run()
    assert first["changed"] is True and first["greeting"] == "Hello world"
    assert target.read_text() == "Hello world\n" and oct(target.stat().st_mode & 0o777) == "0o600"
    assert run()["changed"] is False
