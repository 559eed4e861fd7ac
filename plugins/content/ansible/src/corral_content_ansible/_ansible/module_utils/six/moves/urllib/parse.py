"""``six.moves.urllib.parse``: :mod:`urllib.parse`."""
from urllib.parse import *  # noqa: F401,F403 - an alias of the standard module
from urllib.parse import (ParseResult, SplitResult, parse_qs, parse_qsl, quote, quote_plus, unquote,  # noqa: F401
                          unquote_plus, urldefrag, urlencode, urljoin, urlparse, urlsplit, urlunparse, urlunsplit,
                          uses_fragment, uses_netloc, uses_params, uses_query, uses_relative)
