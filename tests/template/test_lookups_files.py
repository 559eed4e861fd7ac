"""corral_template_lookups.files and .commands: file, unvault, template, fileglob,
first_found, pipe, lines."""
from __future__ import annotations

import pytest

from corral.errors import CorralError, CorralFileNotFound, CorralUndefinedVariable
from corral.parsing.vault import VaultLib, VaultSecret
from corral_template_lookups.files import FileLookup, FirstFoundLookup


@pytest.fixture
def tree(tmp_path):
    """A playbook directory (the loader's base) with files/, templates/ and a role."""
    (tmp_path / "files" / "sub").mkdir(parents=True)
    (tmp_path / "files" / "a.txt").write_text("  alpha  \n\n")
    (tmp_path / "files" / "b.txt").write_text("beta\n")
    (tmp_path / "files" / "sub" / "c.txt").write_text("gamma\n")
    (tmp_path / "files" / "dir.txt").mkdir()
    (tmp_path / "beside.txt").write_text("beside\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.j2").write_text("{{ greeting }} {{ who | default('world') }}\n")
    (tmp_path / "templates" / "bad.j2").write_text("{{ nope }}\n")
    role = tmp_path / "roles" / "r"
    (role / "files").mkdir(parents=True)
    (role / "files" / "a.txt").write_text("from role\n")
    (role / "templates").mkdir()
    (role / "templates" / "t.j2").write_text("role {{ greeting }}")
    return tmp_path


def test_file(render, tree):
    assert render("{{ lookup('file', 'a.txt') }}") == "  alpha"
    assert render("{{ lookup('file', 'a.txt', lstrip=True) }}") == "alpha"
    assert render("{{ lookup('file', 'a.txt', rstrip=False) }}") == "  alpha  \n\n"
    assert render("{{ lookup('file', 'b.txt', 'sub/c.txt') }}") == "beta,gamma"
    assert render("{{ query('file', 'beside.txt') }}") == ["beside"]
    assert render("{{ lookup('file', path) }}", path=str(tree / "files" / "b.txt")) == "beta"


def test_file_prefers_the_roles_files(render, tree):
    assert render("{{ lookup('file', 'a.txt') }}", role_path=str(tree / "roles" / "r")) == "from role"


def test_file_missing_and_bad_input(render, tree):
    with pytest.raises(CorralFileNotFound, match="Unable to access the file 'nope.txt': File not found"):
        render("{{ lookup('file', 'nope.txt') }}")
    with pytest.raises(CorralFileNotFound, match="dir.txt"):
        render("{{ lookup('file', 'dir.txt') }}")
    assert render("{{ lookup('file', 'nope.txt', errors='ignore') }}") is None
    # a keyword option the lookup does not know is ignored, as in ansible-core
    assert render("{{ lookup('file', 'a.txt', strip=True) }}") == render("{{ lookup('file', 'a.txt') }}")
    with pytest.raises(CorralUndefinedVariable, match="missing"):
        render("{{ lookup('file', missing) }}")


def test_file_and_unvault_decrypt_vaults(render, loader, tree):
    secrets = [("default", VaultSecret(b"s3cret"))]
    (tree / "files" / "vaulted.txt").write_bytes(VaultLib(secrets).encrypt("hidden text\n"))
    loader.set_vault_secrets(secrets)
    assert render("{{ lookup('file', 'vaulted.txt') }}") == "hidden text"
    assert render("{{ lookup('unvault', 'vaulted.txt') }}") == "hidden text\n"
    assert render("{{ lookup('unvault', 'b.txt') }}") == "beta\n"


def test_file_without_loader_reads_relative_to_cwd(tree, monkeypatch):
    monkeypatch.chdir(tree)
    assert FileLookup().run(["b.txt"]) == ["beta"]


def test_template(render, tree):
    assert render("{{ lookup('template', 't.j2') }}", greeting="hi") == "hi world\n"
    assert render("{{ lookup('template', 't.j2', template_vars={'who': 'you'}) }}", greeting="hi") == "hi you\n"
    assert render("{{ lookup('template', 't.j2') }}", greeting="hi", role_path=str(tree / "roles" / "r")) == \
        "role hi"


def test_template_knows_its_path(render, tree):
    (tree / "templates" / "where.j2").write_text("{{ template_path }} {{ template_basename }} {{ template_fullpath }}")
    assert render("{{ lookup('template', 'where.j2') }}") == \
        f"where.j2 where.j2 {tree / 'templates' / 'where.j2'}"


