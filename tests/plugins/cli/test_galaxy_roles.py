"""``corral-galaxy role install | list | remove`` and ``corral-galaxy install -r`` with
roles and collections: real tarballs, real git repositories, real installs, and the
oracle ansible-galaxy's output and layout on the same inputs where it is installed."""
from __future__ import annotations

import tarfile
from pathlib import Path

import yaml

from .galaxy_helpers import env  # noqa: F401 - the fixture
from .galaxy_helpers import (oracle, galaxy, git_commit, git_repo, make_collection, make_role,
                             oracle_galaxy)


def role_tarball(tmp_path: Path, name: str, message: str) -> Path:
    source = make_role(tmp_path / "rolesrc", name, message)
    tarball = tmp_path / f"{name}.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(source, arcname=name)
    return tarball


def install_info(role_dir: Path) -> dict[str, str]:
    return yaml.safe_load((role_dir / "meta" / ".galaxy_install_info").read_text())


def test_role_from_a_git_tag_and_a_file_url_with_requirements(tmp_path, env):
    repo = git_repo(make_role(tmp_path / "repos", "webserver", "v1"), tag="v1.0")
    (repo / "tasks" / "main.yml").write_text("- debug:\n    msg: v2\n")
    git_commit(repo, "v2")
    tarball = role_tarball(tmp_path, "database", "db")
    requirements = tmp_path / "requirements.yml"
    requirements.write_text(yaml.safe_dump({"roles": [
        {"src": f"git+file://{repo}", "version": "v1.0", "name": "web"},
        {"src": f"file://{tarball}", "name": "db"}]}))
    roles = tmp_path / "roles"
    proc = galaxy("role", "install", "-r", requirements, "-p", roles, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "Starting galaxy role install process",
        f"- extracting web to {roles}/web",
        "- web (v1.0) was installed successfully",
        f"- downloading role from file://{tarball}",
        f"- extracting db to {roles}/db",
        "- db was installed successfully"]
    assert "msg: 'v1'" in (roles / "web" / "tasks" / "main.yml").read_text()
    assert install_info(roles / "web")["version"] == "v1.0" and install_info(roles / "db")["version"] == ""
    assert not (roles / "web" / ".git").exists()

    again = galaxy("role", "install", "-r", requirements, "-p", roles, cwd=tmp_path, env=env)
    assert again.stdout.splitlines()[1:] == ["- web (v1.0) is already installed, skipping.",
                                             "- db is already installed, skipping."]
    other = galaxy("role", "install", f"git+file://{repo},main,web", "-p", roles, cwd=tmp_path, env=env)
    assert other.stderr.strip() == "[WARNING]: - web (v1.0) is already installed - use --force to change version to main"
    forced = galaxy("role", "install", f"git+file://{repo},main,web", "-p", roles, "--force", cwd=tmp_path, env=env)
    assert forced.stdout.splitlines()[1] == "- changing role web from v1.0 to main"
    assert "msg: v2" in (roles / "web" / "tasks" / "main.yml").read_text()


