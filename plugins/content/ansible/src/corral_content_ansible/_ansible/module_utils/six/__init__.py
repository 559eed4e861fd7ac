"""``ansible.module_utils.six``: the ``six`` API that modules written for both Python 2
and 3 use, for Python 3 only (``PY3`` is true; ``six.moves`` maps to the Python 3
standard library)."""
from __future__ import annotations

import functools
import io
import sys
import types
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, NoReturn

from ansible.module_utils.six import moves

__all__ = ["PY2", "PY3", "PY34", "string_types", "integer_types", "class_types", "text_type", "binary_type",
           "MAXSIZE", "moves", "b", "u", "unichr", "int2byte", "byte2int", "indexbytes", "iterbytes",
           "iteritems", "iterkeys", "itervalues", "iterlists", "viewitems", "viewkeys", "viewvalues",
           "ensure_binary", "ensure_str", "ensure_text", "with_metaclass", "add_metaclass", "raise_from",
           "reraise", "exec_", "print_", "next", "advance_iterator", "callable", "get_unbound_function",
           "create_bound_method", "get_method_function", "get_method_self", "get_function_code",
           "get_function_globals", "wraps", "python_2_unicode_compatible", "StringIO", "BytesIO",
           "assertCountEqual", "assertRaisesRegex", "assertRegex"]

PY2 = False
PY3 = True
PY34 = True
string_types = (str,)
integer_types = (int,)
class_types = (type,)
text_type = str
binary_type = bytes
MAXSIZE = sys.maxsize
StringIO = io.StringIO
BytesIO = io.BytesIO
unichr = chr
def int2byte(i: int) -> bytes:
    return bytes((i,))

next = advance_iterator = next
callable = callable
exec_ = exec
print_ = print
wraps = functools.wraps


def b(s: str) -> bytes:
    """A byte string from a latin-1 literal."""
    return s.encode("latin-1")


def u(s: str) -> str:
    """A text literal."""
    return s


def byte2int(bs: bytes) -> int:
    return bs[0]


def indexbytes(buf: bytes, i: int) -> int:
    return buf[i]


def iterbytes(buf: bytes) -> Iterator[int]:
    return iter(buf)


def iteritems(d: Any, **kw: Any) -> Iterator[Any]:
    return iter(d.items(**kw))


def iterkeys(d: Any, **kw: Any) -> Iterator[Any]:
    return iter(d.keys(**kw))


def itervalues(d: Any, **kw: Any) -> Iterator[Any]:
    return iter(d.values(**kw))


def iterlists(d: Any, **kw: Any) -> Iterator[Any]:
    return iter(d.lists(**kw))


def viewitems(d: Any) -> Any:
    return d.items()


def viewkeys(d: Any) -> Any:
    return d.keys()


def viewvalues(d: Any) -> Any:
    return d.values()


def get_unbound_function(unbound: Any) -> Any:
    return unbound


def create_bound_method(func: Callable, obj: Any) -> Any:
    return types.MethodType(func, obj)


def get_method_function(method: Any) -> Any:
    return method.__func__


def get_method_self(method: Any) -> Any:
    return method.__self__


def get_function_code(func: Any) -> Any:
    return func.__code__


def get_function_globals(func: Any) -> Any:
    return func.__globals__


def ensure_binary(s: Any, encoding: str = "utf-8", errors: str = "strict") -> bytes:
    """``s`` as bytes (text is encoded); anything else is a ``TypeError``."""
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode(encoding, errors)
    raise TypeError(f"not expecting type '{type(s)}'")


def ensure_text(s: Any, encoding: str = "utf-8", errors: str = "strict") -> str:
    """``s`` as text (bytes are decoded); anything else is a ``TypeError``."""
    if isinstance(s, bytes):
        return s.decode(encoding, errors)
    if isinstance(s, str):
        return s
    raise TypeError(f"not expecting type '{type(s)}'")


ensure_str = ensure_text


def with_metaclass(meta: type, *bases: type) -> Any:
    """A base class that makes the class defined from it use metaclass ``meta``."""
    return meta("NewBase", bases or (object,), {})


def add_metaclass(metaclass: type) -> Callable[[type], type]:
    """Class decorator: recreate the class with ``metaclass``."""
    def wrapper(cls: type) -> type:
        body = dict(cls.__dict__)
        body.pop("__dict__", None)
        body.pop("__weakref__", None)
        return metaclass(cls.__name__, cls.__bases__, body)
    return wrapper


def raise_from(value: BaseException, from_value: BaseException | None) -> NoReturn:
    raise value from from_value


def reraise(tp: Any, value: BaseException | None, tb: Any = None) -> NoReturn:
    if value is None:
        value = tp()
    if value.__traceback__ is not tb:
        raise value.with_traceback(tb)
    raise value


def python_2_unicode_compatible(klass: type) -> type:
    return klass


def assertCountEqual(self: Any, *args: Any, **kwargs: Any) -> Any:
    return self.assertCountEqual(*args, **kwargs)


def assertRaisesRegex(self: Any, *args: Any, **kwargs: Any) -> Any:
    return self.assertRaisesRegex(*args, **kwargs)


def assertRegex(self: Any, *args: Any, **kwargs: Any) -> Any:
    return self.assertRegex(*args, **kwargs)
