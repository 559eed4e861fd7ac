"""corral_template_filters.lists: set operations, flatten, zip, combinatorics."""
from __future__ import annotations

import jinja2
import pytest

from corral.errors import CorralTemplateError
from corral_template_filters import lists


@pytest.fixture(scope="module")
def env():
    return jinja2.Environment()


def test_unique(env):
    assert lists.unique(env, [3, 1, 3, 2, 1]) == [3, 1, 2]
    assert lists.unique(env, ["a", "A", "b"]) == ["a", "b"]
    assert lists.unique(env, ["a", "A", "b"], case_sensitive=True) == ["a", "A", "b"]
    assert lists.unique(env, [{"a": 1}, {"a": 1}, [1], [1]]) == [{"a": 1}, [1]]
    users = [{"g": ["x"], "n": 1}, {"g": ["x"], "n": 2}, {"g": [], "n": 3}]
    assert lists.unique(env, users, attribute="g") == [users[0], users[2]]
    assert lists.unique(env, "abca") == ["a", "b", "c"]


def test_set_operations_keep_order_and_accept_unhashable():
    assert lists.union([3, 1], [1, 2]) == [3, 1, 2]
    assert lists.intersect([3, 1, 2, 1], [1, 3]) == [3, 1]
    assert lists.difference([3, 1, 2, 3], [1]) == [3, 2]
    assert lists.symmetric_difference([1, 2, 2], [2, 3]) == [1, 3]
    assert lists.union([[1]], [[1], [2]]) == [[1], [2]]
    assert lists.intersect([{"a": 1}, {"b": 2}], [{"b": 2}]) == [{"b": 2}]
    assert lists.union("ab", "bc") == ["a", "b", "c"]


@pytest.mark.parametrize("func", [lists.union, lists.intersect, lists.difference, lists.symmetric_difference])
def test_set_operations_reject_non_lists(func, undefined):
    name = func.__name__
    with pytest.raises(CorralTemplateError, match=f"{name} requires a list, got int"):
        func(5, [1])
    with pytest.raises(CorralTemplateError, match="got dict"):
        func([1], {"a": 1})
    with pytest.raises(jinja2.UndefinedError):
        func(undefined, [1])
    with pytest.raises(jinja2.UndefinedError):
        func([1], undefined)


def test_unique_rejects(env, undefined):
    with pytest.raises(CorralTemplateError, match="unique requires a list, got int"):
        lists.unique(env, 5)
    with pytest.raises(jinja2.UndefinedError):
        lists.unique(env, undefined)


def test_flatten():
    nested = [1, [2, [3, [4]]], (5,)]
    assert lists.flatten(nested) == [1, 2, 3, 4, 5]
    assert lists.flatten(nested, levels=1) == [1, 2, [3, [4]], 5]
    assert lists.flatten(nested, levels="2") == [1, 2, 3, [4], 5]
    assert lists.flatten(nested, levels=0) == nested
    assert lists.flatten([1, None, "None", "null", [None, 2]]) == [1, 2]
    assert lists.flatten([1, None, [None]], skip_nulls=False) == [1, None, None]
    assert lists.flatten(["ab", ["cd"]]) == ["ab", "cd"]


def test_flatten_rejects(undefined):
    with pytest.raises(CorralTemplateError, match="flatten requires a list, got int"):
        lists.flatten(5)
    with pytest.raises(CorralTemplateError, match="'levels' must be an integer"):
        lists.flatten([1], levels="x")
    with pytest.raises(jinja2.UndefinedError):
        lists.flatten(undefined)


def test_zip_and_zip_longest():
    assert lists.zip_lists([1, 2, 3], "ab") == [[1, "a"], [2, "b"]]
    assert lists.zip_lists() == []
    assert lists.zip_longest([1, 2, 3], [4]) == [[1, 4], [2, None], [3, None]]
    assert lists.zip_longest([1, 2], [4], fillvalue=0) == [[1, 4], [2, 0]]
    with pytest.raises(CorralTemplateError, match="zip requires a list, got int"):
        lists.zip_lists([1], 2)
    with pytest.raises(CorralTemplateError, match="zip_longest requires a list"):
        lists.zip_longest(None, [1])


def test_combinatorics():
    assert lists.product([1, 2], "ab") == [[1, "a"], [1, "b"], [2, "a"], [2, "b"]]
    assert lists.product([0, 1], repeat=2) == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert lists.permutations([1, 2, 3], 2) == [[1, 2], [1, 3], [2, 1], [2, 3], [3, 1], [3, 2]]
    assert len(lists.permutations([1, 2, 3])) == 6
    assert lists.combinations([1, 2, 3], 2) == [[1, 2], [1, 3], [2, 3]]
    assert lists.combinations([1, 2], 3) == []


def test_combinatorics_reject(undefined):
    with pytest.raises(CorralTemplateError, match="product requires a list, got int"):
        lists.product([1], 5)
    with pytest.raises(CorralTemplateError, match="permutations requires a list"):
        lists.permutations(5)
    with pytest.raises(CorralTemplateError, match="combinations requires a list"):
        lists.combinations({"a": 1}, 1)
    with pytest.raises(jinja2.UndefinedError):
        lists.combinations(undefined, 1)


def test_through_templar(render):
    assert render("{{ a | union(b) | intersect(c) }}", a=[1, 2], b=[3], c=[2, 3]) == [2, 3]
    assert render("{{ a | zip(b) | list }}", a=[1], b=[2]) == [[1, 2]]
    assert render("{{ a | product(b) | map('join', '-') | list }}", a=["x"], b=["1", "2"]) == ["x-1", "x-2"]
    assert render("{{ [[1], [2, [3]]] | flatten(levels=1) }}") == [1, 2, [3]]
