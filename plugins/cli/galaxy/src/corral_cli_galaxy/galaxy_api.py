"""A client for a Galaxy server's v3 collection API (Galaxy NG, Automation Hub,
pulp_ansible), with urllib.

The calls ansible-galaxy makes to install collections:

- ``GET <server>/`` (the API root; ``<server>/api/`` is tried when the given URL is not
  one): ``{"available_versions": {"v3": "v3/", ...}}``;
- ``GET <v3>collections/<ns>/<name>/versions/``: a page ``{"data": [{"version": ...},
  ...], "links": {"next": ...}}`` listing the versions (``next`` followed until empty);
- ``GET <v3>collections/<ns>/<name>/versions/<version>/``: ``{"download_url": ...,
  "artifact": {"sha256": ...}, "metadata": {"dependencies": {...}}}``;
- then the ``download_url`` itself.

A token is sent as ``Authorization: Token <token>``.
"""
from __future__ import annotations

import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GalaxyError", "GalaxyServer", "VersionInfo"]

_TIMEOUT = 60


class GalaxyError(Exception):
    """A Galaxy server that cannot be reached or answered something unexpected."""


@dataclass(frozen=True)
class VersionInfo:
    """One collection version as the server describes it."""

    namespace: str
    name: str
    version: str
    download_url: str
    sha256: str | None
    dependencies: dict[str, str]
    href: str | None = None


@dataclass(eq=False)
class GalaxyServer:
    """One configured Galaxy server: its ``name`` (from ``server_list``, or the URL),
    ``url`` and optional ``token``; answers are memoized for the life of the object
    (two objects are two servers: compared and hashed by identity)."""

    name: str
    url: str
    token: str | None = None
    validate_certs: bool = True
    timeout: int = _TIMEOUT
    _v3: str | None = field(default=None, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _request(self, url: str) -> urllib.request.Request:
        headers = {"Accept": "application/json", "User-Agent": "corral-galaxy"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        return urllib.request.Request(url, headers=headers)

    def _open(self, url: str) -> Any:
        import ssl

        context = None if self.validate_certs else ssl._create_unverified_context()
        return urllib.request.urlopen(self._request(url), timeout=self.timeout, context=context)  # noqa: S310

    def _get_json(self, url: str) -> Any:
        if url in self._cache:
            return self._cache[url]
        try:
            with self._open(url) as response:
                data = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise GalaxyError(f"Error when getting {url} from {self.name} ({self.url}) "
                              f"(HTTP Code: {exc.code}, Message: {exc.reason})") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise GalaxyError(f"Unknown error when attempting to call Galaxy at '{self.url}': {exc}") from exc
        except ValueError as exc:
            raise GalaxyError(f"Galaxy server {self.url} answered {url} with invalid JSON") from exc
        self._cache[url] = data
        return data

    def v3_root(self) -> str:
        """The URL of the server's v3 API (found from the API root's ``available_versions``)."""
        if self._v3 is None:
            base = self.url if self.url.endswith("/") else self.url + "/"
            candidates = [base] if base.rstrip("/").endswith("/api") else [base, urllib.parse.urljoin(base, "api/")]
            for candidate in candidates:
                try:
                    root = self._get_json(candidate)
                except GalaxyError:
                    if candidate is candidates[-1]:
                        raise
                    continue
                versions = root.get("available_versions") if isinstance(root, dict) else None
                if isinstance(versions, dict) and "v3" in versions:
                    self._v3 = urllib.parse.urljoin(candidate, versions["v3"])
                    break
            else:
                raise GalaxyError(f"Galaxy server {self.name} ({self.url}) does not offer the v3 API "
                                  f"(no 'v3' in available_versions)")
        return self._v3

    def versions(self, namespace: str, name: str) -> list[str]:
        """Every version of ``namespace.name`` on the server (empty when it has none)."""
        url: str | None = urllib.parse.urljoin(self.v3_root(), f"collections/{namespace}/{name}/versions/")
        found: list[str] = []
        while url:
            try:
                page = self._get_json(url)
            except GalaxyError as exc:
                if isinstance(exc.__cause__, urllib.error.HTTPError) and exc.__cause__.code == 404:
                    return found
                raise
            found += [str(item["version"]) for item in page.get("data", [])]
            next_link = (page.get("links") or {}).get("next")
            url = urllib.parse.urljoin(url, next_link) if next_link else None
        return found

    def version_info(self, namespace: str, name: str, version: str) -> VersionInfo:
        """Where to download ``namespace.name`` ``version`` and what it depends on."""
        url = urllib.parse.urljoin(self.v3_root(), f"collections/{namespace}/{name}/versions/{version}/")
        data = self._get_json(url)
        return VersionInfo(namespace, name, str(data.get("version", version)),
                           urllib.parse.urljoin(url, data["download_url"]),
                           (data.get("artifact") or {}).get("sha256"),
                           {str(k): str(v) for k, v in ((data.get("metadata") or {}).get("dependencies") or {}).items()},
                           data.get("href"))

    def download(self, info: VersionInfo, directory: str) -> str:
        """Download ``info``'s tarball into ``directory``, check its sha256; its path."""
        target = os.path.join(directory, f"{info.namespace}-{info.name}-{info.version}.tar.gz")
        digest = hashlib.sha256()
        try:
            with self._open(info.download_url) as response, open(target, "wb") as out:
                for block in iter(lambda: response.read(1 << 16), b""):
                    digest.update(block)
                    out.write(block)
        except (urllib.error.URLError, OSError) as exc:
            raise GalaxyError(f"Failed to download collection tar from '{self.name}': {exc}") from exc
        if info.sha256 and digest.hexdigest() != info.sha256:
            raise GalaxyError(f"Mismatch artifact hash with downloaded file: expected {info.sha256}, "
                              f"got {digest.hexdigest()} ({info.download_url})")
        return target
