"""The ``url`` lookup, run through ``corral-playbook`` against a loopback HTTP
server (``url_lookup/loopback_server.py``), gives what ansible-core 2.21 gives.

``url_lookup/expected.stdout`` is ansible-playbook's output for
``url_lookup/site.yml`` against the same server, normalised as the language
cases are (the server's port shown as ``PORT``); re-record it with
``python tests/template/test_lookup_url.py PATH/TO/ansible-playbook``.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "url_lookup"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2]))

from loopback_server import serve  # noqa: E402
from tests.language.harness import environment, normalize  # noqa: E402


def run_site(program: str) -> tuple[int, str]:
    """Run ``site.yml`` with ``program`` against a fresh server: (rc, normalised stdout)."""
    server, port = serve()
    try:
        proc = subprocess.run([program, "site.yml", "-i", "localhost,", "-c", "local", "-e", f"port={port}"],
                              cwd=HERE, env=environment(), capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    return proc.returncode, normalize(proc.stdout.replace(str(port), "PORT"), HERE)


def test_url_lookup_matches_ansible() -> None:
    rc, stdout = run_site(str(Path(sys.executable).parent / "corral-playbook"))
    assert stdout == (HERE / "expected.stdout").read_text()
    assert rc == 0


if __name__ == "__main__":
    recorded_rc, recorded = run_site(sys.argv[1])
    assert recorded_rc == 0, recorded
    (HERE / "expected.stdout").write_text(recorded)
