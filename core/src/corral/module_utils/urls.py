"""HTTP(S) requests for modules (``get_url``, ``uri``, ``unarchive``...), on the standard library.

:func:`fetch_url` returns ``(response, info)`` as Ansible's does: ``response`` is a
file-like object (or ``None`` on failure) and ``info`` a dict with ``status``,
``msg``, ``url`` and the response headers in lower case (plus ``body`` when the
server answered with an error status).

:func:`open_url` honours every option of Ansible's URL modules: a CA bundle
(``ca_path``), an OpenSSL cipher list (``ciphers``), a client certificate, credentials
from ``~/.netrc`` (or ``$NETRC``), headers kept off redirects
(``unredirected_headers``), gzip-encoded responses decoded (``decompress``), a Unix
socket to connect through (``unix_socket``), the ``*_proxy`` environment variables
(``use_proxy``) and Kerberos (``use_gssapi``, which needs the ``gssapi`` library on the
target: without it the request fails with Ansible's missing-library message).
"""
from __future__ import annotations

import base64
import email.utils
import gzip
import http.client
import netrc
import os
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["fetch_url", "open_url", "prepare_multipart", "url_argument_spec", "MissingModuleError"]


class MissingModuleError(Exception):
    """A Python library the request needs is missing on the target (``gssapi``)."""


