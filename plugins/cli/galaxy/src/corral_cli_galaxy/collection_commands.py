"""``corral-galaxy collection install | list | build``: what each does, given parsed options."""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from corral_cli_galaxy.artifact import ArtifactError, build_tarball, install_dir, install_tarball, meta_of_dir
from corral_cli_galaxy.candidates import Candidate, CandidateFinder, collection_dest, installed_collection
from corral_cli_galaxy.display import Display
from corral_cli_galaxy.galaxy_api import GalaxyServer
from corral_cli_galaxy.requirements import CollectionRequirement
from corral_cli_galaxy.resolver import resolve
from corral_cli_galaxy.versions import matches

__all__ = ["InstallOptions", "install_collections", "list_collections", "build_collection", "as_root"]


def as_root(path: str) -> str:
    """The collection root for a ``-p`` path: its parent when it names the
    ``ansible_collections`` folder itself."""
    path = os.path.abspath(os.path.expanduser(path))
    return os.path.dirname(path) if os.path.basename(path) == "ansible_collections" else path


@dataclass
class InstallOptions:
    """The flags of ``collection install``."""

    force: bool = False
    force_with_deps: bool = False
    no_deps: bool = False
    upgrade: bool = False
    pre: bool = False
    offline: bool = False


def _all_installed(requests: list[CollectionRequirement], finder: CandidateFinder, root: str) -> bool:
    """Whether every request is already met at ``root`` (as ansible-galaxy judges it: a
    git source never is, whatever version its checkout has)."""
    for request in requests:
        if request.type == "git":
            return False
        if request.concrete:
            for candidate in finder.concrete(request):
                installed = installed_collection(root, candidate.fqcn)
                if installed is None or installed.version != candidate.version:
                    return False
        else:
            installed = installed_collection(root, request.name)
            if installed is None or not matches(installed.version, request.version):
                return False
    return True


def _warn_requires_ansible(dest: str, label: str, display: Display) -> None:
    try:
        with open(os.path.join(dest, "meta", "runtime.yml"), encoding="utf-8") as handle:
            runtime = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError):
        runtime = {}
    if not isinstance(runtime, dict) or not runtime.get("requires_ansible"):
        display.warning(f"{label} does not have requires_ansible metadata.")


def _write_galaxy_info(root: str, candidate: Candidate) -> None:
    """``ansible_collections/<ns>.<name>-<version>.info/GALAXY.yml``: where a
    collection installed from a server came from (earlier versions' records go)."""
    base = os.path.join(root, "ansible_collections")
    for entry in os.listdir(base):
        if entry.startswith(f"{candidate.fqcn}-") and entry.endswith(".info"):
            for name in os.listdir(os.path.join(base, entry)):
                os.unlink(os.path.join(base, entry, name))
            os.rmdir(os.path.join(base, entry))
    info_dir = os.path.join(base, f"{candidate.fqcn}-{candidate.version}.info")
    os.makedirs(info_dir, exist_ok=True)
    namespace, name = candidate.fqcn.split(".", 1)
    record: dict[str, object] = {"download_url": candidate.info.download_url if candidate.info else None, "format_version": "1.0.0",
              "name": name, "namespace": namespace, "server": candidate.origin, "signatures": [],
              "version": candidate.version, "version_url": candidate.info.href if candidate.info else None}
    with open(os.path.join(info_dir, "GALAXY.yml"), "w", encoding="utf-8") as out:
        yaml.safe_dump(record, out, default_flow_style=False)


def _install_one(candidate: Candidate, root: str, finder: CandidateFinder, display: Display) -> None:
    dest = collection_dest(root, candidate.fqcn)
    tarball = candidate.path
    if candidate.kind == "galaxy":
        tarball = finder.download(candidate)
        assert candidate.info is not None
        display(f"Downloading {candidate.info.download_url} to {os.path.dirname(tarball)}")
    assert tarball is not None
    display(f"Installing '{candidate.label()}' to '{dest}'")
    if candidate.kind in ("galaxy", "file", "url"):
        install_tarball(tarball, dest)
        if candidate.kind == "galaxy":
            _write_galaxy_info(root, candidate)
    else:
        install_dir(tarball, dest)
        display(f"Created collection for {candidate.label()} at {dest}")
    display(f"{candidate.label()} was installed successfully")
    _warn_requires_ansible(dest, candidate.label(), display)


