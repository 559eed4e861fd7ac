"""``ansible.module_utils.facts.timeout``: a time limit for fact-gathering functions."""
from __future__ import annotations

import concurrent.futures
import functools
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["TimeoutError", "timeout", "DEFAULT_GATHER_TIMEOUT", "GATHER_TIMEOUT"]

DEFAULT_GATHER_TIMEOUT = 10
#: the limit in seconds a module set (``gather_timeout``), else the default
GATHER_TIMEOUT: int | None = None


class TimeoutError(Exception):  # noqa: A001 - Ansible's name
    """The decorated function did not finish in time."""


def timeout(seconds: Any = None, error_message: str = "Timer expired") -> Any:
    """Decorator: raise :class:`TimeoutError` when the function runs longer than
    ``seconds`` (default: ``GATHER_TIMEOUT`` or 10).  Usable as ``@timeout`` too."""
    def decorator(func: Callable, limit: Any) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wait = limit if limit is not None else (GATHER_TIMEOUT or DEFAULT_GATHER_TIMEOUT)
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
            future = pool.submit(func, *args, **kwargs)
            try:
                return future.result(timeout=wait)
            except concurrent.futures.TimeoutError:
                raise TimeoutError(f"{error_message}: {wait}") from None
            finally:
                pool.shutdown(wait=False)
        return wrapper

    if callable(seconds):
        return decorator(seconds, None)
    return lambda func: decorator(func, seconds)