def test_role_tarball_argument_and_list_and_remove(tmp_path, env):
    tarball = role_tarball(tmp_path, "common", "common")
    roles = tmp_path / "roles"
    proc = galaxy("role", "install", tarball.name, "-p", roles, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (roles / "common.tar.gz" / "tasks" / "main.yml").is_file()  # a local tarball keeps its name, as in Ansible
    listed = galaxy("role", "list", "-p", roles, cwd=tmp_path, env=env)
    assert listed.stdout.splitlines() == [f"# {roles}", "- common.tar.gz, (unknown version)"]
    missing = galaxy("role", "list", "nothere", "-p", roles, cwd=tmp_path, env=env)
    assert missing.stdout.splitlines() == ["- the role nothere was not found"]
    removed = galaxy("role", "remove", "common.tar.gz", "nothere", "-p", roles, cwd=tmp_path, env=env)
    assert removed.stdout.splitlines() == ["- successfully removed common.tar.gz", "- nothere is not installed, skipping."]
    assert not (roles / "common.tar.gz").exists()


def test_role_dependencies_from_meta_main_and_meta_requirements(tmp_path, env):
    dep_a = git_repo(make_role(tmp_path / "repos", "dep_a", "a"))
    dep_b = git_repo(make_role(tmp_path / "repos", "dep_b", "b"))
    top = make_role(tmp_path / "repos", "top", "top",
                    dependencies=[{"src": f"git+file://{dep_a}", "name": "dep_a"}, "local_only_role"])
    (top / "meta" / "requirements.yml").write_text(yaml.safe_dump([{"src": f"git+file://{dep_b}", "name": "dep_b"}]))
    git_repo(top)
    roles = tmp_path / "roles"
    proc = galaxy("role", "install", f"git+file://{top}", "-p", roles, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in roles.iterdir()) == ["dep_a", "dep_b", "top"]
    assert "- adding dependency: dep_b" in proc.stdout and "- adding dependency: dep_a" in proc.stdout
    no_deps = galaxy("role", "install", f"git+file://{top}", "-p", tmp_path / "alone", "--no-deps",
                     cwd=tmp_path, env=env)
    assert no_deps.returncode == 0 and [p.name for p in (tmp_path / "alone").iterdir()] == ["top"]


def test_failed_role_is_an_error_unless_ignored(tmp_path, env):
    (tmp_path / "notarole.tar.gz").write_bytes(b"not a tarball")
    good = role_tarball(tmp_path, "good", "good")
    proc = galaxy("role", "install", "notarole.tar.gz", str(good), "-p", tmp_path / "roles", cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert "[ERROR]: - notarole.tar.gz was NOT installed successfully" in proc.stderr
    ignored = galaxy("role", "install", "notarole.tar.gz", str(good), "-p", tmp_path / "roles", "--ignore-errors",
                     cwd=tmp_path, env=env)
    assert ignored.returncode == 0
    assert (tmp_path / "roles" / "good.tar.gz" / "tasks" / "main.yml").is_file()  # a path's last component


def test_old_style_list_requirements_file(tmp_path, env):
    repo = git_repo(make_role(tmp_path / "repos", "legacy", "legacy"))
    requirements = tmp_path / "roles.yml"
    requirements.write_text(yaml.safe_dump([{"src": str(repo), "scm": "git", "name": "legacy"}]))
    proc = galaxy("install", "-r", requirements, "-p", tmp_path / "roles", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "roles" / "legacy" / "meta" / "main.yml").is_file()


def test_install_requirements_with_roles_and_collections(tmp_path, env):
    tarball = tmp_path / "out"
    built = galaxy("collection", "build", make_collection(tmp_path / "src", "acme", "base", "1.0.0"),
                   "--output-path", tarball, cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stderr
    role = git_repo(make_role(tmp_path / "repos", "site", "site"))
    requirements = tmp_path / "requirements.yml"
    requirements.write_text(yaml.safe_dump({
        "roles": [{"src": f"git+file://{role}", "name": "site"}],
        "collections": [{"name": str(tarball / "acme-base-1.0.0.tar.gz"), "type": "file"}]}))
    configured = {**env, "ANSIBLE_ROLES_PATH": str(tmp_path / "r"), "ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "c")}
    proc = galaxy("install", "-r", requirements, cwd=tmp_path, env=configured)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "Starting galaxy role install process",
        f"- extracting site to {tmp_path}/r/site",
        "- site was installed successfully",
        "Starting galaxy collection install process",
        "Process install dependency map",
        "Starting collection install process",
        f"Installing 'acme.base:1.0.0' to '{tmp_path}/c/ansible_collections/acme/base'",
        "acme.base:1.0.0 was installed successfully"]
    with_path = galaxy("install", "-r", requirements, "-p", tmp_path / "only", cwd=tmp_path, env=configured)
    assert "contains collections which will be ignored" in with_path.stderr
    assert [p.name for p in (tmp_path / "only").iterdir()] == ["site"]


@oracle
def test_role_install_output_and_layout_match_the_oracle(tmp_path, env):
    repo = git_repo(make_role(tmp_path / "repos", "webserver", "v1"), tag="v1.0")
    tarball = role_tarball(tmp_path, "database", "db")
    requirements = tmp_path / "requirements.yml"
    requirements.write_text(yaml.safe_dump({"roles": [
        {"src": f"git+file://{repo}", "version": "v1.0", "name": "web"},
        {"src": f"file://{tarball}", "name": "db"}]}))
    for args in (["-r", requirements], ["-r", requirements], ["-r", requirements, "--force"]):
        ours = galaxy("role", "install", *args, "-p", tmp_path / "corral", cwd=tmp_path, env=env)
        theirs = oracle_galaxy("role", "install", *args, "-p", tmp_path / "oracle", cwd=tmp_path, env=env)
        assert ours.returncode == theirs.returncode == 0
        assert ours.stdout.replace("/corral/", "/X/") == theirs.stdout.replace("/oracle/", "/X/")
    for who in ("corral", "oracle"):
        listed = (galaxy if who == "corral" else oracle_galaxy)("role", "list", "-p", tmp_path / who,
                                                                cwd=tmp_path, env=env)
        lines = listed.stdout.replace(f"/{who}", "/X").splitlines()  # ansible-galaxy lists in directory order
        assert lines[0] == f"# {tmp_path}/X" and sorted(lines[1:]) == ["- db, (unknown version)", "- web, v1.0"]

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and p.name != ".galaxy_install_info"}

    assert files(tmp_path / "corral") == files(tmp_path / "oracle")
    for role in ("web", "db"):
        ours, theirs = install_info(tmp_path / "corral" / role), install_info(tmp_path / "oracle" / role)
        assert ours["version"] == theirs["version"] and set(ours) == set(theirs)
