"""Collection artifacts: ``galaxy.yml`` metadata, ``MANIFEST.json``/``FILES.json``,
building a tarball, and installing a tarball or a source directory atomically.

The layout is the one ansible-galaxy reads and writes: a tarball holds
``MANIFEST.json`` (``collection_info`` from ``galaxy.yml`` and the sha256 of
``FILES.json``), ``FILES.json`` (every directory and file, files with their sha256)
and the collection's files; an installed collection is that tree unpacked into
``<root>/ansible_collections/<namespace>/<name>/``.  A directory installed from source
(a checkout with ``galaxy.yml``) gets the same two files, built as a tarball would
have them.
"""
from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["ArtifactError", "CollectionMeta", "read_galaxy_yml", "meta_of_dir", "meta_of_tarball", "source_meta",
           "build_tarball", "install_tarball", "install_dir", "collection_files", "stage_beside", "replace_tree"]

#: collection_info keys in the order ansible-galaxy writes them, with their defaults
_INFO_KEYS: dict[str, Any] = {
    "namespace": None, "name": None, "version": None, "authors": [], "readme": None, "tags": [],
    "description": None, "license": [], "license_file": None, "dependencies": {}, "repository": None,
    "documentation": None, "homepage": None, "issues": None,
}
_REQUIRED = ("namespace", "name", "version", "readme", "authors")
_LIST_KEYS = ("authors", "tags", "license")
#: never part of a built collection (besides the patterns of ``build_ignore``)
_ALWAYS_IGNORED = ("galaxy.yml", "galaxy.yaml", "*.pyc", "*.retry", "tests/output", "MANIFEST.json", "FILES.json")
_VCS_DIRS = frozenset({".git", ".bzr", ".hg", ".svn", "__pycache__", ".tox"})


class ArtifactError(Exception):
    """A collection that cannot be read, built or installed; the message says why."""


