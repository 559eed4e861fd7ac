"""corral_template_filters.mathstuff, .paths and .timeurl."""
from __future__ import annotations

import datetime
import math
import os

import jinja2
import pytest

from corral.errors import CorralTemplateError
from corral_template_filters import mathstuff, paths, timeurl


def test_log_pow_root():
    assert mathstuff.logarithm(math.e) == 1.0
    assert mathstuff.logarithm(100, 10) == 2.0
    assert mathstuff.power(2, 10) == 1024.0
    assert mathstuff.inversepower(16) == 4.0
    assert mathstuff.inversepower(27, 3) == pytest.approx(3.0)


@pytest.mark.parametrize("call, message", [
    (lambda: mathstuff.logarithm("a"), r"log\(\) can only be used on numbers, got str"),
    (lambda: mathstuff.logarithm(0), r"log\(\) failed"),
    (lambda: mathstuff.logarithm(True), "got bool"),
    (lambda: mathstuff.power("2", 2), r"pow\(\) can only be used on numbers"),
    (lambda: mathstuff.power(10, 1000), r"pow\(\) failed"),
    (lambda: mathstuff.inversepower(-4), r"root\(\) failed"),
    (lambda: mathstuff.inversepower(4, 0), r"root\(\) failed"),
    (lambda: mathstuff.inversepower(None), r"root\(\) can only be used on numbers"),
])
def test_math_rejects(call, message):
    with pytest.raises(CorralTemplateError, match=message):
        call()


def test_math_undefined(undefined):
    for func in (mathstuff.logarithm, mathstuff.power, mathstuff.inversepower):
        with pytest.raises(jinja2.UndefinedError):
            func(undefined, 2)


@pytest.mark.parametrize("args, expected", [
    ((0,), "0.00 Bytes"), ((1,), "1.00 Bytes"), ((1024,), "1.00 KB"), ((1536,), "1.50 KB"),
    ((1 << 30,), "1.00 GB"), ((1 << 80,), "1.00 YB"), ((1000, True), "1000.00 bits"),
    ((1 << 20, True), "1.00 Mb"), ((1 << 20, False, "K"), "1024.00 KB"), (("2048",), "2.00 KB"),
    ((1 << 20, False, "b"), "1048576.00 Bytes"),
])
def test_human_readable(args, expected):
    assert mathstuff.human_readable(*args) == expected


def test_human_readable_rejects(undefined):
    with pytest.raises(CorralTemplateError, match="not a number"):
        mathstuff.human_readable("lots")
    with pytest.raises(jinja2.UndefinedError):
        mathstuff.human_readable(undefined)


@pytest.mark.parametrize("args, expected", [
    (("1K",), 1024), (("1.5 MB",), 1572864), (("2G",), 1 << 31), (("10",), 10), ((10,), 10),
    (("10", "K"), 10240), (("3 byte",), 3), (("3B",), 3), (("10Mb", None, True), 10485760),
    (("1 bit", None, True), 1), ((" 1 T ",), 1 << 40),
])
def test_human_to_bytes(args, expected):
    assert mathstuff.human_to_bytes(*args) == expected


@pytest.mark.parametrize("text, kwargs, message", [
    ("x", {}, "can't interpret the input 'x'"), ("1 KiB", {}, "should be KB or K"),
    ("1 Mb", {}, "should be MB or M"), ("1MB", {"isbits": True}, "should be Mb or M"),
    ("3 bytes", {}, "should be B or byte"), ("1Q", {}, "the unit must start with one of"),
])
def test_human_to_bytes_rejects(text, kwargs, message):
    with pytest.raises(CorralTemplateError, match=message):
        mathstuff.human_to_bytes(text, **kwargs)


def test_human_to_bytes_undefined(undefined):
    with pytest.raises(jinja2.UndefinedError):
        mathstuff.human_to_bytes(undefined)


def test_path_filters(tmp_path, monkeypatch):
    assert paths.basename("/a/b/c.txt") == "c.txt"
    assert paths.dirname("/a/b/c.txt") == "/a/b"
    assert paths.splitext("/a/b/c.tar.gz") == ["/a/b/c.tar", ".gz"]
    assert paths.splitext("c") == ["c", ""]
    assert paths.relpath("/a/b/c", "/a") == "b/c"
    assert paths.basename(b"/x/y") == "y"
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CORRAL_T", "v")
    assert paths.expanduser("~/x") == str(tmp_path / "x")
    assert paths.expandvars("$CORRAL_T/${CORRAL_T}") == "v/v"
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "link")
    assert paths.realpath(str(tmp_path / "link")) == str((tmp_path / "real").resolve())
    monkeypatch.chdir(tmp_path)
    assert paths.relpath(str(tmp_path / "real" / "f")) == os.path.join("real", "f")


