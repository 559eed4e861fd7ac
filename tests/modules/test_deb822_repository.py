"""deb822_repository, run as root in a mount namespace whose /etc/apt/sources.list.d and /etc/apt/keyrings
are scratch folders (the machine's apt sources are untouched). Files and results as ansible-core 2.21
writes and reports them for the same tasks (observed with the oracle)."""
from __future__ import annotations

from pathlib import Path

from .namespaces import run_in_namespaces

KEY = Path(__file__).resolve().parent / "data" / "test-key.asc"

TASKS = f"""
- deb822_repository:
    name: example
    uris: https://dl.example.com/debian
    suites: [stable]
    components: [main, contrib]
    architectures: amd64
    signed_by: "{{{{ lookup('file', '{KEY}') }}}}"
- deb822_repository:
    name: Other Repo
    types: [deb, deb-src]
    uris: [http://a.example/x, http://b.example/y]
    suites: ./
    enabled: false
    trusted: true
    by_hash: false
    date_max_future: 10
    inrelease_path: foo
    languages: [en, de]
    signed_by: /usr/share/keyrings/x.gpg
    mode: "0600"
- deb822_repository: {{name: chk, uris: http://c.example, suites: s, components: main}}
  check_mode: true
- deb822_repository: {{name: fetched, uris: http://c.example, suites: s, components: main, signed_by: "file://{KEY}"}}
- deb822_repository: {{name: gone, uris: http://c.example, suites: s, components: main}}
- deb822_repository: {{name: gone, state: absent}}
"""


def test_sources_files_written_as_ansible_writes_them(tmp_path) -> None:
    sources, keyrings = tmp_path / "sources.list.d", tmp_path / "keyrings"
    sources.mkdir()
    keyrings.mkdir()
    setup = (f"mount --bind {sources} /etc/apt/sources.list.d; mkdir -p /etc/apt/keyrings; "
             f"mount --bind {keyrings} /etc/apt/keyrings")
    first, second = run_in_namespaces(tmp_path, TASKS, ["mount"], setup=setup, runs=2)
    example, other, check, fetched, gone, removed = first["tasks"]
    armored = "\n".join(f"    {line or '.'}" for line in KEY.read_text().strip().splitlines())
    assert example["repo"] == (f"Architectures: amd64\nComponents: main contrib\nX-Repolib-Name: example\n"
                               f"Signed-By:\n{armored}\nSuites: stable\nTypes: deb\nURIs: https://dl.example.com/debian\n")
    assert (example["dest"], example["mode"], example["key_filename"]) == \
        ("/etc/apt/sources.list.d/example.sources", "0644", None)
    assert (sources / "example.sources").read_text() == example["repo"]
    assert other["repo"] == ("By-Hash: no\nDate-Max-Future: 10\nEnabled: no\nInrelease-Path: foo\nLanguages: en de\n"
                             "X-Repolib-Name: Other Repo\nSigned-By: /usr/share/keyrings/x.gpg\nSuites: ./\n"
                             "Trusted: yes\nTypes: deb deb-src\nURIs: http://a.example/x http://b.example/y\n")
    assert other["dest"] == "/etc/apt/sources.list.d/Other-Repo.sources" and other["mode"] == "0600"
    assert check == {"action": "deb822_repository", "changed": True, "dest": "/etc/apt/sources.list.d/chk.sources",
                     "key_filename": None,
                     "repo": "Components: main\nX-Repolib-Name: chk\nSuites: s\nTypes: deb\nURIs: http://c.example\n"}
    assert not (sources / "chk.sources").exists()
    assert fetched["key_filename"] == "/etc/apt/keyrings/fetched.asc"
    assert (keyrings / "fetched.asc").read_text() == KEY.read_text()
    assert "Signed-By: /etc/apt/keyrings/fetched.asc\n" in fetched["repo"]
    assert removed["changed"] is True and removed["repo"] is None and not (sources / "gone.sources").exists()
    assert [task["changed"] for task in second["tasks"]] == [False, False, True, False, True, True]
