"""corral_template_filters.regex."""
from __future__ import annotations

import jinja2
import pytest

from corral.errors import CorralTemplateError, CorralUndefinedVariable
from corral_template_filters import regex


def test_regex_replace():
    assert regex.regex_replace("hello world", "o", "0") == "hell0 w0rld"
    assert regex.regex_replace("hello", r"(l+)", r"<\1>") == "he<ll>o"
    assert regex.regex_replace("hello", r"(?P<x>l+)", r"[\g<x>]") == "he[ll]o"
    assert regex.regex_replace("HeLLo", "l", "_", ignorecase=True) == "He__o"
    assert regex.regex_replace("a\nb", "^", "#", multiline=True) == "#a\n#b"
    assert regex.regex_replace("a\nb", "^", "#") == "#a\nb"
    assert regex.regex_replace("aaa", "a", "b", count=2) == "bba"
    assert regex.regex_replace(5, "5", "6") == "6"
    assert regex.regex_replace("hello", "l", "L", mandatory_count=2) == "heLLo"


def test_regex_replace_errors(undefined):
    with pytest.raises(CorralTemplateError, match="should match 3 times, but matches 2 times"):
        regex.regex_replace("hello", "l", "L", mandatory_count=3)
    with pytest.raises(CorralTemplateError, match="invalid regular expression"):
        regex.regex_replace("x", "(", "")
    with pytest.raises(CorralTemplateError, match="invalid replacement"):
        regex.regex_replace("x", "x", r"\9")
    with pytest.raises(jinja2.UndefinedError):
        regex.regex_replace(undefined, "a", "b")
    with pytest.raises(jinja2.UndefinedError):
        regex.regex_replace("a", "a", undefined)


def test_regex_search():
    assert regex.regex_search("hello world", "o w") == "o w"
    assert regex.regex_search("hello", "z") is None
    assert regex.regex_search("hello world", r"(l+)o (w)", "\\1", "\\2") == ["ll", "w"]
    assert regex.regex_search("hello", r"(?P<x>l+)", "\\g<x>") == ["ll"]
    assert regex.regex_search("hello", r"(l+)", "\\\\1") == ["ll"]
    assert regex.regex_search("HELLO", "ell", ignorecase=True) == "ELL"
    assert regex.regex_search("a\nb", "^b$", multiline=True) == "b"
    assert regex.regex_search("a\nb", "^b$") is None
    assert regex.regex_search("hello", "z(l)", "\\1") is None


def test_regex_search_errors(undefined):
    with pytest.raises(CorralTemplateError, match="unknown argument 'x'"):
        regex.regex_search("hello", "l", "x")
    with pytest.raises(CorralTemplateError, match="has no group"):
        regex.regex_search("hello", "(l)", "\\2")
    with pytest.raises(jinja2.UndefinedError):
        regex.regex_search(undefined, "l")


def test_regex_findall():
    assert regex.regex_findall("hello world", "l+") == ["ll", "l"]
    assert regex.regex_findall("hello world", "(l)(l|d)") == [["l", "l"], ["l", "d"]]
    assert regex.regex_findall("a\nb", "^.", multiline=True) == ["a", "b"]
    assert regex.regex_findall("AaA", "a", ignorecase=True) == ["A", "a", "A"]
    assert regex.regex_findall("x", "y") == []
    with pytest.raises(CorralTemplateError, match="invalid regular expression"):
        regex.regex_findall("x", "[")


def test_regex_findall_undefined(undefined):
    with pytest.raises(jinja2.UndefinedError):
        regex.regex_findall(undefined, "x")


def test_regex_escape():
    assert regex.regex_escape("a.b*c") == r"a\.b\*c"
    assert regex.regex_escape("a.b*c[d]^$\\", re_type="posix_basic") == r"a\.b\*c\[d\]\^\$\\"
    with pytest.raises(CorralTemplateError, match="not yet implemented"):
        regex.regex_escape("a", re_type="posix_extended")
    with pytest.raises(CorralTemplateError, match="invalid regex type"):
        regex.regex_escape("a", re_type="perl")


def test_regex_escape_undefined(undefined):
    with pytest.raises(jinja2.UndefinedError):
        regex.regex_escape(undefined)


def test_through_templar(render):
    assert render("{{ path | regex_replace('^/+', '') }}", path="//etc") == "etc"
    # a string literal in a value is read as written, as in Ansible: '\\1' is a backslash and a 1
    assert render("{{ 'v1.2' | regex_search('v(\\d+)', '\\1') }}") == ["1"]
    assert render("{{ 'v1.2' | regex_search('v(\\\\d+)', '\\\\1') }}") is None
    assert render("{{ 'ab12' is match('[a-z]+\\d') }}") is True
    assert render("{{ 'ab12' is match('[a-z]+\\\\d') }}") is False
    with pytest.raises(CorralUndefinedVariable, match="nope"):
        render("{{ nope | regex_findall('x') }}")
