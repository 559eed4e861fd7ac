"""``six.moves.urllib_parse``: :mod:`urllib.parse`."""
from urllib.parse import *  # noqa: F401,F403 - an alias of the standard module
from urllib.parse import parse_qs, quote, unquote, urlencode, urljoin, urlparse, urlsplit, urlunparse  # noqa: F401