@dataclass
class CollectionMeta:
    """What one collection artifact is: its ``collection_info`` and where it came from."""

    namespace: str
    name: str
    version: str
    info: dict[str, Any] = field(default_factory=dict)
    build_ignore: list[str] = field(default_factory=list)

    @property
    def fqcn(self) -> str:
        return f"{self.namespace}.{self.name}"

    @property
    def dependencies(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in (self.info.get("dependencies") or {}).items()}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read_galaxy_yml(path: str) -> CollectionMeta:
    """The metadata of the collection source whose ``galaxy.yml`` is ``path``; raises
    :class:`ArtifactError` naming missing mandatory keys."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ArtifactError(f"Failed to parse the galaxy.yml at '{path}' with the following error:\n{exc}") from exc
    if not isinstance(data, dict):
        raise ArtifactError(f"The collection galaxy.yml at '{path}' is not a mapping")
    missing = [key for key in _REQUIRED if not data.get(key)]
    if missing:
        raise ArtifactError(f"The collection galaxy.yml at '{path}' is missing the following mandatory keys: "
                            f"{', '.join(sorted(missing))}")
    info = {key: data.get(key, default) for key, default in _INFO_KEYS.items()}
    for key in _LIST_KEYS:
        if isinstance(info[key], str):
            info[key] = [info[key]]
        elif info[key] is None:
            info[key] = []
    info["dependencies"] = dict(info["dependencies"] or {})
    info["license_file"] = info["license_file"] or None
    info["version"] = str(info["version"])
    return CollectionMeta(str(data["namespace"]), str(data["name"]), info["version"], info,
                          list(data.get("build_ignore") or []))


def _meta_from_manifest(manifest: Mapping[str, Any], where: str) -> CollectionMeta:
    info = manifest.get("collection_info")
    if not isinstance(info, dict) or not info.get("namespace") or not info.get("name"):
        raise ArtifactError(f"Collection at '{where}' has an invalid MANIFEST.json: no collection_info")
    return CollectionMeta(str(info["namespace"]), str(info["name"]), str(info.get("version") or "*"), dict(info))


def meta_of_dir(path: str) -> CollectionMeta | None:
    """The metadata of an installed or source collection directory (``MANIFEST.json``
    first, then ``galaxy.yml``); ``None`` when it has neither."""
    manifest = os.path.join(path, "MANIFEST.json")
    if os.path.isfile(manifest):
        try:
            with open(manifest, encoding="utf-8") as handle:
                return _meta_from_manifest(json.load(handle), path)
        except (OSError, ValueError) as exc:
            raise ArtifactError(f"Collection at '{path}' has an unreadable MANIFEST.json: {exc}") from exc
    for name in ("galaxy.yml", "galaxy.yaml"):
        if os.path.isfile(os.path.join(path, name)):
            return read_galaxy_yml(os.path.join(path, name))
    return None


def _open_tar(path: str) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:*")
    except (OSError, tarfile.TarError) as exc:
        raise ArtifactError(f"Collection artifact at '{path}' is not a valid tar file.") from exc


def _member_json(archive: tarfile.TarFile, name: str, path: str) -> Any:
    try:
        handle = archive.extractfile(name)
    except KeyError:
        handle = None
    if handle is None:
        raise ArtifactError(f"Collection at '{path}' does not contain the required file {name}.")
    try:
        return json.loads(handle.read())
    except ValueError as exc:
        raise ArtifactError(f"Collection tar file member {name} does not contain a valid json string.") from exc


def meta_of_tarball(path: str) -> CollectionMeta:
    """The metadata in the ``MANIFEST.json`` of the collection tarball ``path``."""
    with _open_tar(path) as archive:
        return _meta_from_manifest(_member_json(archive, "MANIFEST.json", path), path)


def _ignored(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(rel, pattern) for pattern in patterns)


def collection_files(source: str, meta: CollectionMeta) -> Iterator[tuple[str, bool]]:
    """``(relative path, is_dir)`` of every entry that goes into the collection built
    from ``source``, depth first (a directory, then what it holds; names sorted),
    honouring ``build_ignore`` (fnmatch patterns on the path relative to the
    collection) and the defaults that are never built in (VCS and cache folders,
    ``galaxy.yml``, ``*.pyc``, ``*.retry``, ``tests/output``, earlier tarballs of the
    collection)."""
    patterns = [*_ALWAYS_IGNORED, f"{meta.namespace}-{meta.name}-*.tar.gz", *meta.build_ignore]

    def walk(rel_dir: str) -> Iterator[tuple[str, bool]]:
        for name in sorted(os.listdir(os.path.join(source, rel_dir))):
            rel = os.path.join(rel_dir, name)
            if _ignored(rel, patterns) or (os.path.islink(os.path.join(source, rel))
                                           and os.path.isdir(os.path.join(source, rel))):
                continue  # ignored, or a link to a directory (its target is built where it lives)
            if os.path.isdir(os.path.join(source, rel)) and not os.path.islink(os.path.join(source, rel)):
                if name not in _VCS_DIRS:
                    yield rel, True
                    yield from walk(rel)
            else:
                yield rel, False

    return walk("")


def _manifests(source: str, meta: CollectionMeta, entries: list[tuple[str, bool]]) -> tuple[bytes, bytes]:
    """``(MANIFEST.json, FILES.json)`` bytes for the collection built from ``source``."""
    files = [{"name": ".", "ftype": "dir", "chksum_type": None, "chksum_sha256": None, "format": 1}]
    for rel, is_dir in entries:
        files.append({"name": rel, "ftype": "dir" if is_dir else "file",
                      "chksum_type": None if is_dir else "sha256",
                      "chksum_sha256": None if is_dir else _file_sha256(os.path.join(source, rel)), "format": 1})
    files_json = json.dumps({"files": files, "format": 1}, indent=1).encode()
    manifest = {"collection_info": {key: meta.info.get(key, default) for key, default in _INFO_KEYS.items()},
                "file_manifest_file": {"name": "FILES.json", "ftype": "file", "chksum_type": "sha256",
                                       "chksum_sha256": _sha256(files_json), "format": 1},
                "format": 1}
    return json.dumps(manifest, indent=1).encode(), files_json


def source_meta(source: str, installed_ok: bool = False) -> CollectionMeta:
    """The metadata of a collection source tree (its ``galaxy.yml``; with
    ``installed_ok``, an installed tree's ``MANIFEST.json`` when it has no galaxy.yml)."""
    path = next((os.path.join(source, n) for n in ("galaxy.yml", "galaxy.yaml")
                 if os.path.isfile(os.path.join(source, n))), None)
    if path is None and installed_ok:
        meta = meta_of_dir(source)
        if meta is not None:
            return meta
    if path is None:
        raise ArtifactError(f"The collection galaxy.yml path '{os.path.join(source, 'galaxy.yml')}' does not exist.")
    return read_galaxy_yml(path)


def build_tarball(source: str, output_dir: str, force: bool = False) -> str:
    """Build ``<namespace>-<name>-<version>.tar.gz`` in ``output_dir`` from the
    collection source ``source`` (a directory with ``galaxy.yml``); returns its path.
    An existing tarball is an error unless ``force``."""
    source = os.path.abspath(source)
    meta = source_meta(source)
    os.makedirs(output_dir, exist_ok=True)
    target = os.path.abspath(os.path.join(output_dir, f"{meta.namespace}-{meta.name}-{meta.version}.tar.gz"))
    if os.path.isdir(target):
        raise ArtifactError(f"The output collection artifact '{target}' already exists, but is a directory - "
                            f"aborting")
    if os.path.exists(target) and not force:
        raise ArtifactError(f"The file '{target}' already exists. You can use --force to re-create the "
                            f"collection artifact.")
    entries = list(collection_files(source, meta))
    manifest, files_json = _manifests(source, meta, entries)
    now = int(time.time())
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".corral-build-")
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.GNU_FORMAT) as archive:
        for name, data in (("MANIFEST.json", manifest), ("FILES.json", files_json)):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, now
            archive.addfile(info, io.BytesIO(data))
        for rel, is_dir in entries:
            info = archive.gettarinfo(os.path.join(source, rel), arcname=rel)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o755 if is_dir or info.mode & 0o111 else 0o644
            if info.isfile():
                with open(os.path.join(source, rel), "rb") as handle:
                    archive.addfile(info, handle)
            else:
                archive.addfile(info)
    os.chmod(temp, 0o644)
    os.replace(temp, target)
    return target


