"""``corral-galaxy collection build | install | list``: real tarballs built in a temp
dir, real git repositories, real installs, a Galaxy-v3-shaped server on loopback, and
comparisons with the oracle ansible-galaxy (layout and output) where it is installed."""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tarfile
from pathlib import Path

import yaml

from .galaxy_helpers import env  # noqa: F401 - the fixture
from .galaxy_helpers import (oracle, galaxy, galaxy_server, git_commit, git_repo,
                            make_collection, oracle_galaxy, run)


def build(source: Path, out: Path, env: dict[str, str]) -> Path:
    proc = galaxy("collection", "build", source, "--output-path", out, cwd=source.parent, env=env)
    assert proc.returncode == 0, proc.stderr
    return Path(proc.stdout.strip().rsplit(" at ", 1)[1])


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its sha256 (directories as 'dir')."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        found[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def files_json_entries(collection: Path) -> dict[str, object]:
    return {entry["name"]: entry["chksum_sha256"]
            for entry in json.loads((collection / "FILES.json").read_text())["files"]}


# -- build -------------------------------------------------------------------


def test_build_writes_manifest_and_files_json_and_honours_build_ignore(tmp_path, env):
    source = make_collection(tmp_path / "src", "acme", "tools", "1.2.0", {"acme.base": ">=1.0.0"})
    tarball = build(source, tmp_path / "out", env)
    assert tarball == tmp_path / "out" / "acme-tools-1.2.0.tar.gz"
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("MANIFEST.json"))
        files_raw = archive.extractfile("FILES.json").read()
        module = archive.extractfile("plugins/modules/greet.py").read()
    assert names[:2] == ["MANIFEST.json", "FILES.json"]
    assert "debug.log" not in names and "scratch" not in names and "galaxy.yml" not in names
    assert {"README.md", "meta/runtime.yml", "plugins/modules/greet.py", "roles/hello/tasks/main.yml"} <= set(names)
    info = manifest["collection_info"]
    assert list(info) == ["namespace", "name", "version", "authors", "readme", "tags", "description", "license",
                          "license_file", "dependencies", "repository", "documentation", "homepage", "issues"]
    assert (info["namespace"], info["name"], info["version"]) == ("acme", "tools", "1.2.0")
    assert info["dependencies"] == {"acme.base": ">=1.0.0"}
    assert manifest["file_manifest_file"]["chksum_sha256"] == hashlib.sha256(files_raw).hexdigest()
    entries = {e["name"]: e for e in json.loads(files_raw)["files"]}
    assert entries["."]["ftype"] == "dir" and entries["plugins/modules"]["ftype"] == "dir"
    assert entries["plugins/modules/greet.py"]["chksum_sha256"] == hashlib.sha256(module).hexdigest()


def test_build_refuses_to_overwrite_without_force(tmp_path, env):
    source = make_collection(tmp_path / "src", "acme", "tools", "1.0.0")
    tarball = build(source, tmp_path, env)
    again = galaxy("collection", "build", source, "--output-path", tmp_path, cwd=tmp_path, env=env)
    assert again.returncode == 1
    assert again.stderr == (f"[ERROR]: The file '{tarball}' already exists. You can use --force to re-create the "
                            f"collection artifact.\n")
    assert galaxy("collection", "build", source, "--output-path", tmp_path, "--force",
                  cwd=tmp_path, env=env).returncode == 0


