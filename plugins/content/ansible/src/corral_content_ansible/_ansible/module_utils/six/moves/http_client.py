"""``six.moves.http_client``: :mod:`http.client`."""
from http.client import *  # noqa: F401,F403 - an alias of the standard module
from http.client import HTTPConnection, HTTPException, HTTPResponse, HTTPSConnection, responses  # noqa: F401