@pytest.mark.parametrize("func", [paths.basename, paths.dirname, paths.realpath, paths.expanduser,
                                  paths.expandvars, paths.splitext, paths.relpath])
def test_path_filters_reject(func, undefined):
    with pytest.raises(CorralTemplateError, match=r"requires a path string, got int \(5\)"):
        func(5)
    with pytest.raises(CorralTemplateError, match="got NoneType"):
        func(None)
    with pytest.raises(jinja2.UndefinedError):
        func(undefined)


def test_path_filters_through_templar(render, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert render("{{ '~/f' | expanduser }}") == str(tmp_path / "f")
    assert render("{{ p | basename }}", p="/x/y.conf") == "y.conf"


def test_strftime():
    assert timeurl.strftime("%Y-%m-%d %H:%M:%S", 86400, utc=True) == "1970-01-02 00:00:00"
    assert timeurl.strftime("%Y", "0", utc=True) == "1970"
    assert timeurl.strftime("%Y", 0.5, utc=True) == "1970"
    assert timeurl.strftime("%Y") == str(datetime.datetime.now().year)


def test_strftime_rejects(undefined):
    with pytest.raises(CorralTemplateError, match=r"invalid value for epoch value \('x'\)"):
        timeurl.strftime("%Y", "x")
    with pytest.raises(CorralTemplateError, match="cannot format epoch value"):
        timeurl.strftime("%Y", 1e20)
    with pytest.raises(jinja2.UndefinedError):
        timeurl.strftime(undefined)


def test_to_datetime():
    assert timeurl.to_datetime("2020-01-02 03:04:05") == datetime.datetime(2020, 1, 2, 3, 4, 5)
    assert timeurl.to_datetime("02/01/2020", "%d/%m/%Y") == datetime.datetime(2020, 1, 2)
    with pytest.raises(CorralTemplateError, match="to_datetime: time data 'bad'"):
        timeurl.to_datetime("bad")


def test_to_datetime_arithmetic_through_templar(render):
    template = "{{ ((b | to_datetime) - (a | to_datetime)).total_seconds() }}"
    assert render(template, a="2020-01-01 00:00:00", b="2020-01-02 00:00:01") == 86401.0


def test_urlsplit():
    url = "https://u:p@example.com:8443/p/a?q=1#frag"
    parts = timeurl.urlsplit(url)
    assert parts == {"fragment": "frag", "hostname": "example.com", "netloc": "u:p@example.com:8443",
                     "password": "p", "path": "/p/a", "port": 8443, "query": "q=1", "scheme": "https",
                     "username": "u"}
    assert timeurl.urlsplit(url, "port") == 8443
    assert timeurl.urlsplit("http://h", "port") is None


def test_urlsplit_rejects(undefined):
    with pytest.raises(CorralTemplateError, match="unknown URL component: host"):
        timeurl.urlsplit("http://h", "host")
    with pytest.raises(CorralTemplateError, match="urlsplit requires a string, got int"):
        timeurl.urlsplit(5)
    with pytest.raises(CorralTemplateError, match="invalid URL"):
        timeurl.urlsplit("http://h:notaport/")
    with pytest.raises(jinja2.UndefinedError):
        timeurl.urlsplit(undefined)


def test_more_path_filters(tmp_path, monkeypatch, undefined):
    assert paths.path_join(["/a", "b", "c"]) == "/a/b/c"
    assert paths.path_join(["a", "/b", "c"]) == "/b/c"
    assert paths.path_join("a/b") == "a/b"
    assert paths.path_join([]) == ""
    assert paths.normpath("/a/../b/./c//") == "/b/c"
    assert paths.commonpath(["/a/b/c", "/a/b/d"]) == "/a/b"
    assert paths.win_basename("C:\\x\\y.txt") == "y.txt"
    assert paths.win_dirname("C:\\x\\y.txt") == "C:\\x"
    assert paths.win_splitdrive("C:\\x\\y.txt") == ["C:", "\\x\\y.txt"]
    (tmp_path / "a.txt").write_text("")
    (tmp_path / "b.txt").write_text("")
    (tmp_path / "d.txt").mkdir()
    monkeypatch.chdir(tmp_path)
    assert paths.fileglob("*.txt") == ["a.txt", "b.txt"]
    with pytest.raises(CorralTemplateError, match="path_join expects a string or a list of strings, got int"):
        paths.path_join(5)
    with pytest.raises(CorralTemplateError, match="path_join requires a path string, got int"):
        paths.path_join(["a", 5])
    with pytest.raises(CorralTemplateError, match="commonpath expects a list of paths, got str"):
        paths.commonpath("a")
    with pytest.raises(CorralTemplateError, match="commonpath: "):
        paths.commonpath(["/a", "b"])
    for func in (paths.path_join, paths.normpath, paths.commonpath, paths.fileglob, paths.win_basename):
        with pytest.raises(jinja2.UndefinedError):
            func(undefined)