def test_build_needs_galaxy_yml(tmp_path, env):
    proc = galaxy("collection", "build", tmp_path, cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert "galaxy.yml" in proc.stderr and proc.stderr.startswith("[ERROR]: ")


# -- install from a tarball, a directory, git ------------------------------------


def test_install_tarball_with_its_dependency_and_output(tmp_path, env):
    base = build(make_collection(tmp_path / "src", "acme", "base", "1.1.0"), tmp_path / "out", env)
    tools = build(make_collection(tmp_path / "src", "acme", "tools", "2.0.0", {"acme.base": ">=1.0.0,<2.0.0"}),
                  tmp_path / "out", env)
    dest = tmp_path / "cols"
    proc = galaxy("collection", "install", tools, base, "-p", dest, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    root = dest / "ansible_collections"
    assert proc.stdout.splitlines() == [
        "Starting galaxy collection install process",
        "Process install dependency map",
        "Starting collection install process",
        f"Installing 'acme.tools:2.0.0' to '{root}/acme/tools'",
        "acme.tools:2.0.0 was installed successfully",
        f"Installing 'acme.base:1.1.0' to '{root}/acme/base'",
        "acme.base:1.1.0 was installed successfully",
    ]
    assert "is not part of the configured Ansible collections paths" in proc.stderr
    installed = root / "acme" / "tools"
    assert (installed / "MANIFEST.json").is_file() and (installed / "FILES.json").is_file()
    for name, checksum in files_json_entries(installed).items():
        if checksum:
            assert hashlib.sha256((installed / name).read_bytes()).hexdigest() == checksum
    assert not any(p.name.startswith(".") for p in (root / "acme").iterdir())  # no staging dirs left behind

    again = galaxy("collection", "install", tools, base, "-p", dest, cwd=tmp_path, env=env)
    assert again.stdout.splitlines() == [
        "Starting galaxy collection install process",
        "Nothing to do. All requested collections are already installed. If you want to reinstall them, consider "
        "using `--force`."]


def test_missing_dependency_offline_is_a_clear_error(tmp_path, env):
    tools = build(make_collection(tmp_path / "src", "acme", "tools", "2.0.0", {"acme.base": ">=1.0.0,<2.0.0"}),
                  tmp_path / "out", env)
    proc = galaxy("collection", "install", tools, "-p", tmp_path / "cols", "--offline", cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert ("[ERROR]: Failed to resolve the requested dependencies map. Could not satisfy the following "
            "requirements:\n* acme.base:>=1.0.0,<2.0.0 (dependency of acme.tools:2.0.0)") in proc.stderr
    assert not (tmp_path / "cols" / "ansible_collections" / "acme" / "tools").exists()
    no_deps = galaxy("collection", "install", tools, "-p", tmp_path / "cols", "--no-deps", cwd=tmp_path, env=env)
    assert no_deps.returncode == 0 and (tmp_path / "cols" / "ansible_collections" / "acme" / "tools").is_dir()


def test_conflicting_requirements_name_the_candidate_and_the_requirements(tmp_path, env):
    base = build(make_collection(tmp_path / "src", "acme", "base", "1.0.0"), tmp_path / "out", env)
    proc = galaxy("collection", "install", base, "acme.base:>=2.0", "-p", tmp_path / "cols", "--offline",
                  cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert ("[ERROR]: Failed to resolve the requested dependencies map. Got the candidate acme.base:1.0.0 (direct "
            "request) which didn't satisfy all of the following requirements:\n* acme.base:1.0.0\n"
            "* acme.base:>=2.0\n") in proc.stderr


def test_force_reinstalls_and_replaces_the_tree(tmp_path, env):
    source = make_collection(tmp_path / "src", "acme", "base", "1.0.0")
    tarball = build(source, tmp_path / "out", env)
    dest = tmp_path / "cols"
    assert galaxy("collection", "install", tarball, "-p", dest, cwd=tmp_path, env=env).returncode == 0
    stray = dest / "ansible_collections" / "acme" / "base" / "stray.txt"
    stray.write_text("left by hand")
    proc = galaxy("collection", "install", tarball, "-p", dest, "--force", cwd=tmp_path, env=env)
    assert proc.returncode == 0 and "acme.base:1.0.0 was installed successfully" in proc.stdout
    assert not stray.exists()


def test_corrupted_tarball_is_refused_and_nothing_is_installed(tmp_path, env):
    tarball = build(make_collection(tmp_path / "src", "acme", "base", "1.0.0"), tmp_path / "out", env)
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(tarball) as src, tarfile.open(bad, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name == "README.md":
                data = b"tampered\n"
                member.size = len(data)
            dst.addfile(member, None if data is None else __import__("io").BytesIO(data))
    proc = galaxy("collection", "install", bad, "-p", tmp_path / "cols", cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert "Checksum mismatch for 'README.md'" in proc.stderr
    assert not (tmp_path / "cols" / "ansible_collections" / "acme" / "base").exists()
    (tmp_path / "text.tar.gz").write_text("not a tarball")
    proc = galaxy("collection", "install", tmp_path / "text.tar.gz", "-p", tmp_path / "cols", cwd=tmp_path, env=env)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == f"[ERROR]: Collection artifact at '{tmp_path}/text.tar.gz' is not a valid tar file.\n"


def test_install_source_directory_builds_manifest(tmp_path, env):
    source = make_collection(tmp_path / "src", "acme", "tools", "3.0.0")
    proc = galaxy("collection", "install", source, "-p", tmp_path / "cols", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    dest = tmp_path / "cols" / "ansible_collections" / "acme" / "tools"
    assert f"Created collection for acme.tools:3.0.0 at {dest}" in proc.stdout.splitlines()
    assert json.loads((dest / "MANIFEST.json").read_text())["collection_info"]["version"] == "3.0.0"
    assert not (dest / "galaxy.yml").exists() and not (dest / "debug.log").exists()
    assert set(files_json_entries(dest)) == {".", *(str(p.relative_to(dest)) for p in dest.rglob("*")
                                                    if p.name not in ("MANIFEST.json", "FILES.json"))}


def test_install_an_installed_tree_rebuilds_it_without_caches(tmp_path, env):
    tarball = build(make_collection(tmp_path / "src", "acme", "base", "1.0.0"), tmp_path / "out", env)
    assert galaxy("collection", "install", tarball, "-p", tmp_path / "a", cwd=tmp_path, env=env).returncode == 0
    installed = tmp_path / "a" / "ansible_collections" / "acme" / "base"
    (installed / "plugins" / "modules" / "__pycache__").mkdir()
    (installed / "plugins" / "modules" / "__pycache__" / "greet.cpython-311.pyc").write_bytes(b"\0")
    proc = galaxy("collection", "install", installed, "-p", tmp_path / "b", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    copy = tmp_path / "b" / "ansible_collections" / "acme" / "base"
    assert f"Created collection for acme.base:1.0.0 at {copy}" in proc.stdout
    assert not (copy / "plugins" / "modules" / "__pycache__").exists()
    assert files_json_entries(copy) == files_json_entries(installed)
    assert json.loads((copy / "MANIFEST.json").read_text()) == json.loads((installed / "MANIFEST.json").read_text())
    again = galaxy("collection", "install", installed, "-p", tmp_path / "b", cwd=tmp_path, env=env)
    assert "Nothing to do." in again.stdout


def test_install_from_git_at_a_tag_and_at_head(tmp_path, env):
    source = git_repo(make_collection(tmp_path / "src", "acme", "gitcoll", "1.0.0"), tag="1.0.0")
    (source / "galaxy.yml").write_text((source / "galaxy.yml").read_text().replace("1.0.0", "1.1.0"))
    git_commit(source, "1.1.0")
    url = f"git+file://{source}"
    proc = galaxy("collection", "install", f"{url},1.0.0", "-p", tmp_path / "a", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "acme.gitcoll:1.0.0 was installed successfully" in proc.stdout
    proc = galaxy("collection", "install", url, "-p", tmp_path / "b", cwd=tmp_path, env=env)
    assert "acme.gitcoll:1.1.0 was installed successfully" in proc.stdout
    listed = galaxy("collection", "list", "-p", tmp_path / "b", "--format", "json", cwd=tmp_path, env=env)
    assert json.loads(listed.stdout) == {
        f"{tmp_path / 'b'}/ansible_collections": {"acme.gitcoll": {"version": "1.1.0"}}}


def test_git_repository_with_several_collections_in_subdirectories(tmp_path, env):
    repo = tmp_path / "multi"
    make_collection(repo, "acme", "one", "1.0.0")
    make_collection(repo, "acme", "two", "2.0.0")
    git_repo(repo)
    proc = galaxy("collection", "install", f"git+file://{repo}", "-p", tmp_path / "cols", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "acme.one:1.0.0 was installed successfully" in proc.stdout
    assert "acme.two:2.0.0 was installed successfully" in proc.stdout


def test_requirements_file_with_every_source_type(tmp_path, env):
    tarball = build(make_collection(tmp_path / "src", "acme", "base", "1.0.0"), tmp_path / "out", env)
    dir_source = make_collection(tmp_path / "src", "acme", "fromdir", "0.1.0", {"acme.base": "*"})
    git_source = git_repo(make_collection(tmp_path / "gitsrc", "acme", "fromgit", "4.0.0"), tag="v4")
    subdirs = tmp_path / "nsdir"
    make_collection(subdirs, "other", "alpha", "1.0.0")
    requirements = tmp_path / "requirements.yml"
    requirements.write_text(yaml.safe_dump({"collections": [
        {"name": str(tarball), "type": "file"},
        {"name": str(dir_source), "type": "dir"},
        {"name": f"git+file://{git_source}", "type": "git", "version": "v4"},
        {"name": str(subdirs / "other"), "type": "subdirs"},
    ]}))
    proc = galaxy("collection", "install", "-r", requirements, "-p", tmp_path / "cols", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    listed = galaxy("collection", "list", "-p", tmp_path / "cols", cwd=tmp_path, env=env)
    assert listed.stdout.splitlines() == [
        "", f"# {tmp_path / 'cols'}/ansible_collections",
        "Collection   Version",
        "------------ -------",
        "acme.base    1.0.0  ",
        "acme.fromdir 0.1.0  ",
        "acme.fromgit 4.0.0  ",
        "other.alpha  1.0.0  "]


# -- collection list ---------------------------------------------------------


def test_list_default_paths_include_the_configured_path_and_sys_path(tmp_path, env):
    tarball = build(make_collection(tmp_path / "src", "acme", "base", "1.0.0"), tmp_path / "out", env)
    configured = tmp_path / "configured"
    env = {**env, "ANSIBLE_COLLECTIONS_PATH": str(configured)}
    installed = galaxy("collection", "install", tarball, cwd=tmp_path, env=env)
    assert installed.returncode == 0 and "not part of the configured" not in installed.stderr
    on_sys_path = tmp_path / "site"
    make_collection(on_sys_path / "ansible_collections", "pipns", "pkg", "9.9.9")
    listed = galaxy("collection", "list", "--format", "yaml", cwd=tmp_path, env={**env, "PYTHONPATH": str(on_sys_path)})
    data = yaml.safe_load(listed.stdout)
    assert data[f"{configured}/ansible_collections"] == {"acme.base": {"version": "1.0.0"}}
    assert data[f"{on_sys_path}/ansible_collections"] == {"pipns.pkg": {"version": "9.9.9"}}
    one = galaxy("collection", "list", "acme.base", cwd=tmp_path, env=env)
    assert one.stdout.splitlines()[1:] == [f"# {configured}/ansible_collections", "Collection Version",
                                           "---------- -------", "acme.base  1.0.0  "]


def test_list_width_spans_every_path(tmp_path, env):
    for path, (ns, name) in (("p1", ("a", "b")), ("p2", ("longnamespace", "longcollection"))):
        make_collection(tmp_path / path / "ansible_collections", ns, name, "1.0.0")
    listed = galaxy("collection", "list", "-p", f"{tmp_path / 'p1'}:{tmp_path / 'p2'}", cwd=tmp_path, env=env)
    width = len("longnamespace.longcollection")
    assert f"{'a.b':{width}} 1.0.0  " in listed.stdout.splitlines()


def test_corral_plugins_lists_the_distribution_and_runs_it_as_a_subcommand(tmp_path, env):
    make_collection(tmp_path / "cols" / "ansible_collections", "acme", "base", "1.0.0")
    plugins = Path(sys.executable).parent / "corral-plugins"
    listed = run([plugins], tmp_path, env)
    assert any(line.split()[:2] == ["galaxy", "corral-cli-galaxy"] for line in listed.stdout.splitlines())
    via_plugins = run([plugins, "galaxy", "collection", "list", "-p", tmp_path / "cols"], tmp_path, env)
    direct = galaxy("collection", "list", "-p", tmp_path / "cols", cwd=tmp_path, env=env)
    assert via_plugins.returncode == direct.returncode == 0
    assert via_plugins.stdout == direct.stdout and "acme.base  1.0.0" in direct.stdout


# -- a Galaxy v3 server ------------------------------------------------------


def test_install_from_galaxy_server_resolves_versions_and_dependencies(tmp_path, env):
    out = tmp_path / "out"
    with galaxy_server() as server:
        for version in ("1.0.0", "1.5.0", "2.0.0", "2.1.0-beta.1"):
            server.publish(build(make_collection(tmp_path / f"src{version}", "acme", "base", version), out, env))
        server.publish(build(make_collection(tmp_path / "srct", "acme", "tools", "1.0.0",
                                             {"acme.base": ">=1.0.0,<2.0.0"}), out, env))
        cols = tmp_path / "cols"
        proc = galaxy("collection", "install", "acme.tools", "-p", cols, "-s", server.url, "--token", "s3cret",
                      cwd=tmp_path, env=env)
        assert proc.returncode == 0, proc.stderr
        assert "acme.base:1.5.0 was installed successfully" in proc.stdout  # newest that the dependency allows
        assert all(auth == "Token s3cret" for path, auth in server.requests if "/api/" in path)
        info = yaml.safe_load((cols / "ansible_collections" / "acme.tools-1.0.0.info" / "GALAXY.yml").read_text())
        assert info["version"] == "1.0.0" and info["server"] == server.url

        proc = galaxy("collection", "install", "acme.base", "-p", tmp_path / "newest", "-s", server.url,
                      cwd=tmp_path, env=env)
        assert "acme.base:2.0.0 was installed successfully" in proc.stdout  # not the pre-release
        proc = galaxy("collection", "install", "acme.base", "--pre", "-p", tmp_path / "pre", "-s", server.url,
                      cwd=tmp_path, env=env)
        assert "acme.base:2.1.0-beta.1 was installed successfully" in proc.stdout
        proc = galaxy("collection", "install", "acme.base:!=2.0.0,>1.0.0", "-p", tmp_path / "ne", "-s", server.url,
                      cwd=tmp_path, env=env)
        assert "acme.base:1.5.0 was installed successfully" in proc.stdout

        # already satisfied: nothing to do; --upgrade moves to the newest
        proc = galaxy("collection", "install", "acme.base:>=1.0.0", "-p", cols, "-s", server.url, cwd=tmp_path, env=env)
        assert "Nothing to do." in proc.stdout
        proc = galaxy("collection", "install", "acme.base", "--upgrade", "-p", cols, "-s", server.url,
                      cwd=tmp_path, env=env)
        # as with ansible-galaxy, collections installed earlier do not constrain an upgrade
        assert proc.stdout.splitlines()[3:] == [
            f"Downloading {server.url[:-4]}download/acme-base-2.0.0.tar.gz to {proc.stdout.split(' to ')[1].split()[0]}",
            f"Installing 'acme.base:2.0.0' to '{cols}/ansible_collections/acme/base'",
            "acme.base:2.0.0 was installed successfully"]
        assert not (cols / "ansible_collections" / "acme.base-1.5.0.info").exists()


def test_galaxy_server_from_config_and_requirements_source(tmp_path, env):
    out = tmp_path / "out"
    with galaxy_server() as server:
        server.publish(build(make_collection(tmp_path / "src", "acme", "base", "1.0.0"), out, env))
        (tmp_path / "ansible.cfg").write_text(
            f"[galaxy]\nserver_list = private\n\n[galaxy_server.private]\nurl = {server.url}\ntoken = from-cfg\n")
        proc = galaxy("collection", "install", "acme.base", "-p", tmp_path / "a", cwd=tmp_path, env=env)
        assert proc.returncode == 0, proc.stderr
        assert ("/api/v3/collections/acme/base/versions/", "Token from-cfg") in server.requests
        by_name = galaxy("collection", "install", "acme.base", "-s", "private", "-p", tmp_path / "n",
                         cwd=tmp_path, env=env)
        assert by_name.returncode == 0, by_name.stderr
        (tmp_path / "ansible.cfg").unlink()
        from_env = {**env, "ANSIBLE_GALAXY_SERVER_LIST": "hub", "ANSIBLE_GALAXY_SERVER_HUB_URL": server.url,
                    "CORRAL_GALAXY_SERVER_HUB_TOKEN": "from-env"}
        proc = galaxy("collection", "install", "acme.base", "-p", tmp_path / "e", cwd=tmp_path, env=from_env)
        assert proc.returncode == 0, proc.stderr
        assert server.requests[-1][1] == "Token from-env"
        requirements = tmp_path / "req.yml"
        requirements.write_text(yaml.safe_dump({"collections": [{"name": "acme.base", "version": "==1.0.0",
                                                                 "source": server.url}]}))
        proc = galaxy("collection", "install", "-r", requirements, "-p", tmp_path / "b", cwd=tmp_path, env=env)
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / "b" / "ansible_collections" / "acme" / "base" / "MANIFEST.json").is_file()


def test_unreachable_server_is_an_error(tmp_path, env):
    proc = galaxy("collection", "install", "acme.base", "-p", tmp_path, "-s", "http://127.0.0.1:9/api/",
                  cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert "[ERROR]: Unknown error when attempting to call Galaxy at 'http://127.0.0.1:9/api/'" in proc.stderr


# -- the oracle --------------------------------------------------------------


@oracle
def test_oracle_and_corral_install_each_others_tarballs_to_the_same_tree(tmp_path, env):
    source = make_collection(tmp_path / "src", "acme", "tools", "1.0.0")
    ours = build(source, tmp_path / "ours", env)
    built = oracle_galaxy("collection", "build", source, "--output-path", tmp_path / "theirs", cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stderr
    theirs = tmp_path / "theirs" / "acme-tools-1.0.0.tar.gz"
    trees = {}
    for who, install in (("oracle", oracle_galaxy), ("corral", galaxy)):
        for label, tarball in (("ours", ours), ("theirs", theirs)):
            dest = tmp_path / f"{who}-{label}"
            proc = install("collection", "install", tarball, "-p", dest, cwd=tmp_path, env=env)
            assert proc.returncode == 0, proc.stderr
            collection = dest / "ansible_collections" / "acme" / "tools"
            trees[who, label] = ({k: v for k, v in tree(collection).items() if k != "FILES.json"},
                                 files_json_entries(collection))
    for key in (("oracle", "theirs"), ("corral", "ours"), ("corral", "theirs")):
        assert trees[key][1] == trees["oracle", "ours"][1]
        assert set(trees[key][0]) == set(trees["oracle", "ours"][0])


@oracle
def test_install_output_matches_the_oracle(tmp_path, env):
    base = build(make_collection(tmp_path / "src", "acme", "base", "1.0.0"), tmp_path / "out", env)
    tools = build(make_collection(tmp_path / "src", "acme", "tools", "2.0.0", {"acme.base": "*"}), tmp_path / "out", env)
    git_source = git_repo(make_collection(tmp_path / "gitsrc", "acme", "fromgit", "4.0.0"), tag="v4")
    requirements = tmp_path / "requirements.yml"
    requirements.write_text(yaml.safe_dump({"collections": [
        {"name": str(tools), "type": "file"}, {"name": str(base), "type": "file"},
        {"name": f"git+file://{git_source}", "type": "git", "version": "v4"}]}))
    for args in (["-r", requirements], ["-r", requirements], [base, "acme.base:>=2.0", "--offline"]):
        ours = galaxy("collection", "install", *args, "-p", tmp_path / "corral", cwd=tmp_path, env=env)
        theirs = oracle_galaxy("collection", "install", *args, "-p", tmp_path / "oracle", cwd=tmp_path, env=env)
        assert ours.returncode == theirs.returncode
        assert ours.stdout.replace("/corral/", "/X/") == theirs.stdout.replace("/oracle/", "/X/")
        errors = [line for line in theirs.stderr.splitlines() if line.startswith(("[ERROR]", "* "))]
        assert [line for line in ours.stderr.splitlines() if line.startswith(("[ERROR]", "* "))] == errors
    ours = galaxy("collection", "list", "-p", tmp_path / "corral", cwd=tmp_path, env=env)
    theirs = oracle_galaxy("collection", "list", "-p", tmp_path / "oracle", cwd=tmp_path, env=env)
    assert ours.stdout.replace("/corral/", "/X/") == theirs.stdout.replace("/oracle/", "/X/")
    assert os.listdir(tmp_path / "corral" / "ansible_collections" / "acme") == \
        os.listdir(tmp_path / "oracle" / "ansible_collections" / "acme")


@oracle
def test_oracle_and_corral_install_from_the_test_server_alike(tmp_path, env):
    """The test server is shaped so that ansible-galaxy itself installs from it; both
    tools then leave the same tree and the same GALAXY.yml record."""
    out = tmp_path / "out"
    with galaxy_server() as server:
        for version in ("1.0.0", "1.5.0", "2.0.0"):
            server.publish(build(make_collection(tmp_path / f"src{version}", "acme", "base", version), out, env))
        server.publish(build(make_collection(tmp_path / "srct", "acme", "tools", "1.0.0",
                                             {"acme.base": ">=1.0.0,<2.0.0"}), out, env))
        outputs = {}
        for who, install in (("oracle", oracle_galaxy), ("corral", galaxy)):
            proc = install("collection", "install", "acme.tools", "-p", tmp_path / who, "-s", server.url,
                           cwd=tmp_path, env=env)
            assert proc.returncode == 0, proc.stderr
            outputs[who] = [line.split(" to ")[0] if line.startswith("Downloading ") else line.replace(f"/{who}/", "/X/")
                            for line in proc.stdout.splitlines()]
    assert outputs["corral"] == outputs["oracle"]
    ours, theirs = tmp_path / "corral" / "ansible_collections", tmp_path / "oracle" / "ansible_collections"
    assert sorted(os.listdir(ours)) == sorted(os.listdir(theirs)) == [
        "acme", "acme.base-1.5.0.info", "acme.tools-1.0.0.info"]
    for info in ("acme.base-1.5.0.info", "acme.tools-1.0.0.info"):
        assert yaml.safe_load((ours / info / "GALAXY.yml").read_text()) == \
            yaml.safe_load((theirs / info / "GALAXY.yml").read_text())
    for name in ("base", "tools"):
        assert tree(ours / "acme" / name) == tree(theirs / "acme" / name)


def test_force_and_force_with_deps_from_a_server(tmp_path, env):
    out, cols = tmp_path / "out", tmp_path / "cols"
    with galaxy_server() as server:
        server.publish(build(make_collection(tmp_path / "srcb", "acme", "base", "1.0.0"), out, env))
        server.publish(build(make_collection(tmp_path / "srct", "acme", "tools", "1.0.0", {"acme.base": "*"}),
                             out, env))

        def install(*flags: str) -> list[str]:
            proc = galaxy("collection", "install", "acme.tools", *flags, "-p", cols, "-s", server.url,
                          cwd=tmp_path, env=env)
            assert proc.returncode == 0, proc.stderr
            return [line for line in proc.stdout.splitlines() if not line.startswith(("Downloading", "Installing"))]

        assert install()[3:] == ["acme.tools:1.0.0 was installed successfully",
                                 "acme.base:1.0.0 was installed successfully"]
        assert install("--force")[3:] == ["acme.tools:1.0.0 was installed successfully",
                                          "'acme.base:1.0.0' is already installed, skipping."]
        assert install("--force-with-deps")[3:] == ["acme.tools:1.0.0 was installed successfully",
                                                    "acme.base:1.0.0 was installed successfully"]
        assert install("--upgrade")[3:] == ["'acme.tools:1.0.0' is already installed, skipping.",
                                            "'acme.base:1.0.0' is already installed, skipping."]
