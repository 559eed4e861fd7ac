"""``six.moves.urllib.error``: :mod:`urllib.error`."""
from urllib.error import *  # noqa: F401,F403 - an alias of the standard module
from urllib.error import ContentTooShortError, HTTPError, URLError  # noqa: F401
