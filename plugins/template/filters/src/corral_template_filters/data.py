"""Data filters: JSON and YAML, dictionary merging and reshaping."""
from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from jinja2 import pass_environment

from corral.errors import CorralError
from corral.parsing.yaml_loader import load_yaml, load_yaml_all
from corral_template_filters._checks import fail, require_mapping, strict, type_name

__all__ = ["to_json", "to_nice_json", "from_json", "to_yaml", "to_nice_yaml", "from_yaml",
           "from_yaml_all", "combine", "merge_hash", "dict2items", "items2dict", "extract",
           "subelements", "json_query", "FILTERS"]

LIST_MERGE_MODES = ("replace", "keep", "append", "prepend", "append_rp", "prepend_rp")


# -- JSON ------------------------------------------------------------------------

class _Encoder(json.JSONEncoder):
    """JSON for template data: any mapping as an object, any sequence as an array,
    dates as ISO 8601 text."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Mapping):
            return dict(o)
        if isinstance(o, (set, frozenset, tuple)) or (isinstance(o, Sequence) and not isinstance(o, (str, bytes))):
            return list(o)
        if isinstance(o, (datetime.date, datetime.datetime, datetime.time)):
            return o.isoformat()
        if isinstance(o, bytes):
            return o.decode("utf-8", "surrogateescape")
        return super().default(o)


def _dumps(name: str, value: Any, **kw: Any) -> str:
    try:
        return json.dumps(value, cls=_Encoder, **kw)
    except (TypeError, ValueError) as exc:
        raise fail(f"{name}: cannot convert the value to JSON: {exc}") from exc


@strict
def to_json(value: Any, **kw: Any) -> str:
    """``value`` as compact JSON; keyword arguments go to :func:`json.dumps`."""
    return _dumps("to_json", value, **kw)


@strict
def to_nice_json(value: Any, indent: int = 4, sort_keys: bool = True, **kw: Any) -> str:
    """``value`` as indented JSON with sorted keys."""
    return _dumps("to_nice_json", value, indent=indent, sort_keys=sort_keys, separators=(",", ": "), **kw)


@strict
def from_json(value: Any, **kw: Any) -> Any:
    """Parse the JSON text ``value``."""
    if not isinstance(value, (str, bytes, bytearray)):
        raise fail(f"from_json requires a string, got {type_name(value)} ({value!r}) instead.")
    try:
        return json.loads(value, **kw)
    except ValueError as exc:
        raise fail(f"from_json: the input is not valid JSON: {exc}") from exc


# -- YAML ------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes corral's subclasses of the builtin types (YAML
    positions, unsafe text) and tuples as plain YAML."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    return dumper.represent_str(str(data))


def _represent_mapping(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.Node:
    return dumper.represent_dict(dict(data))


def _represent_sequence(dumper: yaml.SafeDumper, data: Sequence[Any]) -> yaml.Node:
    return dumper.represent_list(list(data))


_Dumper.add_multi_representer(str, _represent_str)
_Dumper.add_multi_representer(dict, _represent_mapping)
_Dumper.add_multi_representer(list, _represent_sequence)
_Dumper.add_multi_representer(tuple, _represent_sequence)


def _yaml_dump(name: str, value: Any, **kw: Any) -> str:
    try:
        return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, **kw)
    except yaml.YAMLError as exc:
        raise fail(f"{name}: cannot convert the value to YAML: {exc}") from exc


@strict
def to_yaml(value: Any, **kw: Any) -> str:
    """``value`` as YAML (flow style for innermost collections)."""
    kw.setdefault("default_flow_style", None)
    return _yaml_dump("to_yaml", value, **kw)


@strict
def to_nice_yaml(value: Any, indent: int = 4, **kw: Any) -> str:
    """``value`` as block-style YAML indented by ``indent``."""
    kw.setdefault("default_flow_style", False)
    return _yaml_dump("to_nice_yaml", value, indent=indent, **kw)


def _yaml_text(value: Any) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return value if isinstance(value, str) else None


@strict
def from_yaml(value: Any) -> Any:
    """Parse the YAML text ``value`` (``!unsafe`` supported); any other value is
    returned as it is, as Ansible does."""
    text = _yaml_text(value)
    if text is None:
        return value
    try:
        return load_yaml(text)
    except CorralError as exc:
        raise fail(f"from_yaml: {exc}") from exc


@strict
def from_yaml_all(value: Any) -> Any:
    """Parse every document of the YAML stream ``value`` into a list."""
    text = _yaml_text(value)
    if text is None:
        return value
    try:
        return load_yaml_all(text)
    except CorralError as exc:
        raise fail(f"from_yaml_all: {exc}") from exc


# -- dictionaries ----------------------------------------------------------------

def _merge_lists(old: list[Any], new: list[Any], list_merge: str) -> list[Any]:
    if list_merge == "replace":
        return list(new)
    if list_merge == "keep":
        return list(old)
    if list_merge == "append":
        return list(old) + list(new)
    if list_merge == "prepend":
        return list(new) + list(old)
    if list_merge == "append_rp":
        return [item for item in old if item not in new] + list(new)
    return list(new) + [item for item in old if item not in new]  # prepend_rp


def merge_hash(old: Mapping[Any, Any], new: Mapping[Any, Any], recursive: bool = True,
               list_merge: str = "replace") -> dict[Any, Any]:
    """Return a new dict: ``old`` updated by ``new``.

    Dicts in both are merged when ``recursive``; lists in both are combined by
    ``list_merge`` (``replace``, ``keep``, ``append``, ``prepend``, ``append_rp``,
    ``prepend_rp``: the ``_rp`` forms first drop from the old list the items that
    the new one has).  Neither input is changed.
    """
    if list_merge not in LIST_MERGE_MODES:
        raise fail(f"combine: 'list_merge' must be one of {', '.join(LIST_MERGE_MODES)}; got '{list_merge}'")
    result = dict(old)
    for key, value in new.items():
        if key in result:
            current = result[key]
            if isinstance(current, Mapping) and isinstance(value, Mapping):
                result[key] = merge_hash(current, value, recursive, list_merge) if recursive else value
                continue
            if isinstance(current, list) and isinstance(value, list):
                result[key] = _merge_lists(current, value, list_merge)
                continue
        result[key] = value
    return result


@strict
def combine(*terms: Any, **kwargs: Any) -> dict[Any, Any]:
    """Merge dictionaries left to right; arguments may also be lists of
    dictionaries.  ``recursive`` (default False) and ``list_merge`` (default
    ``replace``) as in :func:`merge_hash`."""
    unknown = set(kwargs) - {"recursive", "list_merge"}
    if unknown:
        raise fail(f"combine: 'recursive' and 'list_merge' are the only valid keyword arguments, "
                   f"got {', '.join(sorted(unknown))}")
    recursive = bool(kwargs.get("recursive", False))
    list_merge = kwargs.get("list_merge", "replace")
    dicts: list[Mapping[Any, Any]] = []
    for term in terms:
        parts = term if isinstance(term, list) else [term]
        for part in parts:
            if not isinstance(part, Mapping):
                raise fail(f"combine expects dictionaries, got {type_name(part)} ({part!r})")
            dicts.append(part)
    result: dict[Any, Any] = {}
    for part in dicts:
        result = merge_hash(result, part, recursive, list_merge)
    return result


@strict
def dict2items(value: Any, key_name: str = "key", value_name: str = "value") -> list[dict[str, Any]]:
    """``{k: v}`` to ``[{key_name: k, value_name: v}, ...]``."""
    mapping = require_mapping("dict2items", value)
    return [{key_name: key, value_name: item} for key, item in mapping.items()]


@strict
def items2dict(value: Any, key_name: str = "key", value_name: str = "value") -> dict[Any, Any]:
    """``[{key_name: k, value_name: v}, ...]`` to ``{k: v}``."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise fail(f"items2dict requires a list, got {type_name(value)} ({value!r}) instead.")
    result: dict[Any, Any] = {}
    for item in value:
        if not isinstance(item, Mapping):
            raise fail(f"items2dict requires a list of dictionaries, got {item!r} in the list.")
        if key_name not in item or value_name not in item:
            raise fail(f"items2dict requires each dictionary in the list to contain the keys "
                       f"'{key_name}' and '{value_name}', got {dict(item)!r}.")
        result[item[key_name]] = item[value_name]
    return result


