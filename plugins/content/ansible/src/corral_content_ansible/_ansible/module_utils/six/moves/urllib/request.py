"""``six.moves.urllib.request``: :mod:`urllib.request`."""
from urllib.request import *  # noqa: F401,F403 - an alias of the standard module
from urllib.request import (BaseHandler, HTTPSHandler, Request, build_opener, install_opener, pathname2url,  # noqa: F401
                            url2pathname, urlopen, urlretrieve)
