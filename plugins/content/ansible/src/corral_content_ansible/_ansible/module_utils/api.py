"""``ansible.module_utils.api``: option specs and retry helpers for modules that call web APIs."""
from __future__ import annotations

import functools
import random
import time
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator

__all__ = ["rate_limit_argument_spec", "retry_argument_spec", "basic_auth_argument_spec", "rate_limit",
           "retry", "generate_jittered_backoff", "retry_never", "retry_with_delays_and_condition"]


def rate_limit_argument_spec(spec: dict | None = None) -> dict[str, Any]:
    """``rate`` and ``rate_limit`` options (plus ``spec``)."""
    arg_spec: dict[str, Any] = {"rate": {"type": "int"}, "rate_limit": {"type": "int"}}
    arg_spec.update(spec or {})
    return arg_spec


def retry_argument_spec(spec: dict | None = None) -> dict[str, Any]:
    """``retries`` and ``retry_pause`` options (plus ``spec``)."""
    arg_spec: dict[str, Any] = {"retries": {"type": "int"}, "retry_pause": {"type": "float", "default": 1}}
    arg_spec.update(spec or {})
    return arg_spec


def basic_auth_argument_spec(spec: dict | None = None) -> dict[str, Any]:
    """``api_username``, ``api_password``, ``api_url`` and ``validate_certs`` (plus ``spec``)."""
    arg_spec: dict[str, Any] = {
        "api_username": {"type": "str"},
        "api_password": {"type": "str", "no_log": True},
        "api_url": {"type": "str"},
        "validate_certs": {"type": "bool", "default": True},
    }
    arg_spec.update(spec or {})
    return arg_spec


def rate_limit(rate: int | None = None, rate_limit: int | None = None) -> Callable:
    """Decorator: at most ``rate`` calls per ``rate_limit`` seconds."""
    minrate = float(rate_limit) / float(rate) if rate is not None and rate_limit is not None else None

    def wrapper(f: Callable) -> Callable:
        last = [0.0]

        @functools.wraps(f)
        def ratelimited(*args: Any, **kwargs: Any) -> Any:
            if minrate is not None:
                elapsed = time.monotonic() - last[0]
                if elapsed < minrate:
                    time.sleep(minrate - elapsed)
                last[0] = time.monotonic()
            return f(*args, **kwargs)
        return ratelimited
    return wrapper


def retry(retries: int | None = None, retry_pause: float = 1) -> Callable:
    """Decorator: call again (after ``retry_pause`` seconds) while the call raises
    or returns a false value, at most ``retries`` times; then raise ``Exception``."""
    def wrapper(f: Callable) -> Callable:
        @functools.wraps(f)
        def retried(*args: Any, **kwargs: Any) -> Any:
            attempt = 0
            if retries is None:
                return f(*args, **kwargs)
            while True:
                attempt += 1
                if attempt > retries:
                    raise Exception(f"Retry limit exceeded: {retries}")
                try:
                    result = f(*args, **kwargs)
                except Exception:  # noqa: BLE001 - any failure is retried, as documented
                    result = None
                if result:
                    return result
                time.sleep(retry_pause)
        return retried
    return wrapper


def generate_jittered_backoff(retries: int = 10, delay_base: float = 3, delay_threshold: float = 60) -> Iterator[float]:
    """Delays for ``retries`` attempts: random up to ``delay_base * 2**n``, capped at ``delay_threshold``."""
    for attempt in range(retries):
        yield random.randint(0, int(min(delay_threshold, delay_base * 2 ** attempt)))


def retry_never(exception_or_result: Any) -> bool:
    """A retry condition that never retries."""
    return False


def retry_with_delays_and_condition(backoff_iterator: Any, should_retry_error: Callable | None = None) -> Callable:
    """Decorator: on an exception that ``should_retry_error`` accepts, wait the next
    delay of ``backoff_iterator`` and call again; the last attempt's exception is raised."""
    condition = should_retry_error or retry_never

    def wrapper(f: Callable) -> Callable:
        @functools.wraps(f)
        def retried(*args: Any, **kwargs: Any) -> Any:
            for delay in backoff_iterator:
                try:
                    return f(*args, **kwargs)
                except Exception as exc:  # noqa: BLE001 - the condition decides
                    if not condition(exc):
                        raise
                time.sleep(delay)
            return f(*args, **kwargs)
        return retried
    return wrapper


