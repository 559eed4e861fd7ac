"""``corral-galaxy role install | list | remove``: roles from tarballs, URLs and git
repositories, into a roles path, with their dependencies.

An installed role is a directory ``<roles path>/<name>/`` holding the role's files
and ``meta/.galaxy_install_info`` (``install_date``, ``version``), as ansible-galaxy
leaves it.  A role's dependencies are the entries of its ``meta/requirements.yml`` and
of ``dependencies`` in ``meta/main.yml`` that name something installable (a source
URL, an ``scm``, or a ``namespace.role`` name); plain role names are roles the
playbook provides itself and are left alone.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import urllib.request
from collections.abc import Iterable

import yaml

from corral_cli_galaxy.artifact import replace_tree, stage_beside
from corral_cli_galaxy.display import Display, GalaxyCliError
from corral_cli_galaxy.requirements import RequirementError, RoleRequirement, role_requirement

__all__ = ["install_roles", "list_roles", "remove_roles", "installed_version"]

_INFO = os.path.join("meta", ".galaxy_install_info")


class _RoleError(Exception):
    """One role that could not be installed."""


def installed_version(role_dir: str) -> str | None:
    """The version recorded when the role in ``role_dir`` was installed ('' when none
    was asked; ``None`` when there is no install record)."""
    try:
        with open(os.path.join(role_dir, _INFO), encoding="utf-8") as handle:
            info = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError):
        return None
    version = info.get("version") if isinstance(info, dict) else None
    return "" if version is None else str(version)


def _fetch(req: RoleRequirement, workdir: str, display: Display) -> str:
    """A local tarball of the role ``req`` names."""
    if req.scm == "git":
        checkout = os.path.join(workdir, "checkout")
        archive = os.path.join(workdir, f"{req.name}.tar")
        try:
            commands = [["git", "clone", "--quiet", req.src, checkout]]
            if req.version:
                commands.append(["git", "checkout", "--quiet", req.version])
            commands.append(["git", "archive", "--format=tar", f"--prefix={req.name}/", "--output", archive, "HEAD"])
            for command in commands:
                subprocess.run(command, cwd=checkout if command[1] != "clone" else None, check=True,
                               capture_output=True, text=True)
        except FileNotFoundError as exc:
            raise _RoleError("could not find git executable") from exc
        except subprocess.CalledProcessError as exc:
            raise _RoleError(f"failed to fetch {req.src} ({req.version or 'HEAD'}): "
                             f"{(exc.stderr or exc.stdout).strip()}") from exc
        return archive
    if "://" in req.src:
        display(f"- downloading role from {req.src}")
        target = os.path.join(workdir, "role.tar.gz")
        try:
            with urllib.request.urlopen(req.src, timeout=60) as response, open(target, "wb") as out:  # noqa: S310
                shutil.copyfileobj(response, out)
        except OSError as exc:
            raise _RoleError(f"failed to download the file: {exc}") from exc
        return target
    path = os.path.expanduser(req.src)
    if os.path.isfile(path):
        return path
    raise _RoleError(f"the role {req.src} is not a tarball, URL or git repository, and corral-galaxy does not "
                     f"download roles by name from a Galaxy server")


def _extract(archive_path: str, dest: str, req: RoleRequirement) -> None:
    """Unpack the role in ``archive_path`` (the folder holding ``meta/main.yml``) into
    ``dest``, atomically (staged beside ``dest``, then renamed)."""
    try:
        archive = tarfile.open(archive_path, "r:*")
    except (OSError, tarfile.TarError) as exc:
        raise _RoleError(f"{req.src} is not a valid tar file") from exc
    with archive:
        members = archive.getmembers()
        metas = [m.name for m in members if m.name.endswith("meta/main.yml") or m.name.endswith("meta/main.yaml")]
        if not metas:
            raise _RoleError("this role does not appear to have a meta/main.yml file.")
        prefix = min(metas, key=len).rsplit("meta/main.y", 1)[0]
        staged = stage_beside(dest)
        try:
            for member in members:
                if not member.name.startswith(prefix) or member.name == prefix.rstrip("/"):
                    continue
                rel = os.path.normpath(member.name[len(prefix):])
                if rel.startswith("..") or os.path.isabs(rel) or not (member.isfile() or member.isdir()):
                    continue
                target = os.path.join(staged, rel)
                if member.isdir():
                    os.makedirs(target, exist_ok=True)
                    continue
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as out:
                    shutil.copyfileobj(handle, out)
                os.chmod(target, 0o755 if member.mode & 0o111 else 0o644)
            with open(os.path.join(staged, _INFO), "w", encoding="utf-8") as out:
                yaml.safe_dump({"install_date": time.strftime("%c"), "version": req.version or ""}, out,
                               default_flow_style=False)
            os.chmod(staged, 0o755)
            replace_tree(staged, dest)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise


def _dependencies(role_dir: str) -> list[RoleRequirement]:
    """The installable dependencies of the role in ``role_dir`` (module docstring)."""
    entries: list[object] = []
    for rel in ("meta/requirements.yml", "meta/main.yml"):
        try:
            with open(os.path.join(role_dir, rel), encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
        except (OSError, yaml.YAMLError):
            continue
        if rel == "meta/main.yml":
            entries += (data or {}).get("dependencies") or [] if isinstance(data, dict) else []
        elif isinstance(data, dict):
            entries += data.get("roles") or []
        elif isinstance(data, list):
            entries += data
    found = []
    for entry in entries:
        try:
            dep = role_requirement(entry)
        except RequirementError:
            continue
        if "." in dep.name or "." in dep.src or dep.scm is not None or "://" in dep.src:
            found.append(dep)
    return found


def install_roles(requests: list[RoleRequirement], roles_path: str, display: Display, *, force: bool = False,
                  no_deps: bool = False, ignore_errors: bool = False) -> None:
    """Install ``requests`` (and, unless ``no_deps``, their dependencies) into
    ``roles_path``, printing ansible-galaxy's progress lines; a failed role raises
    :class:`GalaxyCliError` unless ``ignore_errors``."""
    display("Starting galaxy role install process")
    queue = list(requests)
    done: set[str] = set()
    while queue:
        req = queue.pop(0)
        if req.name in done:
            continue
        done.add(req.name)
        dest = os.path.join(roles_path, req.name)
        have = installed_version(dest) if os.path.isdir(dest) else None
        if os.path.isdir(dest) and not force:
            if req.version and have != req.version:
                display.warning(f"- {req.name} ({have or None}) is already installed - use --force to change "
                                f"version to {req.version}")
            else:
                shown = f"{req.name} ({req.version})" if req.version else req.name
                display(f"- {shown} is already installed, skipping.")
            continue
        if os.path.isdir(dest):
            display(f"- changing role {req.name} from {have or ''} to {req.version or 'unspecified'}")
        try:
            with tempfile.TemporaryDirectory(prefix="corral-galaxy-role-") as workdir:
                archive = _fetch(req, workdir, display)
                display(f"- extracting {req.name} to {dest}")
                _extract(archive, dest, req)
        except _RoleError as exc:
            display.error(f"- {req.name} was NOT installed successfully: {exc}")
            if not ignore_errors:
                raise GalaxyCliError("- you can use --ignore-errors to skip failed roles and finish processing "
                                     "the list.") from exc
            continue
        display(f"- {req.name} ({req.version}) was installed successfully" if req.version
                else f"- {req.name} was installed successfully")
        if no_deps:
            continue
        for dep in _dependencies(dest):
            if dep.name in done or any(q.name == dep.name for q in queue):
                display(f"- dependency {dep.name} already pending installation.")
            elif os.path.isdir(os.path.join(roles_path, dep.name)) and not force:
                display(f"- dependency {dep.name} is already installed, skipping.")
            else:
                display(f"- adding dependency: {dep.name}")
                queue.append(dep)


def _roles_in(path: str) -> list[str]:
    return sorted(name for name in os.listdir(path)
                  if any(os.path.isfile(os.path.join(path, name, "meta", f)) for f in ("main.yml", "main.yaml")))


def list_roles(paths: Iterable[str], name: str | None, display: Display) -> None:
    """Print the roles installed in each of ``paths`` (``name`` alone when given)."""
    shown = False
    for path in paths:
        if not os.path.isdir(path):
            display.warning(f"- the configured path {path} does not exist.")
            continue
        roles = [role for role in _roles_in(path) if name is None or role == name]
        if not roles:
            continue
        display(f"# {path}")
        for role in roles:
            version = installed_version(os.path.join(path, role))
            display(f"- {role}, {version or '(unknown version)'}")
            shown = True
    if name is not None and not shown:
        display(f"- the role {name} was not found")


def remove_roles(names: list[str], roles_path: str, display: Display) -> None:
    """Remove the roles ``names`` from ``roles_path``."""
    for name in names:
        dest = os.path.join(roles_path, name)
        if os.path.isdir(dest) and not os.path.islink(dest):
            shutil.rmtree(dest)
            display(f"- successfully removed {name}")
        else:
            display(f"- {name} is not installed, skipping.")
