"""corral_template_filters.passwords: crypt(3) hashes without the crypt module.

The expected hashes of ``crypt_hash`` were computed with glibc's crypt(3) (through
Python 3.11's ``crypt`` module) when these tests were written; those of
``password_hash`` with an explicit salt were printed by ansible-core 2.21 (without
passlib), which makes the hash's salt from the given one.
"""
from __future__ import annotations

import re

import jinja2
import pytest

from corral.errors import CorralTemplateError
from corral_template_filters.passwords import crypt_hash, password_hash

GLIBC_VECTORS = [
    ("x", "sha512", "abcdefgh", "$6$rounds=1000$abcdefgh$4TrI6cXa4n9N0SC1fS0MHCSOjLGo8LvKKddTcWCgNfCi7WcWMCAoAaYAPNlItHgu68UaJgvsZH7rlRtu1l5rW/"),
    ("x", "sha256", "abcdefgh", "$5$rounds=1000$abcdefgh$u9otfMRaLa8naphuhy/dT1CAmGtji1ACymPmfnH5lv7"),
    ("x", "md5", "abcdefgh", "$1$abcdefgh$znAnv9M.XU2pRYfmSs46h/"),
    ("secret", "sha512_crypt", "saltsaltsaltsalt", "$6$rounds=1000$saltsaltsaltsalt$cv7no.30n.S75jcCNBQv6o7WVXQ5AaB1EpIeSKwsNupcnQDQ0DsukcAPRNjPumwKIBg2JK5ii9uw5enNnnA4N/"),
    ("secret", "sha256_crypt", "saltsaltsaltsalt", "$5$rounds=1000$saltsaltsaltsalt$wYd0WDLeF2azwHAX40d1O2vcn89WFSxXFzmX1Ppv5U0"),
    ("secret", "md5_crypt", "saltsalt", "$1$saltsalt$9xy1btjgzLYfb7hivXtC//"),
    ("", "sha512", "a", "$6$rounds=1000$a$q/ZSdy9IBSzcpbaIjdRTOu569QiYiP4n7Ab08Oq1Ir6J.GD1xR3BAwRIYHnavtE1Wzodknd9BxknlHhFBP/az1"),
    ("", "sha256", "a", "$5$rounds=1000$a$h8gEN0ODxYvLokgp44mp9FQeMZy0f9j01cbNDQnD727"),
    ("", "md5", "a", "$1$a$8CfZSfErbeskipdhZHtvu."),
]


_SCHEMES = {"sha512": "sha512_crypt", "sha256": "sha256_crypt", "md5": "md5_crypt"}

#: (password, hashtype, salt as given, rounds, ansible-core 2.21's hash)
ANSIBLE_VECTORS = [
    ("secret", "sha512", "aaaaaaaa", None, "$6$rounds=656000$V3KMV3KM$RR5ICUezwlX/IK8Jj9HTsVFg0Cno6LsmVIZalGuoQ.k3Z5PlQaquAm6LhJ6aFEHQBy13/oGABa.BZ.jvEPMMi0"),
    ("secret", "sha512", "abcdefgh", None, "$6$rounds=656000$V7qMYJaN$moy0dbECO9yMQ1qBG9zVqmFRnpEWyBtHP9xO/PUEGYPYzir6npVGqTjEuCu899RqZyPvSMQFGVcMoDFyMsRL//"),
    ("secret", "sha512", "abcdefghijklmnop", None, "$6$rounds=656000$V7qMYJaNbVKOeh4P$5JHBnJyyzK0qVndiB5wWoYti.5GRd/abKgCBr8zhfmvNGkgyPxGyFSmepP0D6yVsOYiNBHDtwRV10SroqamWr/"),
    ("secret", "sha512", "abc", None, "$6$rounds=656000$$casBLgWY2/5qly2nj0Jbgbudz29dE1P8WdbRIfaCOAL5HDxoqvarE6yj/cDK9pHVj..bYOasSNye34vYjhs.K/"),
    ("secret", "sha512", "abcdef", None, "$6$rounds=656000$V7qM$jLRxcvX8B/jL15ONTs6utYJC6RJgVBzyv6Gcb7Gn51./MiVHkqBC94KI/vNn1dy908VGympCCVppSzyqm9d.W."),
    ("secret", "md5", "abc", None, "$1$$ysVNzQc4CTMkp5daOdZ.3/"),
    ("secret", "md5", "abcdefgh", None, "$1$V7qMYJaN$PGfljd6i89PJT5EgLKeA71"),
    ("secret", "sha256", "abcdef", 5000, "$5$V7qM$oz8Cs2tceA2wFxZCjCFvBaaMMcRrtHb47eqMnFdxPR1"),
]