def install_collections(requests: list[CollectionRequirement], root: str, servers: list[GalaxyServer],
                        options: InstallOptions, display: Display) -> None:
    """Install ``requests`` and their dependencies into the collection root ``root``,
    printing ansible-galaxy's progress lines.  Raises :class:`ArtifactError`,
    :class:`~corral_cli_galaxy.resolver.ResolutionError` or
    :class:`~corral_cli_galaxy.galaxy_api.GalaxyError` on failure (nothing is
    installed when resolution fails)."""
    with tempfile.TemporaryDirectory(prefix="corral-galaxy-") as workdir:
        finder = CandidateFinder(root, servers, workdir, offline=options.offline, pre=options.pre,
                                 keep_installed=not (options.upgrade or options.force_with_deps),
                                 warn=display.warning)
        forcing = options.force or options.force_with_deps
        if not (forcing or options.upgrade) and _all_installed(requests, finder, root):
            display("Nothing to do. All requested collections are already installed. If you want to reinstall "
                    "them, consider using `--force`.")
            return
        display("Process install dependency map")
        if options.force:
            finder.forced = {c.fqcn for r in requests if r.concrete for c in finder.concrete(r)}
            finder.forced |= {r.name for r in requests if not r.concrete}
        chosen = resolve(requests, finder, with_deps=not options.no_deps)
        display("Starting collection install process")
        for candidate in chosen:
            installed = installed_collection(root, candidate.fqcn)
            forced = options.force_with_deps or candidate.fqcn in finder.forced
            same_on_server = (candidate.kind == "galaxy" and installed is not None
                              and installed.version == candidate.version and not forced)
            if candidate.kind == "installed" or same_on_server:
                display(f"'{candidate.label()}' is already installed, skipping.")
                continue
            _install_one(candidate, root, finder, display)


def _installed_in(root: str) -> dict[str, str]:
    """``fqcn -> version`` of the collections under the collection root ``root``."""
    found: dict[str, str] = {}
    base = os.path.join(root, "ansible_collections")
    for namespace in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        ns_dir = os.path.join(base, namespace)
        if not namespace.isidentifier() or not os.path.isdir(ns_dir):
            continue
        for name in sorted(os.listdir(ns_dir)):
            path = os.path.join(ns_dir, name)
            if not name.isidentifier() or not os.path.isdir(path):
                continue
            try:
                meta = meta_of_dir(path)
            except ArtifactError:
                meta = None
            found[f"{namespace}.{name}"] = meta.version if meta is not None else "*"
    return found


def list_collections(roots: Iterable[str], name: str | None, output_format: str, display: Display) -> None:
    """Print the collections under each root (``name`` alone when given), in
    ansible-galaxy's ``human``, ``json`` or ``yaml`` form."""
    listing: dict[str, dict[str, str]] = {}
    for root in roots:
        found = _installed_in(root)
        if name is not None:
            found = {fqcn: version for fqcn, version in found.items() if fqcn == name}
        if found:
            listing[os.path.join(root, "ansible_collections")] = found
    if output_format in ("json", "yaml"):
        data = {path: {fqcn: {"version": version} for fqcn, version in found.items()}
                for path, found in listing.items()}
        display(json.dumps(data) if output_format == "json"
                else yaml.safe_dump(data, default_flow_style=False).rstrip("\n"))
        return
    all_found = [item for found in listing.values() for item in found.items()]
    name_width = max([len("Collection"), *(len(fqcn) for fqcn, _ in all_found)])
    version_width = max([len("Version"), *(len(version) for _, version in all_found)])
    for path, found in listing.items():
        display(f"\n# {path}")
        display(f"{'Collection':{name_width}} {'Version':{version_width}}")
        display(f"{'-' * name_width} {'-' * version_width}")
        for fqcn, version in found.items():
            display(f"{fqcn:{name_width}} {version:{version_width}}")


def build_collection(source: str, output_path: str, force: bool, display: Display) -> None:
    """Build the collection in ``source`` into a tarball in ``output_path``."""
    target = build_tarball(source, output_path, force)
    meta = meta_of_dir(source)
    assert meta is not None
    display(f"Created collection for {meta.fqcn} at {target}")
