"""``lookup('url', 'https://...')``: the body of a URL, fetched on the controller.

With ``split_lines`` (the default) each line of a body is one item of the
result (so ``lookup`` joins them with commas); without it a body is one item.
Options: ``validate_certs`` (default true), ``use_proxy`` (the ``*_proxy``
environment variables; default true), ``headers`` (a dict), ``username`` and
``password`` (basic authentication, sent when the server asks, or at once with
``force_basic_auth``), ``force`` (``Cache-Control: no-cache``), ``timeout``
(seconds, default 10), ``http_agent`` (default ``ansible-httpget``),
``follow_redirects`` (``urllib2``/``all``/``safe``/``yes``: follow; ``none``/
``no``: do not), ``ca_path`` (a CA bundle).  An HTTP error status and a failed
connection are errors naming the URL.
"""
from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from corral.errors import CorralError
from corral.plugins.lookup import LookupBase
from corral_template_lookups._common import as_bool, reject_undefined

if TYPE_CHECKING:   # ssl and urllib.request are imported when a URL is fetched, not at every start
    import urllib.request

__all__ = ["UrlLookup"]

_NO_REDIRECTS = ("none", "no", "false")


def _no_redirect() -> urllib.request.HTTPRedirectHandler:
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return NoRedirect()


class UrlLookup(LookupBase):
    """See the module documentation."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        reject_undefined(*terms)
        opener = self._opener(kwargs, [str(term) for term in terms])
        split_lines = as_bool(kwargs.get("split_lines", True))
        result: list[Any] = []
        for term in terms:
            body = self._fetch(opener, str(term), kwargs)
            result.extend(body.splitlines() if split_lines else [body])
        return result

    @staticmethod
    def _opener(options: Mapping[str, Any], urls: list[str]) -> urllib.request.OpenerDirector:
        import ssl
        import urllib.request
        context = ssl.create_default_context(cafile=str(options["ca_path"]) if options.get("ca_path") else None)
        if not as_bool(options.get("validate_certs", True)):
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        handlers: list[Any] = [urllib.request.HTTPSHandler(context=context)]
        if not as_bool(options.get("use_proxy", True)):
            handlers.append(urllib.request.ProxyHandler({}))
        if str(options.get("follow_redirects", "urllib2")).lower() in _NO_REDIRECTS:
            handlers.append(_no_redirect())
        username = options.get("username")
        if username is not None and not as_bool(options.get("force_basic_auth", False)):
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, urls, str(username), str(options.get("password") or ""))
            handlers.append(urllib.request.HTTPBasicAuthHandler(passwords))
        return urllib.request.build_opener(*handlers)

    @staticmethod
    def _fetch(opener: urllib.request.OpenerDirector, url: str, options: Mapping[str, Any]) -> str:
        import urllib.error
        import urllib.request
        headers = {"User-Agent": str(options.get("http_agent", "ansible-httpget"))}
        extra = options.get("headers") or {}
        if not isinstance(extra, Mapping):
            raise CorralError(f"url lookup: headers must be a dictionary, got {type(extra).__name__}")
        headers.update({str(k): str(v) for k, v in extra.items()})
        if as_bool(options.get("force", False)):
            headers["Cache-Control"] = "no-cache"
        username = options.get("username")
        if username is not None and as_bool(options.get("force_basic_auth", False)):
            pair = f"{username}:{options.get('password') or ''}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        try:
            request = urllib.request.Request(url, headers=headers)
            with opener.open(request, timeout=float(options.get("timeout", 10))) as response:
                raw = response.read()
                charset = response.headers.get_content_charset() or "utf-8"
        except urllib.error.HTTPError as exc:
            raise CorralError(f"Received HTTP error for {url}: {exc}") from exc
        except urllib.error.URLError as exc:
            raise CorralError(f"Failed lookup url for {url}: {exc}") from exc
        except ValueError as exc:       # not a URL at all
            raise CorralError(str(exc)) from exc
        except OSError as exc:          # a timeout while reading, a reset connection
            raise CorralError(f"Failed lookup url for {url}: {exc}") from exc
        return raw.decode(charset, "replace")