def test_template_errors(render, tree):
    with pytest.raises(CorralUndefinedVariable, match="nope"):
        render("{{ lookup('template', 'bad.j2') }}")
    with pytest.raises(CorralFileNotFound):
        render("{{ lookup('template', 'none.j2') }}")
    with pytest.raises(CorralError, match="template_vars must be a dictionary"):
        render("{{ lookup('template', 't.j2', template_vars=[1]) }}", greeting="x")


def test_fileglob(render, tree):
    assert [p.rsplit("/", 1)[1] for p in render("{{ query('fileglob', '*.txt') }}")] == ["a.txt", "b.txt"]
    assert render("{{ query('fileglob', 'sub/*.txt') }}") == [str(tree / "files" / "sub" / "c.txt")]
    assert render("{{ query('fileglob', 'none/*') }}") == []
    assert render("{{ query('fileglob', '*.nothing') }}") == []
    assert render("{{ query('fileglob', p) }}", p=str(tree / "*.txt")) == [str(tree / "beside.txt")]


def test_first_found(render, tree):
    first = "{{ lookup('first_found', files) }}"
    assert render(first, files=["x.txt", "b.txt", "a.txt"]) == str(tree / "files" / "b.txt")
    assert render("{{ lookup('first_found', 'x.txt,a.txt') }}") == str(tree / "files" / "a.txt")
    assert render("{{ lookup('first_found', 'x.txt;beside.txt') }}") == str(tree / "beside.txt")
    found = render("{{ lookup('first_found', {'files': ['x', 'c.txt'], 'paths': ['files/no:files/sub']}) }}")
    assert found == str(tree / "files" / "sub" / "c.txt")
    assert render("{{ lookup('first_found', files=['x', 'c.txt'], paths=['files/sub']) }}") == found
    assert render("{{ query('first_found', ['x.txt'], skip=True) }}") == []
    assert render("{{ query('first_found', {'files': 'x.txt', 'skip': True}) }}") == []


def test_first_found_in_a_roles_vars_and_tasks(render, tree):
    role = tree / "roles" / "r"
    (role / "vars").mkdir()
    (role / "vars" / "Debian.yml").write_text("a: 1\n")
    (role / "tasks").mkdir()
    (role / "tasks" / "setup.yml").write_text("- debug:\n")
    found = "{{ lookup('first_found', ['RedHat.yml', 'Debian.yml']) }}"
    assert render(found, role_path=str(role)) == str(role / "vars" / "Debian.yml")
    assert render("{{ lookup('first_found', 'setup.yml') }}", role_path=str(role)) == str(role / "tasks" / "setup.yml")
    assert render("{{ lookup('first_found', 'a.txt') }}", role_path=str(role)) == str(role / "files" / "a.txt")


def test_first_found_errors(render, tree):
    with pytest.raises(CorralFileNotFound, match="No file was found when using first_found.*x.txt"):
        render("{{ lookup('first_found', ['x.txt']) }}")
    with pytest.raises(CorralError, match="Unrecognized parameter.*file"):
        render("{{ lookup('first_found', {'file': 'x'}) }}")
    with pytest.raises(CorralUndefinedVariable):
        render("{{ lookup('first_found', [missing]) }}")
    assert FirstFoundLookup().run([], skip=True) == []


def test_pipe_and_lines(render, tree):
    assert render("{{ lookup('pipe', 'echo hello; echo world') }}") == "hello\nworld"
    assert render("{{ lookup('pipe', 'cat beside.txt') }}") == "beside"
    assert render("{{ query('lines', 'printf \"a\\nb\\n\"') }}") == ["a", "b"]
    assert render("{{ query('lines', 'true') }}") == []
    assert render("{{ query('pipe', 'echo 1', 'echo 2') }}") == ["1", "2"]


def test_pipe_failures(render, tree):
    with pytest.raises(CorralError, match=r"lookup_plugin.pipe\(exit 3\) returned 3"):
        render("{{ lookup('pipe', 'exit 3') }}")
    with pytest.raises(CorralError, match="lookup_plugin.lines.*returned 1: oops"):
        render("{{ lookup('lines', 'echo oops >&2; false') }}")
    with pytest.raises(CorralUndefinedVariable):
        render("{{ lookup('pipe', missing) }}")
