"""Templar rules that the playbook cases rely on, checked directly."""
from __future__ import annotations

import pytest

from corral.errors import CorralTemplateError, CorralUndefinedVariable
from corral.parsing.yaml_objects import AnsibleUnicode
from corral.plugins.manager import PluginManager
from corral.template import Templar, TemplateEnvironment
from corral.utils.unsafe import UnsafeText

ENV = TemplateEnvironment(PluginManager())


def templar(**variables):
    return Templar(None, variables, environment=ENV)


def test_single_expressions_keep_their_type():
    t = templar(n=3)
    assert t.template("{{ 1 + 1 }}") == 2
    assert t.template("{{ [1] + [2] }}") == [1, 2]
    assert t.template("{{ n > 1 }}") is True
    assert t.template("{{ '1' }}") == "1"
    assert t.template("x{{ 1 }}") == "x1"
    assert t.template("{{ None }}") is None


def test_lazy_variables_and_recursion():
    assert templar(a="{{ b }}-a", b="b").template("{{ a }}") == "b-a"
    with pytest.raises(CorralTemplateError, match="Recursive loop detected"):
        templar(a="{{ b }}", b="{{ a }}").template("{{ a }}")


def test_unsafe_values_are_never_rendered():
    t = templar(raw=UnsafeText("{{ secret }}"), secret="s")
    assert t.template("{{ raw }}") == "{{ secret }}"
    assert t.template(UnsafeText("{{ secret }}")) == "{{ secret }}"


def test_undefined_messages_name_the_variable_or_attribute():
    with pytest.raises(CorralUndefinedVariable, match="'nope' is undefined"):
        templar().template("{{ nope }}")
    with pytest.raises(CorralUndefinedVariable, match="object of type 'dict' has no attribute 'x'"):
        templar(d={}).template("{{ d.x }}")
    assert templar(d={}).template("{{ d.x.y | default(5) }}") == 5


def test_conditionals_must_be_boolean():
    t = templar(flag=True, s="text", n=0)
    assert t.evaluate_conditional("flag") is True
    assert t.evaluate_conditional("not flag") is False
    assert t.evaluate_conditional("{{ flag }}") is True
    assert t.evaluate_conditional("n") is False
    assert t.evaluate_conditional(None) is False
    with pytest.raises(CorralTemplateError, match="derived from value of type 'str' at 's'"):
        t.evaluate_conditional("s")
    with pytest.raises(CorralUndefinedVariable, match="Error while evaluating conditional: 'nope' is undefined"):
        t.evaluate_conditional("nope")


def test_conditional_errors_name_where_the_value_came_from():
    value = AnsibleUnicode("text")
    value.ansible_pos = ("site.yml", 4, 8)
    with pytest.raises(CorralTemplateError, match="at 'site.yml:4:8'"):
        templar(s=value).evaluate_conditional("s")


def test_lookup_joins_only_strings():
    t = templar()
    assert t.template("{{ lookup('items', ['a', 'b']) }}") == "a,b"
    assert t.template("{{ lookup('items', [1, 2]) }}") == [1, 2]
    assert t.template("{{ lookup('items', ['only']) }}") == "only"
    assert t.template("{{ query('items', 'x') }}") == ["x"]


def test_jinja_globals_are_available():
    assert templar().template("{{ range(3) | list }}") == [0, 1, 2]
