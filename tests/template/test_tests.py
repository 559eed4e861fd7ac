"""corral_template_tests: result, truth, version, regex, collection, path and number tests."""
from __future__ import annotations

import os

import jinja2
import pytest

from corral.errors import CorralTemplateError, CorralUndefinedVariable
from corral_template_tests import general, results, versions
from corral_template_tests.plugin import all_tests


@pytest.mark.parametrize("result, succeeded, failed, changed, skipped", [
    ({}, True, False, False, False),
    ({"failed": True}, False, True, False, False),
    ({"failed": False, "changed": True}, True, False, True, False),
    ({"skipped": True, "changed": False}, True, False, False, True),
    ({"results": [{"changed": False}, {"changed": True}]}, True, False, True, False),
    ({"results": [{"changed": False}], "changed": False}, True, False, False, False),
    ({"results": []}, True, False, False, False),
])
def test_result_tests(result, succeeded, failed, changed, skipped):
    assert results.succeeded(result) is succeeded
    assert results.failed(result) is failed
    assert results.changed(result) is changed
    assert results.skipped(result) is skipped


def test_async_and_reachability_tests():
    assert results.finished({}) and results.started({})
    assert not results.finished({"finished": 0})
    assert not results.started({"started": 0})
    assert results.unreachable({"unreachable": True})
    assert results.reachable({}) and not results.reachable({"unreachable": True})


@pytest.mark.parametrize("test", [results.succeeded, results.failed, results.changed, results.skipped,
                                  results.finished, results.started, results.unreachable, results.reachable])
def test_result_tests_reject_non_results(test, undefined):
    with pytest.raises(CorralTemplateError, match="test expects a dictionary$"):
        test(5)
    with pytest.raises(jinja2.UndefinedError):
        test(undefined)


def test_truthy_falsy(undefined):
    assert results.truthy("x") and not results.truthy("")
    assert results.truthy("no") and not results.truthy("no", convert_bool=True)
    assert results.truthy("Yes", convert_bool=True)
    assert results.falsy([]) and results.falsy("off", convert_bool=True)
    with pytest.raises(jinja2.UndefinedError):
        results.truthy(undefined)


def test_result_tests_through_templar(render):
    assert render("{{ r is succeeded }}", r={"failed": False}) is True
    assert render("{{ r is failure }}", r={"failed": True}) is True
    assert render("{{ r is change }}", r={"changed": True}) is True
    assert render("{{ r is skip }}", r={"skipped": True}) is True
    assert render("{{ r is not success }}", r={"failed": True}) is True
    with pytest.raises(CorralUndefinedVariable, match="r"):
        render("{{ r is changed }}")


@pytest.mark.parametrize("value, other, op, kwargs, expected", [
    ("1.2.3", "1.2", ">", {}, True), ("1.2.3", "1.2.3", "eq", {}, True), ("1.2.3", "1.2.4", "<", {}, True),
    ("2.9.10", "2.10", "<", {}, True), ("1.10a", "1.10", ">", {}, True), ("1.2.3-foo", "1.2.3", ">", {}, True),
    (5, "4", "ge", {}, True), ("1.0", "1.0", "!=", {}, False), ("1.0", "1.1", "<>", {}, True),
    ("1.2.0", "1.2", "==", {"strict": True}, True), ("1.2a1", "1.2", "<", {"strict": True}, True),
    ("1.2b1", "1.2a2", ">", {"strict": True}, True),
    ("1.0.0-rc.1", "1.0.0", "<", {"version_type": "semver"}, True),
    ("1.0.0-alpha", "1.0.0-alpha.1", "<", {"version_type": "semver"}, True),
    ("1.0.0-alpha.1", "1.0.0-alpha.beta", "<", {"version_type": "semantic"}, True),
    ("1.0.0-beta.2", "1.0.0-beta.11", "<", {"version_type": "semver"}, True),
    ("1.0.0-rc.1", "1.0.0-rc.1", "==", {"version_type": "semver"}, True),
    ("1.0.0+b1", "1.0.0+b2", "==", {"version_type": "semver"}, True),
    ("1.0a1", "1.0", "lt", {"version_type": "pep440"}, True),
    ("1.0.post1", "1.0", "gt", {"version_type": "pep440"}, True),
    ("2.0", "10.0", "le", {"version_type": "loose"}, True),
])
def test_version(value, other, op, kwargs, expected):
    assert versions.version_compare(value, other, op, **kwargs) is expected