def url_argument_spec() -> dict[str, dict[str, Any]]:
    """The options every URL module accepts."""
    return {
        "url": {"type": "str", "required": True},
        "force": {"type": "bool", "default": False},
        "http_agent": {"type": "str", "default": "ansible-httpget"},
        "use_proxy": {"type": "bool", "default": True},
        "validate_certs": {"type": "bool", "default": True},
        "url_username": {"type": "str", "aliases": ["user"]},
        "url_password": {"type": "str", "aliases": ["password"], "no_log": True},
        "force_basic_auth": {"type": "bool", "default": False},
        "client_cert": {"type": "path"},
        "client_key": {"type": "path"},
        "use_gssapi": {"type": "bool", "default": False},
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        return None


class _SafeRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects of GET and HEAD only (Ansible's ``safe``)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        if req.get_method() not in ("GET", "HEAD"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _unix_connect(path: str, timeout: Any) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
        sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError as exc:
        sock.close()
        raise OSError(f"Invalid Socket File ({path}): {exc}") from exc
    return sock


class _UnixHTTPHandler(urllib.request.HTTPHandler):
    """``http://`` requests sent over a Unix socket (the URL's host is only the ``Host`` header)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path

    def http_open(self, req: Any) -> Any:
        path = self._path

        class Connection(http.client.HTTPConnection):
            def connect(self) -> None:
                self.sock = _unix_connect(path, self.timeout)

        return self.do_open(Connection, req)


class _UnixHTTPSHandler(urllib.request.HTTPSHandler):
    """``https://`` requests: TLS over a Unix socket."""

    def __init__(self, path: str, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._path = path
        self._ctx = context

    def https_open(self, req: Any) -> Any:
        path, context = self._path, self._ctx

        class Connection(http.client.HTTPSConnection):
            def connect(self) -> None:
                self.sock = context.wrap_socket(_unix_connect(path, self.timeout), server_hostname=self.host)

        return self.do_open(Connection, req, context=context)


class _GzipDecoded:
    """A response whose body is gunzipped as it is read; everything else is the response's."""

    def __init__(self, response: Any) -> None:
        self._response = response
        self._body = gzip.GzipFile(fileobj=response, mode="rb")

    def read(self, amt: int | None = None) -> bytes:
        return self._body.read(-1 if amt is None else amt)

    def close(self) -> None:
        self._body.close()
        self._response.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._response, name)


def _ssl_context(validate_certs: bool, ca_path: str | None, ciphers: list[str] | None,
                 client_cert: str | None, client_key: str | None) -> ssl.SSLContext:
    """The TLS context: ``ca_path`` alone is trusted when given."""
    context = ssl.create_default_context(cafile=ca_path)
    if not validate_certs:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if ciphers:
        context.set_ciphers(":".join(ciphers))
    if client_cert:
        context.post_handshake_auth = True
        context.load_cert_chain(client_cert, keyfile=client_key)
    return context


def _basic(username: str, password: str | None) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password or ''}".encode()).decode()


def _auth(url: str, username: str | None, password: str | None, use_gssapi: bool, force_basic_auth: bool,
          use_netrc: bool) -> tuple[str, dict[str, str], list[Any]]:
    """The URL without credentials, the auth headers and the auth handlers, in Ansible's
    order: GSSAPI, then the given (or URL's) user, then ``~/.netrc``."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "ftp":
        return url, {}, []
    netloc = parsed.netloc
    if not username and "@" in netloc:
        credentials, netloc = netloc.split("@", 1)
        username, _sep, password = credentials.partition(":")
        username, password = urllib.parse.unquote(username), urllib.parse.unquote(password)
        url = urllib.parse.urlunparse(parsed._replace(netloc=netloc))
    if use_gssapi:
        from corral.module_utils.basic import missing_required_lib
        try:
            import gssapi  # type: ignore[import-not-found]  # noqa: F401 - only whether it is there
        except ImportError:
            raise MissingModuleError(missing_required_lib("gssapi", reason="for use_gssapi=True",
                                                          url="https://pypi.org/project/gssapi/")) from None
        raise MissingModuleError("use_gssapi=True: corral has no GSSAPI (Kerberos) authentication handler")
    if username and not force_basic_auth:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, netloc, username, password or "")
        return url, {}, [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
    if username:
        return url, {"Authorization": _basic(username, password)}, []
    if use_netrc:
        try:
            login = netrc.netrc(os.environ.get("NETRC")).authenticators(parsed.hostname or "")
        except OSError:
            login = None
        if login and login[0] and login[2]:
            return url, {"Authorization": _basic(login[0], login[2])}, []
    return url, {}, []


def open_url(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
             use_proxy: bool = True, force: bool = False, last_mod_time: Any = None, timeout: float = 10,
             validate_certs: bool = True, url_username: str | None = None, url_password: str | None = None,
             http_agent: str | None = None, force_basic_auth: bool = False, follow_redirects: str = "urllib2",
             client_cert: str | None = None, client_key: str | None = None, cookies: Any = None,
             use_gssapi: bool = False, unix_socket: str | None = None, ca_path: str | None = None,
             unredirected_headers: list[str] | None = None, decompress: bool = True,
             ciphers: list[str] | None = None, use_netrc: bool = True, **_ignored: Any) -> Any:
    """Open ``url`` and return the response; raises ``urllib.error`` exceptions, ``OSError``
    for a connection failure and :class:`MissingModuleError` for ``use_gssapi`` without
    ``gssapi``. ``last_mod_time`` (a datetime) sends ``If-Modified-Since`` unless ``force``."""
    headers = dict(headers or {})
    handlers: list[Any] = []
    if unix_socket:
        handlers.append(_UnixHTTPHandler(unix_socket))
    url, auth_headers, auth_handlers = _auth(url, url_username, url_password, use_gssapi, force_basic_auth,
                                             use_netrc)
    headers.update(auth_headers)
    handlers.extend(auth_handlers)
    if not use_proxy:
        handlers.append(urllib.request.ProxyHandler({}))
    context = _ssl_context(validate_certs, ca_path, ciphers, client_cert, client_key)
    handlers.append(_UnixHTTPSHandler(unix_socket, context) if unix_socket
                    else urllib.request.HTTPSHandler(context=context))
    if follow_redirects in ("no", "none", False):
        handlers.append(_NoRedirect())
    elif follow_redirects == "safe":
        handlers.append(_SafeRedirect())
    if cookies is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(cookies))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=data, method=method)
    if http_agent:
        request.add_header("User-agent", http_agent)
    if force:
        request.add_header("cache-control", "no-cache")
    elif last_mod_time:
        request.add_header("If-Modified-Since", email.utils.format_datetime(last_mod_time, usegmt=True))
    unredirected = {name.lower() for name in unredirected_headers or ()}
    for name, value in headers.items():
        if name.lower() in unredirected:
            request.add_unredirected_header(name, value)
        else:
            request.add_header(name, value)
    response = opener.open(request, timeout=timeout)
    if decompress and response.headers.get("content-encoding", "").lower() == "gzip":
        return _GzipDecoded(response)
    return response


def fetch_url(module: Any, url: str, data: bytes | None = None, headers: dict | None = None,
              method: str | None = None, use_proxy: bool | None = None, force: bool = False,
              timeout: float = 10, follow_redirects: str = "urllib2", **kwargs: Any) -> tuple[Any, dict[str, Any]]:
    """Open ``url`` with the module's URL options (``validate_certs``, ``url_username``,
    ``url_password``, ``http_agent``, ``force_basic_auth``, ``client_cert``, ``client_key``,
    ``use_proxy``, ``use_gssapi``); ``kwargs`` are :func:`open_url`'s others. Never raises
    for HTTP or network errors: ``info['status']`` is the HTTP status, or -1 when there
    was none. A missing ``gssapi`` library fails the module, as Ansible's does."""
    import http.cookiejar

    params = module.params
    cookies = kwargs.pop("cookies", None)
    if not isinstance(cookies, http.cookiejar.CookieJar):
        cookies = http.cookiejar.CookieJar()
    options = {
        "validate_certs": params.get("validate_certs", True),
        "url_username": params.get("url_username"), "url_password": params.get("url_password"),
        "http_agent": params.get("http_agent"), "force_basic_auth": params.get("force_basic_auth", False),
        "client_cert": params.get("client_cert"), "client_key": params.get("client_key"),
        "use_proxy": params.get("use_proxy", True) if use_proxy is None else use_proxy,
        "use_gssapi": params.get("use_gssapi", False), "cookies": cookies,
    }
    options.update(kwargs)
    info: dict[str, Any] = {"url": url, "status": -1}
    try:
        response = open_url(url, data=data, headers=headers, method=method, force=force, timeout=timeout,
                            follow_redirects=follow_redirects, **options)
    except MissingModuleError as exc:
        module.fail_json(msg=str(exc))
    except urllib.error.HTTPError as exc:
        body = b""
        try:
            body = exc.read()
        except OSError:
            pass
        info.update({k.lower(): v for k, v in exc.headers.items()} if exc.headers else {})
        info.update(status=exc.code, msg=f"HTTP Error {exc.code}: {exc.reason}", body=body, url=exc.url or url)
        return None, info
    except ValueError as exc:
        module.fail_json(msg=str(exc), **info)
    except urllib.error.URLError as exc:
        info.update(msg=f"Request failed: {exc}", status=int(getattr(exc, "code", -1)))
        return None, info
    except OSError as exc:
        info["msg"] = f"Connection failure: {exc}"
        return None, info
    except http.client.BadStatusLine as exc:
        info["msg"] = ("Connection failure: connection was closed before a valid response was received: "
                       f"{exc.args[0] if exc.args else ''}")
        return None, info
    except Exception as exc:  # noqa: BLE001 - any other failure is the request's, as in Ansible
        info["msg"] = f"An unknown error occurred: {exc}"
        return None, info
    for name, value in response.headers.items():  # a repeated header's values joined, as in Ansible
        name = name.lower()
        info[name] = f"{info[name]}, {value}" if name in info and name not in ("url", "status") else value
    info["cookies_string"] = "; ".join(f"{cookie.name}={cookie.value}" for cookie in cookies)
    info["cookies"] = {cookie.name: cookie.value for cookie in cookies}
    info.update(status=response.status, msg=f"OK ({response.headers.get('Content-Length', 'unknown')} bytes)",
                url=response.geturl())
    return response, info