@pytest.mark.parametrize("password, scheme, salt, expected", GLIBC_VECTORS)
def test_matches_glibc(password, scheme, salt, expected):
    rounds = None if scheme.startswith("md5") else 1000
    assert crypt_hash(password, _SCHEMES.get(scheme, scheme), salt, rounds) == expected


@pytest.mark.parametrize("password, scheme, salt, rounds, expected", ANSIBLE_VECTORS)
def test_a_given_salt_makes_ansibles_hash(password, scheme, salt, rounds, expected):
    assert password_hash(password, scheme, salt, rounds=rounds) == expected


def test_fewer_than_three_salt_characters_make_no_salt():
    with pytest.raises(CorralTemplateError, match="crypt_gensalt failed: unable to generate salt"):
        password_hash("x", "sha512", "ab")


def test_default_rounds_are_ansibles():
    # SHA-512's default (656000) is checked against ansible-core in test_oracle.py.
    assert crypt_hash("x", "sha256_crypt", "abcdefgh").startswith("$5$rounds=535000$abcdefgh$")


def test_implicit_rounds_are_not_written():
    assert re.fullmatch(r"\$5\$abcdefgh\$[./0-9A-Za-z]{43}", crypt_hash("x", "sha256_crypt", "abcdefgh", 5000))


def test_random_salt_has_the_algorithms_size():
    assert re.fullmatch(r"\$1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}", password_hash("x", "md5"))
    short = password_hash("x", "sha512", salt_size=4, rounds=1000)
    assert re.fullmatch(r"\$6\$rounds=1000\$[./0-9A-Za-z]{4}\$[./0-9A-Za-z]{86}", short)
    assert password_hash("x", "md5") != password_hash("x", "md5")


def test_long_password_and_unicode():
    long_secret = "p" * 100 + "ü"
    assert password_hash(long_secret, "sha512", "salt", rounds=1000) == \
        password_hash(long_secret, "sha512", "salt", rounds=1000)
    assert password_hash(long_secret, "sha512", "salt", rounds=1000) != \
        password_hash(long_secret[:-1], "sha512", "salt", rounds=1000)


@pytest.mark.parametrize("kwargs, message", [
    ({"hashtype": "blah"}, "does not support the 'blah' algorithm"),
    ({"salt": "bad$salt"}, "invalid characters in salt"),
    ({"salt": "x" * 17}, "invalid salt size 17"),
    ({"hashtype": "md5", "salt": "x" * 9}, "invalid salt size 9 for md5_crypt, expected at most 8"),
    ({"salt_size": 20}, "invalid salt size 20"),
    ({"rounds": 10}, "rounds must be between 1000 and 999999999"),
    ({"hashtype": "md5", "rounds": 1000}, "'rounds' does not apply to md5_crypt"),
    ({"ident": "2b"}, "'ident' does not apply"),
])
def test_rejects(kwargs, message):
    with pytest.raises(CorralTemplateError, match=message):
        password_hash("x", **kwargs)


def test_undefined_fails(undefined):
    with pytest.raises(jinja2.UndefinedError):
        password_hash(undefined)
    with pytest.raises(jinja2.UndefinedError):
        password_hash("x", "sha512", undefined)


def test_through_templar(render):
    assert render("{{ pw | password_hash('md5', 'abcdefgh') }}", pw="secret") == "$1$V7qMYJaN$PGfljd6i89PJT5EgLKeA71"
