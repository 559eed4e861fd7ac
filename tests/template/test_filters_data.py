"""corral_template_filters.data: JSON/YAML, combine, dict2items, items2dict, extract,
subelements, json_query."""
from __future__ import annotations

import datetime
import sys

import jinja2
import pytest

from corral.errors import CorralTemplateError, CorralUndefinedVariable
from corral.parsing.yaml_objects import AnsibleMapping, AnsibleUnicode
from corral.utils.unsafe import UnsafeText, is_unsafe
from corral_template_filters import data


def test_to_json_variants():
    assert data.to_json({"b": 1, "a": [1, None, True]}) == '{"b": 1, "a": [1, null, true]}'
    assert data.to_json({"b": 1, "a": 2}, sort_keys=True) == '{"a": 2, "b": 1}'
    assert data.to_json({"a": "é"}) == '{"a": "\\u00e9"}'
    assert data.to_json({"a": "é"}, ensure_ascii=False) == '{"a": "é"}'
    assert data.to_nice_json({"b": [1], "a": 1}) == '{\n    "a": 1,\n    "b": [\n        1\n    ]\n}'
    assert data.to_nice_json({"a": 1}, indent=2) == '{\n  "a": 1\n}'


def test_to_json_of_corral_types_and_dates():
    mapping = AnsibleMapping(a=AnsibleUnicode("x"), u=UnsafeText("y"))
    assert data.to_json(mapping) == '{"a": "x", "u": "y"}'
    assert data.to_json({"when": datetime.date(2020, 1, 2)}) == '{"when": "2020-01-02"}'
    assert data.to_json((1, 2)) == "[1, 2]"


def test_to_json_rejects_what_json_cannot_hold(undefined):
    with pytest.raises(CorralTemplateError, match="to_json: cannot convert"):
        data.to_json({"a": object()})
    with pytest.raises(jinja2.UndefinedError):
        data.to_json(undefined)
    with pytest.raises(jinja2.UndefinedError):
        data.to_nice_json(undefined)


def test_from_json():
    assert data.from_json('{"a": [1, 2]}') == {"a": [1, 2]}
    assert data.from_json(b"[1]") == [1]
    with pytest.raises(CorralTemplateError, match="not valid JSON"):
        data.from_json("{nope")
    with pytest.raises(CorralTemplateError, match="from_json requires a string, got int"):
        data.from_json(5)


def test_to_yaml_variants():
    assert data.to_yaml({"b": 1, "a": [1, 2]}) == "a: [1, 2]\nb: 1\n"
    assert data.to_yaml({"a": "é"}) == "{a: é}\n"
    assert data.to_nice_yaml({"a": {"b": [1, {"c": 2}]}}) == "a:\n    b:\n    - 1\n    -   c: 2\n"
    assert data.to_nice_yaml({"a": {"b": 1}}, indent=2) == "a:\n  b: 1\n"
    assert data.to_yaml(AnsibleMapping(k=UnsafeText("v"))) == "{k: v}\n"
    assert data.to_yaml([AnsibleUnicode("x")]) == "[x]\n"


def test_to_yaml_of_undefined_and_unrepresentable(undefined):
    with pytest.raises(jinja2.UndefinedError):
        data.to_yaml(undefined)
    with pytest.raises(CorralTemplateError, match="to_nice_yaml: cannot convert"):
        data.to_nice_yaml({"a": object()})


def test_from_yaml():
    assert data.from_yaml("a: 1\nb: [x, y]") == {"a": 1, "b": ["x", "y"]}
    assert data.from_yaml(b"- 1") == [1]
    assert data.from_yaml(5) == 5
    value = data.from_yaml("a: !unsafe '{{ x }}'")
    assert is_unsafe(value["a"])
    with pytest.raises(CorralTemplateError, match="from_yaml"):
        data.from_yaml("a: [1")


def test_from_yaml_all():
    assert data.from_yaml_all("a: 1\n---\nb: 2\n") == [{"a": 1}, {"b": 2}]
    assert data.from_yaml_all("") == []
    assert data.from_yaml_all(7) == 7
    with pytest.raises(CorralTemplateError, match="from_yaml_all"):
        data.from_yaml_all("a: 1\n---\nb: [")


def test_from_yaml_of_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError):
        data.from_yaml(undefined)
    with pytest.raises(jinja2.UndefinedError):
        data.from_yaml_all(undefined)


def test_combine_is_shallow_by_default_and_does_not_change_inputs():
    base = {"a": {"x": 1, "y": 2}, "l": [1]}
    update = {"a": {"x": 9}}
    assert data.combine(base, update) == {"a": {"x": 9}, "l": [1]}
    assert data.combine(base, update, recursive=True) == {"a": {"x": 9, "y": 2}, "l": [1]}
    assert base == {"a": {"x": 1, "y": 2}, "l": [1]}
    assert update == {"a": {"x": 9}}


@pytest.mark.parametrize("mode, expected", [
    ("replace", [3, 4]), ("keep", [1, 2, 3]), ("append", [1, 2, 3, 3, 4]),
    ("prepend", [3, 4, 1, 2, 3]), ("append_rp", [1, 2, 3, 4]), ("prepend_rp", [3, 4, 1, 2]),
])
def test_combine_list_merge(mode, expected):
    assert data.combine({"l": [1, 2, 3]}, {"l": [3, 4]}, list_merge=mode) == {"l": expected}
    nested = data.combine({"a": {"l": [1, 2, 3]}}, {"a": {"l": [3, 4]}}, recursive=True, list_merge=mode)
    assert nested == {"a": {"l": expected}}