@pytest.mark.parametrize("args, kwargs, message", [
    (("1.0", "1.0", "foo"), {}, r"Invalid operator type \(foo\)"),
    (("", "1.0"), {}, "Input version value cannot be empty"),
    (("1.0", ""), {}, "Version parameter to compare against cannot be empty"),
    (("1.0", "1.0"), {"version_type": "bogus"}, r"Invalid version type \(bogus\)"),
    (("1.2.3.4", "1.2"), {"strict": True}, "invalid version number '1.2.3.4'"),
    (("1.0", "1.0.0"), {"version_type": "semver"}, "invalid semantic version '1.0'"),
    (("1.0", "one"), {"version_type": "pep440"}, "Invalid version: 'one'"),
    (("v1.5", "1.10", "<"), {}, "Version comparison failed"),
    (("1.0", "1.0"), {"strict": True, "version_type": "semver"}, "Cannot specify both"),
])
def test_version_rejects(args, kwargs, message):
    with pytest.raises(CorralTemplateError, match=message):
        versions.version_compare(*args, **kwargs)


def test_version_undefined(undefined):
    with pytest.raises(jinja2.UndefinedError):
        versions.version_compare(undefined, "1.0")
    with pytest.raises(jinja2.UndefinedError):
        versions.version_compare("1.0", undefined)


def test_version_keys():
    assert versions.loose_key("1.10a") == [1, 10, "a"]
    assert versions.strict_key("1.2") == (1, 2, 0, 1, "", 0)


def test_version_through_templar(render):
    assert render("{{ v is version('2.10', '>=') }}", v="2.12.1") is True
    assert render("{{ v is version_compare('2.10', 'lt') }}", v="2.9") is True


def test_regex_tests():
    assert general.match("abc", "a") and not general.match("abc", "b")
    assert general.search("abc", "b")
    assert general.regex("abc", "^a") and not general.regex("abc", "b", match_type="match")
    assert general.regex("abc", "abc", match_type="fullmatch")
    assert not general.regex("abcd", "abc", match_type="fullmatch")
    assert general.match("ABC", "a", ignorecase=True)
    assert general.search("a\nb", "^b", multiline=True) and not general.search("a\nb", "^b")
    assert general.match(5, "5") and not general.match(None, "None")


def test_regex_tests_reject(undefined):
    with pytest.raises(CorralTemplateError, match="match_type must be"):
        general.regex("a", "a", match_type="find")
    with pytest.raises(CorralTemplateError, match="missing \\), unterminated subpattern"):
        general.search("a", "(")
    with pytest.raises(jinja2.UndefinedError):
        general.match(undefined, "x")
    with pytest.raises(jinja2.UndefinedError):
        general.search("x", undefined)


def test_collection_tests():
    assert general.subset([1, 2], [1, 2, 3]) and not general.subset([1, 4], [1, 2, 3])
    assert general.superset([1, 2, 3], [2]) and not general.superset([1], [1, 2])
    assert general.subset([[1]], [[1], [2]])
    assert general.contains([1, {"a": 1}], {"a": 1}) and not general.contains([1], 2)
    assert general.contains("abc", "b")
    assert general.any_test([0, 1]) and not general.any_test([]) and not general.any_test([0])
    assert general.all_test([1, 1]) and general.all_test([]) and not general.all_test([1, 0])


def test_collection_tests_reject(undefined):
    with pytest.raises(CorralTemplateError, match="'subset' test requires lists, got int"):
        general.subset(5, [1])
    with pytest.raises(CorralTemplateError, match="'superset' test requires lists, got str"):
        general.superset("ab", ["a"])
    with pytest.raises(CorralTemplateError, match="'contains' test requires a list, got int"):
        general.contains(5, 1)
    with pytest.raises(CorralTemplateError, match="'any' test requires lists"):
        general.any_test(1)
    with pytest.raises(CorralTemplateError, match="'all' test requires lists"):
        general.all_test(None)
    with pytest.raises(jinja2.UndefinedError):
        general.subset(undefined, [1])
    with pytest.raises(jinja2.UndefinedError):
        general.contains([1], undefined)


