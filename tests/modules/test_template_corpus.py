"""``template`` writes the bytes ansible-core writes: ``template_corpus/play.yml``
renders every template of ``template_corpus/templates/`` (trailing newlines 0 to 3,
``{%-``/``-%}``, blocks at line start with and without ``lstrip_blocks``, CRLF
sources, ``newline_sequence``, non-UTF-8 ``output_encoding``, macros, includes,
``#jinja2:`` first lines, custom delimiters, a user-set ``ansible_managed``) with
``corral-playbook``, and each file must equal, byte for byte, the one
ansible-core's ``ansible-playbook`` writes from the same play: run live when the
oracle is installed (``scripts/oracle-venv``), else as recorded in
``template_corpus/expected/`` (record again with
``.venv/bin/python tests/modules/test_template_corpus.py``).  A second run of the
play changes nothing."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "template_corpus"
EXPECTED = CORPUS / "expected"
ORACLE = Path(__file__).resolve().parents[2] / ".oracle" / "bin" / "ansible-playbook"
CORRAL = Path(sys.executable).with_name("corral-playbook")


def run_play(program: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run the corpus play with ``program`` into ``out`` (created empty)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0")
    proc = subprocess.run([str(program), "-i", "localhost,", "-c", "local", "play.yml", "-e", f"out={out}", *extra],
                          cwd=CORPUS, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def ansible_core_output(tmp_path: Path) -> dict[str, bytes]:
    """What ansible-core writes: live if the oracle is installed, else recorded."""
    if not ORACLE.exists():
        return files(EXPECTED)
    out = tmp_path / "ansible"
    out.mkdir()
    run_play(ORACLE, out, "-e", f"ansible_python_interpreter={sys.executable}")
    return files(out)


def test_template_bytes_equal_ansible_cores(tmp_path: Path) -> None:
    expected = ansible_core_output(tmp_path)
    assert len(expected) >= 50
    out = tmp_path / "corral"
    out.mkdir()
    run_play(CORRAL, out)
    ours = files(out)
    assert sorted(ours) == sorted(expected)
    different = {name: (expected[name], ours[name]) for name in expected if ours[name] != expected[name]}
    assert not different
    again = run_play(CORRAL, out)
    assert re.search(r"localhost\s+: ok=3\s+changed=0\s+", again.stdout), again.stdout


def record() -> None:
    """Write ansible-core's output of the corpus play to ``expected/``."""
    shutil.rmtree(EXPECTED, ignore_errors=True)
    EXPECTED.mkdir()
    run_play(ORACLE, EXPECTED, "-e", f"ansible_python_interpreter={sys.executable}")


if __name__ == "__main__":
    record()