def prepare_multipart(fields: Any) -> tuple[str, bytes]:
    """A ``multipart/form-data`` body for ``fields`` (a mapping) and its ``Content-Type``.

    A string value is a ``text/plain`` part; a mapping value is a file part with
    ``filename`` (a path read when ``content`` is not given, base64-encoded unless
    ``multipart_encoding`` is ``7or8bit``), ``content`` and ``mime_type`` (guessed from
    the file name when missing). Fields are sent in sorted order. Raises ``TypeError`` or
    ``ValueError`` for a value of another shape."""
    import email.encoders
    import email.mime.application
    import email.mime.multipart
    import email.mime.nonmultipart
    import email.parser
    import email.policy
    import mimetypes
    from collections.abc import Mapping

    if not isinstance(fields, Mapping):
        raise TypeError(f"Mapping is required, cannot be type {type(fields).__name__}")
    encoders = {"base64": email.encoders.encode_base64, "7or8bit": email.encoders.encode_7or8bit}
    message = email.mime.multipart.MIMEMultipart("form-data")
    for name, value in sorted(fields.items()):
        filename = None
        part: Any
        if isinstance(value, str):
            part = email.mime.nonmultipart.MIMENonMultipart("text", "plain")
            part.set_payload(value.encode())
        elif isinstance(value, Mapping):
            filename, content = value.get("filename"), value.get("content")
            if not filename and not content:
                raise ValueError("at least one of filename or content must be provided")
            mime = value.get("mime_type") or mimetypes.guess_type(filename or "", strict=False)[0] \
                or "application/octet-stream"
            main_type, _sep, sub_type = mime.partition("/")
            if content:
                part = email.mime.nonmultipart.MIMENonMultipart(main_type, sub_type)
                part.set_payload(content.encode() if isinstance(content, str) else content)
            else:
                encoding = value.get("multipart_encoding") or "base64"
                if encoding not in encoders:
                    raise ValueError(f"multipart_encoding must be one of {encoders.keys()!r}.")
                with open(str(filename), "rb") as handle:
                    part = email.mime.application.MIMEApplication(handle.read(), _encoder=encoders[encoding])
                del part["Content-Type"]
                part.add_header("Content-Type", mime)
        else:
            raise TypeError(f"value must be a string, or mapping, cannot be type {type(value).__name__}")
        part.add_header("Content-Disposition", "form-data")
        del part["MIME-Version"]
        part.set_param("name", name, header="Content-Disposition")
        if filename:
            part.set_param("filename", os.path.basename(filename), header="Content-Disposition")
        message.attach(part)
    head, _sep, body = message.as_bytes(policy=email.policy.HTTP).partition(b"\r\n\r\n")
    return str(email.parser.BytesHeaderParser().parsebytes(head)["content-type"]), body
