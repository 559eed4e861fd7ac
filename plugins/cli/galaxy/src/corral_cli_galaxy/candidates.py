"""Candidates: the collection versions that could satisfy a requirement, and where
each one's files come from.

A *concrete* requirement (a tarball, a directory, a URL, a git repository) yields the
collections it holds, whatever their versions; a Galaxy requirement yields the
version installed at the destination (unless it is being forced or upgraded) and the
versions the configured servers offer, newest first.
"""
from __future__ import annotations

import os
import subprocess
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from corral_cli_galaxy.artifact import ArtifactError, CollectionMeta, meta_of_dir, meta_of_tarball, source_meta
from corral_cli_galaxy.galaxy_api import GalaxyError, GalaxyServer, VersionInfo
from corral_cli_galaxy.requirements import CollectionRequirement
from corral_cli_galaxy.servers import server_for
from corral_cli_galaxy.versions import Version, is_pinned, is_prerelease, matches

__all__ = ["Candidate", "CandidateFinder", "installed_collection", "collection_dest"]


@dataclass
class Candidate:
    """One collection version that may be installed: ``kind`` is ``file``, ``dir``,
    ``git``, ``url`` (a tarball or tree at ``path``), ``galaxy`` (``info`` on
    ``server``) or ``installed`` (already at the destination)."""

    fqcn: str
    version: str
    kind: str
    origin: str
    path: str | None = None
    server: GalaxyServer | None = None
    info: VersionInfo | None = None
    meta: CollectionMeta | None = field(default=None, repr=False)
    requirement: CollectionRequirement | None = field(default=None, repr=False)

    def label(self) -> str:
        return f"{self.fqcn}:{self.version}"


def collection_dest(root: str, fqcn: str) -> str:
    """Where ``fqcn`` is installed under the collection root ``root``."""
    namespace, name = fqcn.split(".", 1)
    return os.path.join(root, "ansible_collections", namespace, name)


def installed_collection(root: str, fqcn: str) -> Candidate | None:
    """The collection ``fqcn`` installed under ``root``, if any."""
    dest = collection_dest(root, fqcn)
    if not os.path.isdir(dest):
        return None
    try:
        meta = meta_of_dir(dest)
    except ArtifactError:
        meta = None
    version = meta.version if meta is not None else "*"
    return Candidate(fqcn, version, "installed", dest, dest, meta=meta)


def _git(*args: str, cwd: str | None = None) -> None:
    try:
        subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise ArtifactError("Could not find git executable to extract the collection from the Git repository") from exc
    except subprocess.CalledProcessError as exc:
        raise ArtifactError(f"Failed to {args[0]} the Git repository: {(exc.stderr or exc.stdout).strip()}") from exc


def _collections_in_tree(top: str) -> list[str]:
    """Collection directories in a checkout: ``top`` itself, else its sub-directories
    (``name/`` or ``namespace/name/``) that have ``galaxy.yml`` or ``MANIFEST.json``."""
    def is_collection(path: str) -> bool:
        return any(os.path.isfile(os.path.join(path, f)) for f in ("galaxy.yml", "galaxy.yaml", "MANIFEST.json"))

    if is_collection(top):
        return [top]
    found = []
    for first in sorted(os.listdir(top)):
        level1 = os.path.join(top, first)
        if first.startswith(".") or not os.path.isdir(level1):
            continue
        if is_collection(level1):
            found.append(level1)
            continue
        found += [os.path.join(level1, second) for second in sorted(os.listdir(level1))
                  if is_collection(os.path.join(level1, second))]
    return found


