"""``ansible.module_utils.urls``: HTTP(S) for modules, on the standard library.

``open_url``/``fetch_url``/``url_argument_spec`` are corral's
(:mod:`corral.module_utils.urls`); here are the rest of the names modules use:
the :class:`Request` object (defaults kept across requests), the error classes,
``basic_auth_header``, ``generic_urlparse`` and ``fetch_file``.  GSSAPI
(Kerberos) authentication is not available (``HAS_GSSAPI`` is false): ``use_gssapi=True``
raises :class:`MissingModuleError` with ansible-core's missing-library message.
"""
from __future__ import annotations

import base64
import http.client
import os
import socket
import ssl
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import unquote, urlparse, urlunparse
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from corral.module_utils._text import to_bytes, to_text
from corral.module_utils.urls import MissingModuleError as _CoreMissingModuleError
from corral.module_utils.urls import fetch_url, open_url, prepare_multipart, url_argument_spec

__all__ = ["open_url", "fetch_url", "fetch_file", "prepare_multipart", "url_argument_spec", "Request", "ConnectionError",
           "SSLValidationError", "NoSSLError", "ProxyError", "MissingModuleError", "basic_auth_header",
           "generic_urlparse", "get_user_agent", "HAS_GSSAPI", "HAS_SSLCONTEXT", "HAS_SSL", "HAS_MATCH_HOSTNAME",
           "HAS_CRYPTOGRAPHY", "unquote", "urlparse", "urlunparse", "socket", "UnixHTTPConnection",
           "UnixHTTPHandler"]

HAS_GSSAPI = False
HAS_SSLCONTEXT = True
HAS_SSL = True
HAS_MATCH_HOSTNAME = True
HAS_CRYPTOGRAPHY = False


class ConnectionError(Exception):  # noqa: A001 - Ansible's name
    """A connection to the server failed."""


class ProxyError(ConnectionError):
    """The proxy refused or failed the connection."""


class SSLValidationError(ConnectionError):
    """The server's certificate could not be validated."""


class NoSSLError(SSLValidationError):
    """Python has no SSL support."""


class MissingModuleError(Exception):
    """A library needed for the request is missing."""

    def __init__(self, message: str, import_traceback: str, module: str | None = None) -> None:
        super().__init__(message)
        self.import_traceback = import_traceback
        self.module = module


def basic_auth_header(username: str, password: str) -> bytes:
    """The value of an ``Authorization`` header for HTTP basic authentication."""
    return b"Basic " + base64.b64encode(to_bytes(f"{to_text(username)}:{to_text(password)}"))


def get_user_agent() -> str:
    """The default ``User-Agent``."""
    return "ansible-httpget"


def generic_urlparse(parts: Any) -> dict[str, Any]:
    """The parts of a parsed URL as a dict (scheme, netloc, path, params, query,
    fragment, username, password, hostname, port)."""
    return {"scheme": parts.scheme, "netloc": parts.netloc, "path": parts.path, "params": parts.params,
            "query": parts.query, "fragment": parts.fragment, "username": parts.username,
            "password": parts.password, "hostname": parts.hostname, "port": parts.port}


def _translate(exc: BaseException) -> BaseException:
    """Ansible's error for a failure below HTTP (certificate, refused connection)."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return SSLValidationError(f"Failed to validate the SSL certificate: {reason}")
    if isinstance(exc, urllib.error.HTTPError):
        return exc
    if isinstance(reason, OSError):
        return ConnectionError(f"Failed to connect: {reason}")
    return exc


class UnixHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection over the Unix socket ``unix_socket`` (the URL's host is only a name)."""

    def __init__(self, unix_socket: str) -> None:
        self._unix_socket = unix_socket

    def __call__(self, *args: Any, **kwargs: Any) -> UnixHTTPConnection:
        http.client.HTTPConnection.__init__(self, *args, **kwargs)
        return self

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.sock.connect(self._unix_socket)
        except OSError as exc:
            raise ConnectionError(f"Invalid Socket File ({self._unix_socket}): {exc}") from exc
        if self.timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
            self.sock.settimeout(self.timeout)


