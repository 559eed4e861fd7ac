"""corral_template_filters.core: bool, ternary, mandatory, encodings, hashes, random, comment."""
from __future__ import annotations

import datetime

import jinja2
import pytest

from corral.errors import CorralTemplateError, CorralUndefinedVariable
from corral.parsing.yaml_objects import AnsibleMapping, AnsibleSequence, AnsibleUnicode
from corral.utils.unsafe import UnsafeText
from corral_template_filters import core


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("yes", True), ("On", True), ("TRUE", True), ("1", True),
    ("no", False), ("y", False), (" true", False), ("", False), (1, True), (1.0, True), (0, False),
    (2, False), (None, False), ([], False), ({"a": 1}, False),
])
def test_bool(value, expected):
    assert core.to_bool(value) is expected


def test_bool_of_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError, match="missing_var"):
        core.to_bool(undefined)


def test_bool_through_templar_names_the_variable(render):
    with pytest.raises(CorralUndefinedVariable, match="nope"):
        render("{{ nope | bool }}")
    assert render("{{ flag | bool }}", flag="yes") is True


def test_split():
    assert core.split("a,b,c", ",") == ["a", "b", "c"]
    assert core.split(" a  b ") == ["a", "b"]
    assert core.split("a,b,c", ",", 1) == ["a", "b,c"]
    with pytest.raises(CorralTemplateError, match="split requires a string, got int"):
        core.split(5)


def test_ternary():
    assert core.ternary(True, "y", "n") == "y"
    assert core.ternary(0, "y", "n") == "n"
    assert core.ternary(None, "y", "n") == "n"
    assert core.ternary(None, "y", "n", "none") == "none"
    assert core.ternary("text", "y", "n") == "y"


def test_ternary_of_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError):
        core.ternary(undefined, "y", "n")


def test_mandatory(undefined):
    assert core.mandatory(0) == 0
    with pytest.raises(CorralUndefinedVariable, match="Mandatory variable 'missing_var' not defined."):
        core.mandatory(undefined)
    with pytest.raises(CorralUndefinedVariable, match="^set it$"):
        core.mandatory(undefined, "set it")
    with pytest.raises(CorralUndefinedVariable, match="Mandatory variable not defined."):
        core.mandatory(jinja2.Undefined())


def test_mandatory_through_templar_keeps_chained_name(render):
    with pytest.raises(CorralUndefinedVariable, match="Mandatory variable"):
        render("{{ a.b | mandatory }}", a={})


@pytest.mark.parametrize("value, name", [
    (1, "int"), ("x", "str"), (None, "NoneType"), ([1], "list"), ({}, "dict"), (1.5, "float"),
    (True, "bool"), (UnsafeText("x"), "str"), (AnsibleUnicode("x"), "str"),
    (AnsibleMapping(), "dict"), (AnsibleSequence(), "list"),
    (datetime.date(2020, 1, 1), "date"), (object(), "object"),
])
def test_type_debug(value, name):
    assert core.type_debug(value) == name


def test_type_debug_of_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError):
        core.type_debug(undefined)


def test_to_uuid():
    assert core.to_uuid("abc") == "27dc713b-d72c-5825-88f3-9f240e739319"
    assert core.to_uuid(42) == core.to_uuid("42")
    with pytest.raises(CorralTemplateError, match="invalid namespace"):
        core.to_uuid("abc", namespace="not-a-uuid")


def test_b64_round_trip_and_encodings():
    assert core.b64encode("héllo") == "aMOpbGxv"
    assert core.b64decode("aMOpbGxv") == "héllo"
    assert core.b64encode("hi", encoding="utf-16-le") == "aABpAA=="
    assert core.b64decode("aABpAA==", encoding="utf-16-le") == "hi"
    assert core.b64encode(b"\x00\x01") == "AAE="
    assert core.b64decode("!!!") == ""


def test_b64_of_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError):
        core.b64encode(undefined)
    with pytest.raises(jinja2.UndefinedError):
        core.b64decode(undefined)


@pytest.mark.parametrize("value, expected", [
    ("abc", "abc"), ("a b", "'a b'"), ("it's", "'it'\"'\"'s'"), ("", "''"), (None, "''"), (5, "5"),
    ("$(rm -rf /)", "'$(rm -rf /)'"),
])
def test_quote(value, expected):
    assert core.quote(value) == expected


