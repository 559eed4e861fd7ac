"""corral_template_lookups.loops, .variables and .password."""
from __future__ import annotations

import os
import re
import stat

import pytest

from corral.errors import CorralError, CorralUndefinedVariable
from corral.template import CorralUndefined
from corral_template_filters.passwords import password_hash
from corral_template_lookups.loops import SequenceLookup, SubelementsLookup
from corral_template_lookups.password import PasswordLookup, character_pool
from corral_template_lookups.plugin import LOOKUPS, corral_template_lookups
from corral_template_lookups.variables import ConfigLookup, EnvLookup, VarsLookup


def test_items_list_dict(render):
    assert render("{{ query('items', [1, [2]], 3) }}") == [1, [2], 3]
    assert render("{{ query('items', x) }}", x=[1, 2]) == [1, 2]
    assert render("{{ query('list', [1, 2], 3) }}") == [[1, 2], 3]
    assert render("{{ query('dict', {'a': 1}, {'b': 2}) }}") == [{"key": "a", "value": 1}, {"key": "b", "value": 2}]
    with pytest.raises(CorralError, match=r"the 'dict' lookup plugin expects a dictionary, got '\[1\]' of type <class 'list'>\)"):
        render("{{ query('dict', [1]) }}")
    with pytest.raises(CorralUndefinedVariable):
        render("{{ query('dict', missing) }}")


def test_together_nested_indexed(render):
    assert render("{{ query('together', [1, 2, 3], ['a', 'b']) }}") == [[1, "a"], [2, "b"], [3, None]]
    assert render("{{ query('together', [1], 'x') }}") == [[1, "x"]]
    assert render("{{ query('nested', [1, 2], ['a', 'b']) }}") == [[1, "a"], [1, "b"], [2, "a"], [2, "b"]]
    assert render("{{ query('nested', ['x'], [[1, 2]]) }}") == [["x", 1, 2]]
    assert render("{{ query('indexed_items', ['a', 'b'], ['c']) }}") == [[0, "a"], [1, "b"], [2, "c"]]
    with pytest.raises(CorralError, match="with_nested requires at least one element"):
        render("{{ query('nested') }}")
    with pytest.raises(CorralError, match="with_together requires at least one element"):
        render("{{ query('together') }}")


@pytest.mark.parametrize("name", ["items", "list", "together", "nested", "indexed_items", "random_choice"])
def test_undefined_terms_fail(render, name):
    with pytest.raises(CorralUndefinedVariable, match="missing"):
        render("{{ query('" + name + "', missing) }}")
    with pytest.raises(CorralUndefinedVariable, match="missing"):
        render("{{ query('" + name + "', [1, missing]) }}")


def test_random_choice(render):
    assert render("{{ query('random_choice', 'a', 'b') }}")[0] in ("a", "b")
    assert render("{{ query('random_choice') }}") == []


def test_subelements_lookup(render):
    users = [{"name": "a", "groups": ["x", "y"]}, {"name": "b"}]
    assert render("{{ query('subelements', users, 'groups', {'skip_missing': True}) }}", users=users) == \
        [[{"name": "a"}, "x"], [{"name": "a"}, "y"]]
    assert render("{{ query('subelements', users, 'groups', skip_missing=True) }}", users=users) == \
        [[{"name": "a"}, "x"], [{"name": "a"}, "y"]]
    assert users[0] == {"name": "a", "groups": ["x", "y"]}
    nested = [{"n": 1, "o": {"l": [1], "k": 2}}]
    assert SubelementsLookup().run([nested, "o.l"]) == [[{"n": 1, "o": {"k": 2}}, 1]]
    assert SubelementsLookup().run([{"skipped": True}, "l"]) == []


@pytest.mark.parametrize("terms, message", [
    ([[{"l": [1]}]], "expects a list of two or three items"),
    ([[{"l": [1]}], 5], "expects a list of two or three items"),
    ([[{"l": [1]}], "l", 5], "third term must be a dict"),
    ([[{"l": [1]}], "l", {"skip": True}], "Unrecognized parameter.*skip"),
    ([[{"n": 1}], "l"], "could not find 'l' key"),
])
def test_subelements_lookup_rejects(terms, message):
    with pytest.raises(CorralError, match=message):
        SubelementsLookup().run(terms)


@pytest.mark.parametrize("term, kwargs, expected", [
    ("start=1 end=5", {}, ["1", "2", "3", "4", "5"]),
    ("start=1 end=10 stride=3", {}, ["1", "4", "7", "10"]),
    ("start=0 count=4 format=host%02d", {}, ["host00", "host01", "host02", "host03"]),
    ("start=10 end=7 stride=-1", {}, ["10", "9", "8", "7"]),
    ("start=10 count=3 stride=-2", {}, ["10", "8", "6"]),
    ("start=0x0a end=0x0c format=%x", {}, ["a", "b", "c"]),
    ("4-8/2", {}, ["4", "6", "8"]),
    ("5", {}, ["1", "2", "3", "4", "5"]),
    ("2-4:node%d", {}, ["node2", "node3", "node4"]),
    ("", {"start": 1, "end": 3}, ["1", "2", "3"]),
    ("end=2", {"format": "n%d"}, ["n1", "n2"]),
    ("count=0", {}, []),
    ("start=1 end=3 stride=0", {}, []),
    ("start=3 end=3", {}, ["3"]),
])
def test_sequence(term, kwargs, expected):
    assert SequenceLookup().run([term], **kwargs) == expected


