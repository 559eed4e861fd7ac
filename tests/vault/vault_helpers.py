"""Constants and helpers shared by the vault tests (a uniquely named module, so
that it never clashes with another test area's helpers)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
CORRAL_VAULT = Path(sys.executable).parent / "corral-vault"
ORACLE_VAULT = ROOT / ".oracle" / "bin" / "ansible-vault"
PASSWORD = "corral-fixture-password"
DEV_PASSWORD = "dev-fixture-password"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment without vault or config settings, with its own HOME."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ANSIBLE_", "CORRAL_")) and k not in ("EDITOR", "PAGER", "VISUAL")}
    env["HOME"] = str(home)
    env.update(extra)
    return env


