"""``six.moves.urllib.response``: :mod:`urllib.response`."""
from urllib.response import *  # noqa: F401,F403 - an alias of the standard module
from urllib.response import addbase, addclosehook, addinfo, addinfourl  # noqa: F401