def test_sequence_keyword_only_and_through_templar(render):
    assert SequenceLookup().run([], start=2, count=2) == ["2", "3"]
    assert render("{{ lookup('sequence', 'start=1 end=3') }}") == "1,2,3"
    assert render("{{ query('sequence', 'end=2', 'start=5 end=6') }}") == ["1", "2", "5", "6"]


@pytest.mark.parametrize("term, message", [
    ("start=1 end=5 count=3", "can't specify both count and end"),
    ("start=1", "must specify count or end"),
    ("start=5 end=1", "to count backwards make stride negative"),
    ("start=1 end=5 stride=-1", "to count forward don't make stride negative"),
    ("start=x end=5", "can't parse start=x as an integer"),
    ("end=3 format=%s%s", "bad formatting string"),
    ("end=3 colour=red", "Unrecognized parameter.*colour"),
    ("bogus", "unrecognized term"),
    ("bogus words", "unexpected word .words."),
    ("end=3 stray", "unexpected word 'stray'"),
    ("end='3", "cannot parse"),
])
def test_sequence_rejects(term, message):
    with pytest.raises(CorralError, match=message):
        SequenceLookup().run([term])


def test_env(render, monkeypatch):
    monkeypatch.setenv("CORRAL_TEST_VALUE", "v1")
    monkeypatch.delenv("CORRAL_TEST_UNSET", raising=False)
    assert render("{{ lookup('env', 'CORRAL_TEST_VALUE') }}") == "v1"
    assert render("{{ lookup('env', 'CORRAL_TEST_UNSET') }}") == ""
    assert render("{{ lookup('env', 'CORRAL_TEST_UNSET', default='d') }}") == "d"
    assert render("{{ query('env', 'CORRAL_TEST_VALUE', 'CORRAL_TEST_UNSET') }}") == ["v1", ""]
    with pytest.raises(CorralUndefinedVariable):
        render("{{ lookup('env', 'CORRAL_TEST_UNSET', default=missing) }}")
    # a keyword option the lookup does not know is ignored, as in ansible-core
    assert EnvLookup().run(["CORRAL_TEST_VALUE"], fallback=1) == ["v1"]


def test_vars(render):
    assert render("{{ lookup('vars', 'a') }}", a=1) == 1
    assert render("{{ lookup('vars', 'prefix_' + n) }}", n="x", prefix_x="found") == "found"
    assert render("{{ lookup('vars', 't') }}", t="{{ a + 1 }}", a=1) == 2
    assert render("{{ query('vars', 'a', 'b') }}", a=1, b=None) == [1, None]
    assert render("{{ lookup('vars', 'nope', default='d') }}") == "d"
    hostvars = {"h1": {"only_here": "hv"}}
    assert render("{{ lookup('vars', 'only_here') }}", hostvars=hostvars, inventory_hostname="h1") == "hv"


def test_vars_rejects(render):
    with pytest.raises(CorralUndefinedVariable, match="No variable named 'nope' was found."):
        render("{{ lookup('vars', 'nope') }}")
    with pytest.raises(CorralError, match="is not a string, it is a int"):
        render("{{ lookup('vars', 5) }}")
    with pytest.raises(CorralUndefinedVariable):
        render("{{ lookup('vars', missing) }}")
    with pytest.raises(CorralUndefinedVariable, match="inner"):
        VarsLookup().run(["a"], {"a": CorralUndefined(name="inner")})


