"""corral-galaxy's version constraints and requirement forms, as ansible-galaxy reads them."""
from __future__ import annotations

import pytest
import yaml

from corral_cli_galaxy.requirements import (RequirementError, parse_collection_arg, parse_role_arg,
                                            read_requirements_file)
from corral_cli_galaxy.versions import Version, is_pinned, matches


@pytest.mark.parametrize(("version", "constraint", "expected"), [
    ("1.2.3", "*", True), ("1.2.3", "1.2.3", True), ("1.2.3", "==1.2.4", False),
    ("1.2.3", ">=1.0.0,<2.0.0", True), ("2.0.0", ">=1.0.0,<2.0.0", False), ("1.5.0", "!=1.5.0", False),
    ("1.10.0", ">1.9.0", True), ("1.0.0-beta.1", "<1.0.0", True), ("1.0.0", "<=1.0.0", True),
    ("*", ">=3.0.0", True),
])
def test_constraints(version, constraint, expected):
    assert matches(version, constraint) is expected


def test_semver_ordering_with_prereleases_and_build_metadata():
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
               "1.0.0", "1.0.1", "1.10.0"]
    assert sorted(reversed(ordered), key=Version) == ordered
    assert Version("1.0.0+build.5") == Version("1.0.0")


def test_pinned():
    assert is_pinned("1.0.0") and is_pinned("==1.0.0")
    assert not is_pinned("*") and not is_pinned(">=1.0.0") and not is_pinned(None)


def test_collection_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert parse_collection_arg("ns.coll:>=1.0").version == ">=1.0"
    git = parse_collection_arg("git+https://example.com/repo.git,v1.2")
    assert (git.type, git.name, git.version) == ("git", "git+https://example.com/repo.git", "v1.2")
    assert parse_collection_arg("https://example.com/ns-c-1.0.0.tar.gz").type == "url"
    (tmp_path / "ns-c-1.0.0.tar.gz").write_bytes(b"")
    assert parse_collection_arg("ns-c-1.0.0.tar.gz").type == "file"
    with pytest.raises(RequirementError, match="not an FQCN"):
        parse_collection_arg("notafqcn")
    with pytest.raises(RequirementError, match="Invalid version constraint"):
        parse_collection_arg("ns.coll:~>1.0")


def test_role_arguments():
    role = parse_role_arg("git+https://example.com/roles/web.git,v1.0")
    assert (role.src, role.scm, role.version, role.name) == ("https://example.com/roles/web.git", "git", "v1.0", "web")
    assert parse_role_arg("https://example.com/r/db.tar.gz,,database").name == "database"


def test_requirements_file_forms(tmp_path):
    path = tmp_path / "requirements.yml"
    path.write_text(yaml.safe_dump({"collections": ["ns.one", {"name": "ns.two", "version": ">=2", "source":
                                                               "https://hub.example.com/api/"}],
                                    "roles": [{"src": "https://example.com/r.tar.gz"}, "git+https://e.com/x.git"]}))
    collections, roles = read_requirements_file(str(path))
    assert [(c.name, c.version, c.source) for c in collections] == [
        ("ns.one", "*", None), ("ns.two", ">=2", "https://hub.example.com/api/")]
    assert [(r.name, r.scm) for r in roles] == [("r", None), ("x", "git")]
    path.write_text(yaml.safe_dump([{"src": "https://example.com/r.git", "scm": "git", "name": "legacy"}]))
    assert read_requirements_file(str(path)) == ([], [parse_role_arg("git+https://example.com/r.git,,legacy")])
    path.write_text("just text\n")
    with pytest.raises(RequirementError, match="Expecting requirements file"):
        read_requirements_file(str(path))
