"""``ansible.utils.encrypt``: random passwords and salts."""
from __future__ import annotations

import secrets
import string

__all__ = ["random_password", "random_salt", "DEFAULT_PASSWORD_LENGTH"]

DEFAULT_PASSWORD_LENGTH = 20
_DEFAULT_CHARS = string.ascii_letters + string.digits + ".,:-_"


def random_password(length: int = DEFAULT_PASSWORD_LENGTH, chars: str | None = None,
                    seed: int | float | str | bytes | None = None) -> str:
    """``length`` characters drawn from ``chars`` (letters, digits and ``.,:-_``);
    with ``seed`` the same password every time."""
    pool = chars or _DEFAULT_CHARS
    if seed is None:
        return "".join(secrets.choice(pool) for _ in range(length))
    import random
    generator = random.Random(seed)
    return "".join(generator.choice(pool) for _ in range(length))


def random_salt(length: int = 8) -> str:
    """A salt of ``length`` characters valid in crypt(3) salts."""
    return random_password(length, string.ascii_letters + string.digits + "./")
