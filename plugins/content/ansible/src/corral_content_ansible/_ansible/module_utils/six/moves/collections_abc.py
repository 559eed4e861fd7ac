"""``six.moves.collections_abc``: :mod:`collections.abc`."""
from collections.abc import *  # noqa: F401,F403 - an alias of the standard module
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence, Set  # noqa: F401