def test_path_tests(tmp_path):
    regular = tmp_path / "f"
    regular.write_text("x")
    os.symlink(regular, tmp_path / "l")
    tests = all_tests()
    assert general.is_file(str(regular)) and not general.is_file(str(tmp_path))
    assert general.is_dir(str(tmp_path)) and not general.is_dir(str(regular))
    assert general.is_link(str(tmp_path / "l")) and not general.is_link(str(regular))
    assert general.exists(str(regular)) and not general.exists(str(tmp_path / "nope"))
    assert not general.exists("~")
    assert general.is_abs("/x") and not general.is_abs("x")
    assert general.is_mount("/") and not general.is_mount(str(regular))
    assert general.same_file(str(regular), str(tmp_path / "l"))
    assert not general.same_file(str(regular), str(tmp_path / "nope"))
    assert general.exists(regular) and general.is_file(bytes(regular))
    assert set(tests) >= {"file", "directory", "link", "exists", "abs", "mount", "same_file"}


@pytest.mark.parametrize("test", [general.is_file, general.is_dir, general.is_link, general.exists,
                                  general.is_abs, general.is_mount])
def test_path_tests_reject(test, undefined):
    with pytest.raises(CorralTemplateError, match="requires a path string, got int"):
        test(5)
    with pytest.raises(CorralTemplateError, match="got NoneType"):
        test(None)
    with pytest.raises(jinja2.UndefinedError):
        test(undefined)


def test_path_tests_see_changes_between_renderings(templar, tmp_path):
    # Compiled templates are cached: a result folded at compile time would go stale.
    target = tmp_path / "later"
    template = "{{ '" + str(target) + "' is exists }}"
    assert templar().template(template) is False
    target.write_text("now")
    assert templar().template(template) is True
    assert templar().template("{{ '" + str(target) + "' is file }}") is True


def test_nan():
    assert general.is_nan(float("nan"))
    assert not general.is_nan(1.0) and not general.is_nan("x") and not general.is_nan(None)


def test_nan_undefined(undefined):
    with pytest.raises(jinja2.UndefinedError):
        general.is_nan(undefined)


def test_jinja_builtin_tests_through_templar(render):
    assert render("{{ x is defined }}") is False
    assert render("{{ x is undefined }}") is True
    assert render("{{ x is none }}", x=None) is True
    assert render("{{ x is string and x is sequence and x is iterable }}", x="s") is True
    assert render("{{ x is mapping }}", x={}) is True
    assert render("{{ x is number and x is integer }}", x=3) is True
    assert render("{{ x is float }}", x=3.5) is True
    assert render("{{ x is boolean }}", x=False) is True
    assert render("{{ 2 is in(x) }}", x=[1, 2]) is True
    assert render("{{ x | select('truthy') | list }}", x=[0, 1, "", "a"]) == [1, "a"]


def test_vault_tests(tmp_path, undefined):
    from corral.parsing.vault import EncryptedValue, VaultLib, VaultSecret
    from corral_template_tests import vault

    lib = VaultLib([("default", VaultSecret(b"pw"))])
    ciphertext = lib.encrypt("secret").decode()
    assert vault.vault_encrypted(EncryptedValue(ciphertext, lib))
    assert not vault.vault_encrypted(ciphertext)  # vault text in a plain string is not a vault value
    assert not vault.vault_encrypted("plain") and not vault.vault_encrypted(5)
    (tmp_path / "v.yml").write_text(ciphertext)
    (tmp_path / "p.yml").write_text("a: 1\n")
    assert vault.vaulted_file(str(tmp_path / "v.yml"))
    assert not vault.vaulted_file(str(tmp_path / "p.yml"))
    with pytest.raises(CorralTemplateError, match="cannot read"):
        vault.vaulted_file(str(tmp_path / "none"))
    with pytest.raises(CorralTemplateError, match="requires a path string, got int"):
        vault.vaulted_file(5)
    with pytest.raises(jinja2.UndefinedError):
        vault.vault_encrypted(undefined)