def test_combine_many_and_lists_of_dicts():
    assert data.combine({"a": 1}, [{"b": 2}, {"a": 3}], {"c": 4}) == {"a": 3, "b": 2, "c": 4}
    assert data.combine([{"a": 1}, {"a": 2}]) == {"a": 2}
    assert data.combine() == {}
    assert data.combine({"a": None}, {"a": {"b": 1}}, recursive=True) == {"a": {"b": 1}}


@pytest.mark.parametrize("args, kwargs, message", [
    (({"a": 1}, 5), {}, r"combine expects dictionaries, got int \(5\)"),
    (("text",), {}, "combine expects dictionaries, got str"),
    (([{"a": 1}, 2],), {}, "combine expects dictionaries, got int"),
    (({"a": 1},), {"foo": 1}, "only valid keyword arguments, got foo"),
    (({"a": [1]}, {"a": [2]}), {"list_merge": "bad"}, "'list_merge' must be one of"),
])
def test_combine_rejects(args, kwargs, message):
    with pytest.raises(CorralTemplateError, match=message):
        data.combine(*args, **kwargs)


def test_combine_of_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError):
        data.combine(undefined, {})
    with pytest.raises(jinja2.UndefinedError):
        data.combine({}, undefined)


def test_combine_through_templar(render):
    assert render("{{ a | combine(b, recursive=True) }}", a={"x": {"y": 1}}, b={"x": {"z": 2}}) == \
        {"x": {"y": 1, "z": 2}}
    with pytest.raises(CorralTemplateError, match="combine expects dictionaries, got list"):
        render("{{ a | combine([[1]]) }}", a={})


def test_dict2items_and_back():
    assert data.dict2items({"a": 1, "b": 2}) == [{"key": "a", "value": 1}, {"key": "b", "value": 2}]
    assert data.dict2items({"a": 1}, key_name="k", value_name="v") == [{"k": "a", "v": 1}]
    assert data.dict2items({}) == []
    assert data.items2dict(data.dict2items({"a": 1, "b": [2]})) == {"a": 1, "b": [2]}
    assert data.items2dict([{"n": "a", "v": 1}], key_name="n", value_name="v") == {"a": 1}


@pytest.mark.parametrize("value, message", [
    ([1], "dict2items requires a dictionary, got list"), ("s", "got str"), (None, "got NoneType"),
])
def test_dict2items_rejects(value, message):
    with pytest.raises(CorralTemplateError, match=message):
        data.dict2items(value)


@pytest.mark.parametrize("value, message", [
    ("abc", "items2dict requires a list, got str"), ({"a": 1}, "requires a list, got dict"),
    ([1], "requires a list of dictionaries, got 1"),
    ([{"key": "a"}], "contain the keys 'key' and 'value'"),
])
def test_items2dict_rejects(value, message):
    with pytest.raises(CorralTemplateError, match=message):
        data.items2dict(value)


def test_dict2items_items2dict_undefined(undefined):
    with pytest.raises(jinja2.UndefinedError):
        data.dict2items(undefined)
    with pytest.raises(jinja2.UndefinedError):
        data.items2dict(undefined)


def test_extract_through_templar(render):
    assert render("{{ [0, 2] | map('extract', ['a', 'b', 'c']) | list }}") == ["a", "c"]
    assert render("{{ 'h' | extract(hv, 'ip') }}", hv={"h": {"ip": "1.2.3.4"}}) == "1.2.3.4"
    assert render("{{ 'h' | extract(hv, ['a', 'b']) }}", hv={"h": {"a": {"b": 5}}}) == 5
    assert render("{{ 'zz' | extract({'a': 1}) | default('none') }}") == "none"
    with pytest.raises(CorralUndefinedVariable):
        render("{{ 'zz' | extract({'a': 1}) }}")
    with pytest.raises(CorralUndefinedVariable, match="nope"):
        render("{{ nope | extract({'a': 1}) }}")


USERS = [{"name": "a", "groups": ["x", "y"], "o": {"l": [1]}}, {"name": "b", "groups": []}]


def test_subelements():
    assert data.subelements(USERS, "groups") == [[USERS[0], "x"], [USERS[0], "y"]]
    assert data.subelements({"k": USERS[0]}, "groups") == [[USERS[0], "x"], [USERS[0], "y"]]
    assert data.subelements(USERS, "o.l", skip_missing=True) == [[USERS[0], 1]]
    assert data.subelements(USERS, ["o", "l"], skip_missing=True) == [[USERS[0], 1]]


@pytest.mark.parametrize("value, key, message", [
    (USERS, "o.l", "could not find 'o' key"),
    (USERS, "name", "should point to a list"),
    ("text", "k", "requires a list or a dictionary, got str"),
    (USERS, 5, "must be a string or a list of keys, got int"),
])
def test_subelements_rejects(value, key, message):
    with pytest.raises(CorralTemplateError, match=message):
        data.subelements(value, key)


def test_subelements_of_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError):
        data.subelements(undefined, "k")


def test_json_query():
    doc = {"users": [{"name": "a", "age": 3}, {"name": "b", "age": 9}]}
    assert data.json_query(doc, "users[?age > `5`].name") == ["b"]
    assert data.json_query(AnsibleMapping(a=AnsibleUnicode("x")), "a") == "x"
    with pytest.raises(CorralTemplateError, match="json_query"):
        data.json_query(doc, "users[?")


def test_json_query_without_jmespath_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "jmespath", None)
    with pytest.raises(CorralTemplateError, match='install "jmespath"'):
        data.json_query({}, "a")


def test_json_query_of_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError):
        data.json_query(undefined, "a")
