"""``six.moves.urllib.robotparser``: :mod:`urllib.robotparser`."""
from urllib.robotparser import *  # noqa: F401,F403 - an alias of the standard module
from urllib.robotparser import RobotFileParser  # noqa: F401