class CandidateFinder:
    """Finds candidates for requirements; ``workdir`` holds downloads and checkouts."""

    def __init__(self, root: str, servers: list[GalaxyServer], workdir: str, *, offline: bool = False,
                 pre: bool = False, keep_installed: bool = True,
                 warn: Callable[[str], None] | None = None) -> None:
        self.root = root
        self.servers = servers
        self.workdir = workdir
        self.offline = offline
        self.pre = pre
        self.keep_installed = keep_installed
        self._concrete: dict[CollectionRequirement, list[Candidate]] = {}
        self._server_versions: dict[tuple[str, str], list[str]] = {}
        self.forced: set[str] = set()
        self._warn = warn

    # -- concrete artifacts -------------------------------------------------

    def concrete(self, requirement: CollectionRequirement) -> list[Candidate]:
        """The collections a concrete requirement holds (fetched once)."""
        if requirement not in self._concrete:
            self._concrete[requirement] = self._fetch(requirement)
        return self._concrete[requirement]

    def _from_dir(self, path: str, kind: str, origin: str, requirement: CollectionRequirement) -> Candidate:
        if not any(os.path.isfile(os.path.join(path, f)) for f in ("galaxy.yml", "galaxy.yaml", "MANIFEST.json")):
            raise ArtifactError(f"Collection at '{path}' does not have a MANIFEST.json file nor a galaxy.yml: "
                                f"cannot detect version.")
        meta = source_meta(path, installed_ok=True)
        return Candidate(meta.fqcn, meta.version, kind, origin, path, meta=meta, requirement=requirement)

    def _fetch(self, req: CollectionRequirement) -> list[Candidate]:
        if req.type == "file":
            if not os.path.isfile(req.name):
                raise ArtifactError(f"The collection artifact '{req.name}' does not exist.")
            meta = meta_of_tarball(req.name)
            return [Candidate(meta.fqcn, meta.version, "file", req.name, req.name, meta=meta, requirement=req)]
        if req.type == "dir":
            return [self._from_dir(req.name, "dir", req.name, req)]
        if req.type == "subdirs":
            found = _collections_in_tree(req.name)
            if not found:
                raise ArtifactError(f"Collection directory at '{req.name}' holds no collection")
            return [self._from_dir(path, "dir", path, req) for path in found]
        if req.type == "url":
            target = os.path.join(self.workdir, f"url-{len(self._concrete)}.tar.gz")
            try:
                with urllib.request.urlopen(req.name, timeout=60) as response, open(target, "wb") as out:  # noqa: S310
                    out.write(response.read())
            except OSError as exc:
                raise ArtifactError(f"Failed to download collection tar from '{req.name}': {exc}") from exc
            meta = meta_of_tarball(target)
            return [Candidate(meta.fqcn, meta.version, "url", req.name, target, meta=meta, requirement=req)]
        return self._fetch_git(req)

    def _fetch_git(self, req: CollectionRequirement) -> list[Candidate]:
        url = req.name[4:] if req.name.startswith("git+") else req.name
        url, _, subdir = url.partition("#")
        checkout = os.path.join(self.workdir, f"git-{len(self._concrete)}")
        _git("clone", "--quiet", url, checkout)
        ref = req.version if req.version not in ("*", "") else None
        if ref:
            _git("checkout", "--quiet", ref, cwd=checkout)
        top = os.path.join(checkout, subdir.strip("/")) if subdir.strip("/") else checkout
        found = _collections_in_tree(top)
        if not found:
            raise ArtifactError(f"Collection at '{req.name}' does not have a MANIFEST.json file nor a galaxy.yml: "
                                f"cannot detect version.")
        return [self._from_dir(path, "git", req.name, req) for path in found]

    # -- Galaxy -------------------------------------------------------------

    def _servers_for(self, req: CollectionRequirement) -> list[GalaxyServer]:
        return [server_for(req.source, self.servers)] if req.source else self.servers

    def _versions(self, server: GalaxyServer, fqcn: str) -> list[str]:
        key = (server.url, fqcn)
        if key not in self._server_versions:
            namespace, name = fqcn.split(".", 1)
            self._server_versions[key] = server.versions(namespace, name)
        return self._server_versions[key]

    def galaxy(self, fqcn: str, requirements: list[CollectionRequirement]) -> list[Candidate]:
        """Candidates for ``fqcn`` asked by Galaxy requirements, most preferred first:
        the installed version, then each server's versions newest first (pre-releases
        only with ``--pre`` or when a requirement pins one exactly)."""
        found: list[Candidate] = []
        if self.keep_installed and fqcn not in self.forced:
            installed = installed_collection(self.root, fqcn)
            if installed is not None:
                found.append(installed)
        if self.offline:
            return found
        pinned = any(is_pinned(req.version) for req in requirements)
        sources = [server for req in requirements for server in self._servers_for(req)] or self.servers
        errors = []
        for server in dict.fromkeys(sources):
            try:
                versions = self._versions(server, fqcn)
            except GalaxyError as exc:
                errors.append(exc)
                if self._warn is not None:
                    self._warn(f"Skipping Galaxy server {server.url}. Got an unexpected error when getting "
                               f"available versions of collection {fqcn}: {exc}")
                continue
            for version in sorted(versions, key=Version, reverse=True):
                if is_prerelease(version) and not (self.pre or pinned):
                    continue
                found.append(Candidate(fqcn, version, "galaxy", server.url, server=server))
        if not found and errors:
            raise errors[0]
        return found

    def galaxy_dependencies(self, candidate: Candidate) -> dict[str, str]:
        """The dependencies of a Galaxy candidate, from its version's detail page."""
        if candidate.info is None and candidate.server is not None:
            namespace, name = candidate.fqcn.split(".", 1)
            candidate.info = candidate.server.version_info(namespace, name, candidate.version)
        return dict(candidate.info.dependencies) if candidate.info is not None else {}

    def dependencies(self, candidate: Candidate) -> dict[str, str]:
        """What ``candidate`` depends on (``ns.name`` -> constraint)."""
        if candidate.kind == "galaxy":
            return self.galaxy_dependencies(candidate)
        return candidate.meta.dependencies if candidate.meta is not None else {}

    def satisfies(self, candidate: Candidate, requirement: CollectionRequirement) -> bool:
        """Whether ``candidate`` is acceptable to ``requirement``: for a concrete
        requirement, any candidate with the version of the artifact it names (as
        ansible-galaxy has it: two sources of the same version do not conflict)."""
        if requirement.concrete:
            return candidate.requirement == requirement or candidate.version in {
                c.version for c in self.concrete(requirement) if c.fqcn == candidate.fqcn}
        return matches(candidate.version, requirement.version)

    def download(self, candidate: Candidate) -> str:
        """The local tarball of a Galaxy candidate (downloaded into the work dir)."""
        assert candidate.server is not None
        self.galaxy_dependencies(candidate)
        assert candidate.info is not None
        return candidate.server.download(candidate.info, self.workdir)