class UnixHTTPHandler(urllib.request.HTTPHandler):
    """A urllib handler that sends ``http://`` requests over a Unix socket."""

    def __init__(self, unix_socket: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._unix_socket = unix_socket

    def http_open(self, req: Any) -> Any:
        return self.do_open(UnixHTTPConnection(self._unix_socket), req)


class Request:
    """Requests that share defaults: ``Request(headers=..., validate_certs=...)``,
    then ``.open(method, url, ...)`` or ``.get(url)``, ``.post(url, data)``...
    Keyword arguments of a call override the defaults.  HTTP errors raise
    ``urllib.error.HTTPError``; certificate and connection failures raise
    :class:`SSLValidationError` and :class:`ConnectionError`."""

    def __init__(self, headers: dict | None = None, use_proxy: bool = True, force: bool = False,
                 timeout: float = 10, validate_certs: bool = True, url_username: str | None = None,
                 url_password: str | None = None, http_agent: str | None = None, force_basic_auth: bool = False,
                 follow_redirects: str = "urllib2", client_cert: str | None = None, client_key: str | None = None,
                 cookies: Any = None, unix_socket: str | None = None, ca_path: str | None = None,
                 unredirected_headers: list | None = None, decompress: bool = True, ciphers: list | None = None,
                 use_netrc: bool = True, context: Any = None) -> None:
        self.headers = dict(headers or {})
        self.defaults: dict[str, Any] = {
            "use_proxy": use_proxy, "force": force, "timeout": timeout, "validate_certs": validate_certs,
            "url_username": url_username, "url_password": url_password, "http_agent": http_agent,
            "force_basic_auth": force_basic_auth, "follow_redirects": follow_redirects,
            "client_cert": client_cert, "client_key": client_key, "cookies": cookies, "unix_socket": unix_socket,
            "ca_path": ca_path, "unredirected_headers": unredirected_headers, "decompress": decompress,
            "ciphers": ciphers, "use_netrc": use_netrc, "use_gssapi": False, "last_mod_time": None,
        }

    def open(self, method: str, url: str, data: Any = None, headers: dict | None = None, **kwargs: Any) -> Any:
        options = dict(self.defaults)
        options.update({key: value for key, value in kwargs.items() if key in options})
        merged = dict(self.headers)
        merged.update(headers or {})
        body = to_bytes(data) if isinstance(data, str) else data
        try:
            return open_url(url, data=body, headers=merged, method=method.upper(), **options)
        except _CoreMissingModuleError as exc:
            raise MissingModuleError(str(exc), import_traceback="") from exc
        except (urllib.error.URLError, OSError) as exc:
            translated = _translate(exc)
            if translated is exc:
                raise
            raise translated from exc

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.open("GET", url, **kwargs)

    def options(self, url: str, **kwargs: Any) -> Any:
        return self.open("OPTIONS", url, **kwargs)

    def head(self, url: str, **kwargs: Any) -> Any:
        return self.open("HEAD", url, **kwargs)

    def post(self, url: str, data: Any = None, **kwargs: Any) -> Any:
        return self.open("POST", url, data=data, **kwargs)

    def put(self, url: str, data: Any = None, **kwargs: Any) -> Any:
        return self.open("PUT", url, data=data, **kwargs)

    def patch(self, url: str, data: Any = None, **kwargs: Any) -> Any:
        return self.open("PATCH", url, data=data, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.open("DELETE", url, **kwargs)


def fetch_file(module: Any, url: str, data: Any = None, headers: dict | None = None, method: str | None = None,
               use_proxy: bool = True, force: bool = False, last_mod_time: Any = None, timeout: float = 10,
               unredirected_headers: list | None = None, decompress: bool = True, ciphers: list | None = None) -> str:
    """Download ``url`` into a file of the module's temporary directory (removed
    when the module exits) and return its path; the module fails on an error."""
    parsed = urllib.parse.urlsplit(url)
    name = os.path.basename(parsed.path) or "download"
    fd, path = tempfile.mkstemp(prefix=f"{name}.", dir=module.tmpdir)
    module.add_cleanup_file(path)
    response, info = fetch_url(module, url, data=data, headers=headers, method=method, use_proxy=use_proxy,
                               force=force, timeout=timeout, last_mod_time=last_mod_time,
                               unredirected_headers=unredirected_headers, decompress=decompress, ciphers=ciphers)
    if response is None or info["status"] != 200:
        os.close(fd)
        module.fail_json(msg=f"Failure downloading {url}, {info['msg']}")
    with os.fdopen(fd, "wb") as handle:
        while True:
            block = response.read(65536)
            if not block:
                break
            handle.write(block)
    return path