def stage_beside(dest: str) -> str:
    """A fresh directory beside ``dest`` (same file system: the final rename is atomic)."""
    parent = os.path.dirname(dest)
    os.makedirs(parent, exist_ok=True)
    return tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(dest)}-")


def replace_tree(staged: str, dest: str) -> None:
    """Replace ``dest`` by ``staged`` with renames: a reader sees the old tree or the new one."""
    old = None
    if os.path.lexists(dest):
        old = tempfile.mkdtemp(dir=os.path.dirname(dest), prefix=f".{os.path.basename(dest)}-old-")
        os.rename(dest, os.path.join(old, "tree"))
    os.rename(staged, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _safe_member(name: str, path: str) -> str:
    normalized = os.path.normpath(name)
    if normalized.startswith(("..", "/")) or os.path.isabs(normalized):
        raise ArtifactError(f"Cannot extract tar entry '{name}' from '{path}' as it will be placed outside "
                            f"the collection directory")
    return normalized


def install_tarball(path: str, dest: str) -> None:
    """Unpack the collection tarball ``path`` into ``dest`` (replacing what is there),
    checking every file against the sha256 of ``FILES.json`` and that against
    ``MANIFEST.json``; nothing changes at ``dest`` when a check fails."""
    staged = stage_beside(dest)
    try:
        with _open_tar(path) as archive:
            manifest = _member_json(archive, "MANIFEST.json", path)
            files_member = archive.extractfile("FILES.json") if "FILES.json" in archive.getnames() else None
            if files_member is None:
                raise ArtifactError(f"Collection at '{path}' does not contain the required file FILES.json.")
            files_raw = files_member.read()
            expected = (manifest.get("file_manifest_file") or {}).get("chksum_sha256")
            if expected and _sha256(files_raw) != expected:
                raise ArtifactError(f"Checksum mismatch for 'FILES.json' inside collection at '{path}'")
            checksums = {entry["name"]: entry.get("chksum_sha256") for entry in json.loads(files_raw)["files"]}
            for member in archive.getmembers():
                rel = _safe_member(member.name, path)
                target = os.path.join(staged, rel)
                if member.isdir():
                    os.makedirs(target, exist_ok=True)
                    os.chmod(target, 0o755)
                    continue
                if member.issym():
                    link = os.path.normpath(os.path.join(os.path.dirname(rel), member.linkname))
                    _safe_member(link, path)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    os.symlink(member.linkname, target)
                    continue
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                data = handle.read()
                want = checksums.get(rel)
                if want and _sha256(data) != want:
                    raise ArtifactError(f"Checksum mismatch for '{rel}' inside collection at '{path}'")
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as out:
                    out.write(data)
                os.chmod(target, 0o755 if member.mode & 0o111 else 0o644)
        os.chmod(staged, 0o755)
        replace_tree(staged, dest)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def install_dir(source: str, dest: str) -> None:
    """Install the collection directory ``source`` into ``dest`` as ansible-galaxy
    does: built as a tarball would be (``build_ignore`` of its ``galaxy.yml`` and the
    default exclusions honoured), with ``MANIFEST.json`` (from ``galaxy.yml``, else
    from the tree's own ``MANIFEST.json``) and ``FILES.json`` written afresh."""
    meta = source_meta(source, installed_ok=True)
    staged = stage_beside(dest)
    try:
        entries = list(collection_files(source, meta))
        for rel, is_dir in entries:
            if is_dir:
                os.makedirs(os.path.join(staged, rel), exist_ok=True)
            else:
                shutil.copy2(os.path.join(source, rel), os.path.join(staged, rel), follow_symlinks=True)
        manifest, files_json = _manifests(source, meta, entries)
        for name, data in (("MANIFEST.json", manifest), ("FILES.json", files_json)):
            with open(os.path.join(staged, name), "wb") as out:
                out.write(data)
        os.chmod(staged, 0o755)
        replace_tree(staged, dest)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