def test_config(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CORRAL_FORKS", "17")
    assert ConfigLookup().run(["forks", "DEFAULT_FORKS"]) == [17, 17]
    assert ConfigLookup().run(["HOST_KEY_CHECKING"]) in ([True], [False])
    assert ConfigLookup().run(["NO_SUCH_SETTING"], on_missing="skip") == []
    with pytest.raises(CorralError, match="Unable to find setting NO_SUCH_SETTING"):
        ConfigLookup().run(["NO_SUCH_SETTING"])
    with pytest.raises(CorralError, match='"on_missing" must be'):
        ConfigLookup().run(["forks"], on_missing="explode")


def test_password_file_lifecycle(render, loader, tmp_path):
    first = render("{{ lookup('password', 'creds/db.txt') }}")
    stored = tmp_path / "creds" / "db.txt"
    assert re.fullmatch(r"[A-Za-z0-9.,:\-_]{20}", first)
    assert stored.read_text() == first + "\n"
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert render("{{ lookup('password', 'creds/db.txt length=5') }}") == first


def test_password_options(render, tmp_path):
    assert len(render("{{ lookup('password', '/dev/null length=8') }}")) == 8
    digits = render("{{ lookup('password', '/dev/null length=30 chars=digits') }}")
    assert digits.isdigit() and len(digits) == 30
    commas = render("{{ lookup('password', '/dev/null length=12 chars=,, ') }}")
    assert commas == "," * 12
    mixed = render("{{ lookup('password', '/dev/null', length=40, chars=['ascii_lowercase', '-']) }}")
    assert re.fullmatch(r"[a-z\-]{40}", mixed)
    seeded = "{{ lookup('password', '/dev/null seed=fixed') }}"
    assert render(seeded) == render(seeded)
    assert not (tmp_path / "dev").exists()


def test_password_encrypt_keeps_the_salt(render, tmp_path):
    hashed = render("{{ lookup('password', 'p.txt encrypt=md5_crypt') }}")
    content = (tmp_path / "p.txt").read_text()
    plain, salt = re.fullmatch(r"(\S+) salt=(\S{8})\n", content).groups()
    # the stored salt makes the hash's, as password_hash makes it (ansible-core's
    # "pw salt=abcdefgh" gives "$1$V7qMYJaN$a2Wq0FkOjOEu365HakhIK0")
    assert hashed == password_hash(plain, "md5", salt)
    assert render("{{ lookup('password', 'p.txt encrypt=md5') }}") == hashed
    assert render("{{ lookup('password', 'p.txt') }}") == plain


def test_password_encrypt_hashes_as_ansible(render, tmp_path):
    (tmp_path / "pw.txt").write_text("pw salt=abcdefgh\n")
    assert render("{{ lookup('password', 'pw.txt encrypt=md5_crypt') }}") == "$1$V7qMYJaN$a2Wq0FkOjOEu365HakhIK0"


def test_password_adds_a_salt_to_an_existing_file(render, tmp_path):
    (tmp_path / "old.txt").write_text("s3cret\n")
    hashed = render("{{ lookup('password', 'old.txt encrypt=md5_crypt') }}")
    assert (tmp_path / "old.txt").read_text().startswith("s3cret salt=")
    assert hashed.startswith("$1$")


@pytest.mark.parametrize("term, kwargs, message", [
    ("", {}, "no file path"),
    ("p length=x", {}, "length must be an integer"),
    ("p length=0", {}, "length must be at least 1"),
    ("p colour=red", {}, "Unrecognized parameter.*colour"),
    ("p encrypt=rot13", {}, "unsupported encrypt scheme 'rot13'"),
    ("p chars=", {}, "gives no characters"),
])
def test_password_rejects(term, kwargs, message, loader):
    with pytest.raises(CorralError, match=message):
        PasswordLookup(loader=loader).run([term], **kwargs)


def test_password_unwritable_location(loader, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(CorralError, match="cannot write"):
        PasswordLookup(loader=loader).run([str(blocker / "inner" / "p")])


def test_character_pool():
    assert character_pool(["digits"]) == "0123456789"
    assert character_pool(["ab", "ba", "hexdigits"]).startswith("abba0123")
    assert character_pool(["a'\"b"]) == "ab"


def test_password_seed_gives_ansibles_password(tmp_path, loader):
    # Recorded with ansible-core 2.21: lookup('password', 'c', seed='x', length=6).
    assert PasswordLookup(loader=loader).run(["c"], seed="x", length=6) == ["O9iX65"]
    assert (tmp_path / "c").read_text() == "O9iX65\n"
    # Also recorded: the comma of ",," comes first in the pool, as in Ansible.
    assert PasswordLookup().run(["/dev/null chars=ascii_lowercase,,,digits length=30 seed=s"]) == \
        ["32u,,gyv6khzbl06z30d13v7rq70pv"]


def test_hook_lists_every_lookup_also_by_collection_name(render):
    hooked = corral_template_lookups()
    assert {name: cls for name, cls in hooked.items() if "." not in name} == LOOKUPS
    assert hooked["ansible.builtin.file"] is LOOKUPS["file"]
    assert hooked["ansible.legacy.sequence"] is LOOKUPS["sequence"]
    assert render("{{ query('ansible.builtin.sequence', 'end=2') }}") == ["1", "2"]
    assert set(LOOKUPS) >= {"file", "env", "template", "pipe", "items", "list", "dict", "fileglob",
                            "first_found", "lines", "vars", "password", "together", "nested", "sequence",
                            "subelements", "indexed_items", "random_choice", "config", "unvault"}


def _password_in_another_process(path: str) -> str:
    return PasswordLookup().run([path])[0]


def test_password_parallel_hosts_get_one_password(tmp_path):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    path = str(tmp_path / "shared" / "pw")
    with ProcessPoolExecutor(max_workers=4, mp_context=multiprocessing.get_context("fork")) as pool:
        passwords = list(pool.map(_password_in_another_process, [path] * 8, timeout=60))
    assert len(set(passwords)) == 1
    assert (tmp_path / "shared" / "pw").read_text() == passwords[0] + "\n"


def test_password_unreadable_file(tmp_path, loader):
    (tmp_path / "isdir").mkdir()
    with pytest.raises(CorralError, match="cannot read"):
        PasswordLookup(loader=loader).run(["isdir"])