@pass_environment
@strict
def extract(environment: Any, item: Any, container: Any, morekeys: Any = None) -> Any:
    """``container[item]``, then indexed by each of ``morekeys`` (a key or a list
    of keys); a missing key gives an undefined value, as ``container[item]`` would
    in a template."""
    value = environment.getitem(container, item)
    if morekeys is None:
        return value
    for key in morekeys if isinstance(morekeys, list) else [morekeys]:
        value = environment.getitem(value, key)
    return value


@strict
def subelements(value: Any, subelement: Any, skip_missing: bool = False) -> list[list[Any]]:
    """Pairs ``[element, sub]`` for each ``sub`` in the list ``element[subelement]``
    of each element of ``value`` (a list, or a dict's values); ``subelement`` may be
    a dotted path.  Elements without it fail unless ``skip_missing``."""
    if isinstance(value, Mapping):
        elements = list(value.values())
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        elements = list(value)
    else:
        raise fail(f"subelements requires a list or a dictionary, got {type_name(value)} ({value!r})")
    if isinstance(subelement, str):
        path = subelement.split(".")
    elif isinstance(subelement, Sequence):
        path = list(subelement)
    else:
        raise fail(f"subelements: the subelement must be a string or a list of keys, got {type_name(subelement)}")
    result: list[list[Any]] = []
    for element in elements:
        current: Any = element
        missing = False
        for key in path:
            if not isinstance(current, Mapping) or key not in current:
                if skip_missing:
                    missing = True
                    break
                raise fail(f"subelements: could not find '{key}' key in iterated item {element!r}")
            current = current[key]
        if missing:
            continue
        if not isinstance(current, list):
            raise fail(f"subelements: the key '{subelement}' should point to a list, got {current!r}")
        result.extend([element, sub] for sub in current)
    return result


@strict
def json_query(data: Any, expr: str) -> Any:
    """Query ``data`` with the JMESPath expression ``expr`` (needs ``jmespath``)."""
    try:
        import jmespath
    except ImportError as exc:
        raise fail('You need to install "jmespath" prior to running json_query filter '
                   "(pip install corral-template-filters[jmespath])") from exc
    plain = json.loads(_dumps("json_query", data))
    try:
        return jmespath.search(expr, plain)
    except jmespath.exceptions.JMESPathError as exc:
        raise fail(f"json_query: {exc}") from exc


FILTERS = {
    "to_json": to_json,
    "to_nice_json": to_nice_json,
    "from_json": from_json,
    "to_yaml": to_yaml,
    "to_nice_yaml": to_nice_yaml,
    "from_yaml": from_yaml,
    "from_yaml_all": from_yaml_all,
    "combine": combine,
    "dict2items": dict2items,
    "items2dict": items2dict,
    "extract": extract,
    "subelements": subelements,
    "json_query": json_query,
}
