"""What the tests of the everyday callbacks share: running ``corral-playbook`` on the
playbooks of ``everyday/`` (recorded from ansible-core 2.21 with the ``ansible``
package's collections by ``everyday/record.py``), and comparing what timings change."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

__all__ = ["HERE", "cases", "corral", "normalized", "recap", "seconds_of", "totals"]

HERE = Path(__file__).resolve().parent / "everyday"
BIN = Path(sys.executable).parent
_STAMP = re.compile(r"^\w+day \d\d \w+ \d{4}  \d\d:\d\d:\d\d [+-]\d{4} \(\d+:\d\d:\d\d\.\d{3}\) +\d+:\d\d:\d\d\.\d{3} \*+ $")
_SECONDS = re.compile(r" \d+\.\d\ds$")


def corral(playbook: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_", "JUNIT_", "PROFILE_"))}
    clean.update(ANSIBLE_NOCOLOR="1", ANSIBLE_PYTHON_INTERPRETER=sys.executable, **env)
    return subprocess.run([str(BIN / "corral-playbook"), "-i", "inventory", playbook], cwd=HERE, env=clean,
                          capture_output=True, text=True, timeout=300)


def normalized(text: str) -> list[str]:
    """The screen with timestamps and seconds masked (they differ from run to run), and
    each recap's rows sorted (rows of about the same time come in either order)."""
    lines: list[str] = []
    rows: list[str] = []
    for line in text.rstrip().splitlines() + [""]:
        if _SECONDS.search(line):
            rows.append(_SECONDS.sub(" N.NNs", line))
            continue
        lines.extend(sorted(rows))
        rows = []
        if _STAMP.match(line):
            line = "STAMP"
        lines.append(re.sub(r"took \d+ days, \d+ hours, \d+ minutes, \d+ seconds",
                            "took D days, H hours, M minutes, S seconds", line))
    return lines[:-1]


def recap(lines: list[str], title: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if lines[i] == ""), len(lines))
    return lines[start:end]


def seconds_of(lines: list[str], name: str) -> float:
    (line,) = [line for line in lines if line.startswith(name + " -")]
    return float(line.rsplit(" ", 1)[1].rstrip("s"))


def cases(report: str) -> list[tuple[str, str, str, str]]:
    """A junit report's test cases: classname, name, outcome, message (times aside)."""
    rows = []
    for case in ET.fromstring(report).iter("testcase"):
        outcome = next((child.tag for child in case if child.tag != "system-out"), "passed")
        message = next((child.get("message", "") for child in case if child.tag in ("failure", "error")), "")
        rows.append((case.get("classname", ""), case.get("name", ""), outcome, message))
    return sorted(rows)


def totals(report: str) -> list[dict[str, str]]:
    root = ET.fromstring(report)
    return [{k: v for k, v in element.attrib.items() if k != "time"} for element in (root, root.find("testsuite"))]
