"""HTTP(S) requests for modules (``get_url``, ``uri``), on the standard library.

:func:`fetch_url` returns ``(response, info)`` as Ansible's does: ``response`` is a
file-like object (or ``None`` on failure) and ``info`` a dict with ``status``,
``msg``, ``url`` and the response headers in lower case (plus ``body`` when the
server answered with an error status).
"""
from __future__ import annotations

import base64
import ssl
import urllib.error
import urllib.request
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["fetch_url", "open_url", "url_argument_spec"]


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


def open_url(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
             use_proxy: bool = True, force: bool = False, timeout: float = 10, validate_certs: bool = True,
             url_username: str | None = None, url_password: str | None = None, http_agent: str | None = None,
             force_basic_auth: bool = False, follow_redirects: str = "urllib2", client_cert: str | None = None,
             client_key: str | None = None, **_ignored: Any) -> Any:
    """Open ``url`` and return the response; raises ``urllib.error`` exceptions."""
    headers = dict(headers or {})
    if http_agent:
        headers.setdefault("User-Agent", http_agent)
    if force:
        headers.setdefault("Cache-Control", "no-cache")
    handlers: list[Any] = []
    if not use_proxy:
        handlers.append(urllib.request.ProxyHandler({}))
    if url.startswith("https"):
        context = ssl.create_default_context()
        if not validate_certs:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if client_cert:
            context.load_cert_chain(client_cert, client_key)
        handlers.append(urllib.request.HTTPSHandler(context=context))
    if url_username is not None:
        if force_basic_auth:
            token = base64.b64encode(f"{url_username}:{url_password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        else:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, url, url_username, url_password or "")
            handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
    if follow_redirects in ("no", "none", False):
        handlers.append(_NoRedirect())
    elif follow_redirects == "safe":
        handlers.append(_SafeRedirect())
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    return opener.open(request, timeout=timeout)


def fetch_url(module: Any, url: str, data: bytes | None = None, headers: dict | None = None,
              method: str | None = None, use_proxy: bool | None = None, force: bool = False,
              timeout: float = 10, follow_redirects: str = "urllib2", **kwargs: Any) -> tuple[Any, dict[str, Any]]:
    """Open ``url`` with the module's URL options; never raises for HTTP or network
    errors: ``info['status']`` is the HTTP status, or -1 when there was none."""
    params = module.params
    options = {
        "validate_certs": params.get("validate_certs", True),
        "url_username": params.get("url_username"), "url_password": params.get("url_password"),
        "http_agent": params.get("http_agent"), "force_basic_auth": params.get("force_basic_auth", False),
        "client_cert": params.get("client_cert"), "client_key": params.get("client_key"),
        "use_proxy": params.get("use_proxy", True) if use_proxy is None else use_proxy,
    }
    options.update(kwargs)
    info: dict[str, Any] = {"url": url, "status": -1}
    try:
        response = open_url(url, data=data, headers=headers, method=method, force=force, timeout=timeout,
                            follow_redirects=follow_redirects, **options)
    except urllib.error.HTTPError as exc:
        body = b""
        try:
            body = exc.read()
        except OSError:
            pass
        info.update({k.lower(): v for k, v in exc.headers.items()} if exc.headers else {})
        info.update(status=exc.code, msg=f"HTTP Error {exc.code}: {exc.reason}", body=body, url=exc.url or url)
        return None, info
    except urllib.error.URLError as exc:
        info["msg"] = f"Request failed: {exc.reason}"
        return None, info
    except (OSError, ValueError, ssl.SSLError) as exc:
        info["msg"] = f"Request failed: {exc}"
        return None, info
    info.update({k.lower(): v for k, v in response.headers.items()})
    info.update(status=response.status, msg=f"OK ({response.headers.get('Content-Length', 'unknown')} bytes)",
                url=response.geturl())
    return response, info