def test_hash_and_checksum():
    assert core.get_hash("test") == "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"
    assert core.get_hash("test", "md5") == "098f6bcd4621d373cade4e832627b4f6"
    assert core.checksum("test") == core.get_hash("test", "sha1")
    assert core.get_hash(5) == core.get_hash("5")
    with pytest.raises(CorralTemplateError, match="unsupported hash type blah"):
        core.get_hash("test", "blah")


def test_hash_of_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError):
        core.get_hash(undefined)


def test_random_with_seed_is_repeatable():
    assert core.rand(100, seed="a") == core.rand(100, seed="a")
    assert 50 <= core.rand(100, start=50, seed=3) < 100
    assert core.rand(100, start=1, step=10, seed="b") % 10 == 1
    assert core.rand(["a", "b", "c"], seed=1) in ("a", "b", "c")
    assert 0 <= core.rand(10) < 10


@pytest.mark.parametrize("value, message", [
    ([], "empty sequence"), ({"a": 1}, "sequences and integers, got dict"),
    (1.5, "sequences and integers, got float"), (None, "got NoneType"),
])
def test_random_rejects(value, message):
    with pytest.raises(CorralTemplateError, match=message):
        core.rand(value)


def test_random_bad_range():
    with pytest.raises(CorralTemplateError, match="invalid range"):
        core.rand(0)


def test_random_is_not_frozen_at_compile_time(templar):
    # The compiled template is cached: a value folded at compile time would repeat.
    first_templar, second_templar = templar(), templar()
    draws = {first_templar.template("{{ 1000000000000 | random }}"),
             second_templar.template("{{ 1000000000000 | random }}"),
             first_templar.template("{{ 1000000000000 | random }}")}
    assert len(draws) == 3


def test_shuffle():
    assert core.shuffle([1, 2, 3, 4], seed=7) == core.shuffle([1, 2, 3, 4], seed=7)
    assert sorted(core.shuffle([3, 1, 2])) == [1, 2, 3]
    assert sorted(core.shuffle("abc", seed=1)) == ["a", "b", "c"]
    original = [1, 2, 3]
    core.shuffle(original, seed=1)
    assert original == [1, 2, 3]
    with pytest.raises(CorralTemplateError, match="shuffle requires a list, got int"):
        core.shuffle(5)
    with pytest.raises(CorralTemplateError, match="got dict"):
        core.shuffle({"a": 1})


def test_comment_styles_and_options():
    assert core.comment("hi") == "#\n# hi\n#"
    assert core.comment("a\nb", "c") == "//\n// a\n// b\n//"
    assert core.comment("hi", "cblock") == "/*\n *\n * hi\n *\n */"
    assert core.comment("hi", "xml") == "<!--\n -\n - hi\n -\n-->"
    assert core.comment("hi", "erlang", prefix_count=0, postfix_count=0) == "% hi"
    assert core.comment("hi", beginning="BEGIN", end="END") == "BEGIN\n#\n# hi\n#\nEND"
    assert core.comment("a;b", newline=";") == "#;# a;# b;#"
    assert core.comment("a\n\nb") == "#\n# a\n#\n# b\n#"


def test_comment_rejects_unknown_style_and_options(undefined):
    with pytest.raises(CorralTemplateError, match="unknown style 'bash'"):
        core.comment("hi", "bash")
    with pytest.raises(CorralTemplateError, match="unknown option.*colour"):
        core.comment("hi", colour="red")
    with pytest.raises(jinja2.UndefinedError):
        core.comment(undefined)


def test_default_is_jinjas_through_templar(render):
    assert render("{{ nope | default('x') }}") == "x"
    assert render("{{ nope.deeper.still | default('x') }}") == "x"
    assert render("{{ '' | default('x') }}") == ""
    assert render("{{ '' | default('x', true) }}") == "x"
    assert render("{{ none_value | d('x', boolean=True) }}", none_value=None) == "x"
    assert render("{{ v | default(omit) }}", v=3) == 3


def test_md5_sha1_urldecode(undefined):
    assert core.md5("x") == "9dd4e461268c8034f5c8564e155c67a6"
    assert core.sha1("x") == "11f6ad8ec52a2984abaafd7c3b516503785c2072"
    assert core.urldecode("a%20b+c%2F") == "a b c/"
    for func in (core.md5, core.sha1, core.urldecode):
        with pytest.raises(jinja2.UndefinedError):
            func(undefined)
