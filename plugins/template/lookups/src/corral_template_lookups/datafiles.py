"""Lookups of values in data files on the controller: ``ini`` and ``csvfile``.

Both name their file relatively to the ``files`` search path of the task (as the
``file`` lookup does) and take their options as keyword arguments or as
``key=value`` words after the key in a term (``'user section=prod file=users.ini'``;
the key may be several words).
"""
from __future__ import annotations

import codecs
import configparser
import csv
import io
import re
from collections.abc import Mapping
from typing import Any

from corral.errors import CorralError
from corral.plugins import parse_kv
from corral.plugins.lookup import LookupBase
from corral_template_lookups._common import as_bool, reject_undefined

__all__ = ["IniLookup", "CsvfileLookup", "split_term"]


def split_term(lookup: str, term: str, options: set[str]) -> tuple[str, dict[str, str]]:
    """The key of ``term`` (its words up to the first ``name=value``) and the
    options that follow.  An option before any key, or one ``lookup`` does not
    have, is an error."""
    key_words: list[str] = []
    found: dict[str, str] = {}
    last: str | None = None
    for word in term.split(" "):
        if not word:
            continue
        name, sep, value = word.partition("=")
        if sep and name:
            if name not in options:
                raise CorralError(f"{' '.join([*key_words, name])!r} is not a valid option.")
            if not key_words:
                raise CorralError(f"No key to look up was provided as first term within string inline options: "
                                  f"{term}")
            found[name] = value
            last = name
        elif last is not None:      # a value with spaces: the words after ``name=`` belong to it
            found[last] += " " + word
        else:
            key_words.append(word)
    return " ".join(key_words), found


class IniLookup(LookupBase):
    """``lookup('ini', 'key', section=, file=, ...)``: the value of ``key`` in a
    section of an INI file (``type='properties'``: a Java properties file).

    Options: ``file`` (default ``ansible.ini``), ``section`` (``global``),
    ``default`` (``''``, for a missing key), ``re`` (the key is a regular
    expression: every matching value), ``encoding`` (``utf-8``), ``type``
    (``ini`` or ``properties``), ``allow_no_value``/``allow_none`` (keys without
    a value), ``case_sensitive`` (keys; default false), ``interpolation``
    (``%(name)s`` references; default true).  A missing section and duplicate
    keys are errors; a key without a value gives nothing.
    """

    OPTIONS = {"file", "section", "default", "re", "encoding", "type", "allow_no_value", "allow_none",
               "case_sensitive", "interpolation"}

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        result: list[Any] = []
        for term in terms:
            reject_undefined(term)
            key, inline = split_term("ini", str(term), self.OPTIONS)
            options = {**kwargs, **inline}
            parser = self._parser(variables, options)
            section = str(options.get("section", "global"))
            if options.get("type", "ini") == "properties":
                section = "java_properties"
            if not parser.has_section(section):
                raise CorralError(f"No section {section!r} in {str(options.get('file', 'ansible.ini'))!r}.")
            if as_bool(options.get("re", False)):
                pattern = re.compile(key)
                values = [value for name, value in parser.items(section) if pattern.match(name)]
            else:
                try:
                    values = [parser.get(section, key)]
                except configparser.NoOptionError:
                    values = [options.get("default", "")]
            # a key without a value (``allow_no_value``) gives nothing
            result.extend(value for value in values if value is not None)
        return result

    def _parser(self, variables: Mapping[str, Any] | None, options: Mapping[str, Any]) -> configparser.ConfigParser:
        file_type = str(options.get("type", "ini"))
        if file_type not in ("ini", "properties"):
            raise CorralError(f"ini lookup: type must be ini or properties, got {file_type!r}")
        name = str(options.get("file", "ansible.ini"))
        path = self.find_file_in_search_path(variables, "files", name)
        encoding = str(options.get("encoding", "utf-8"))
        try:
            codecs.lookup(encoding)
            with open(str(path), encoding=encoding) as handle:
                text = handle.read()
        except (LookupError, OSError, UnicodeDecodeError) as exc:
            raise CorralError(f"ini lookup: cannot read {name}: {exc}") from exc
        if file_type == "properties":
            text = "[java_properties]\n" + text
        allow_none = as_bool(options.get("allow_no_value", options.get("allow_none", False)))
        interpolation: Any = configparser.BasicInterpolation() if as_bool(options.get("interpolation", True)) \
            else None
        parser = configparser.ConfigParser(allow_no_value=allow_none, interpolation=interpolation)
        if as_bool(options.get("case_sensitive", False)):
            parser.optionxform = str  # type: ignore[assignment,method-assign]
        try:
            parser.read_file(io.StringIO(text))
        except configparser.DuplicateOptionError as exc:
            raise CorralError(f"Duplicate option in {name!r}: {exc}") from exc
        except configparser.Error as exc:
            raise CorralError(str(exc)) from exc
        return parser


class CsvfileLookup(LookupBase):
    """``lookup('csvfile', 'key', file=, col=, ...)``: a column of the row whose
    ``keycol`` column (default 0) is ``key``, in a delimited file.

    A term is the key (several words; quotes are part of it) and ``name=value``
    options (values may be quoted and hold escapes: ``delimiter=\\x1a``).
    Options: ``file`` (default ``ansible.csv``), ``col`` (default 1),
    ``keycol`` (0), ``delimiter`` (default ``TAB``; ``TAB`` or ``\\t`` mean a
    tab), ``encoding`` (``utf-8``), ``default`` (for a key that is not found;
    default nothing).
    """

    OPTIONS = {"file", "col", "keycol", "delimiter", "encoding", "default"}

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        if not terms:
            raise CorralError("Search key is required but was not found")
        result: list[Any] = []
        for term in terms:
            reject_undefined(term)
            inline = parse_kv(str(term))
            key = inline.pop("_raw_params", None)
            if key is None:
                raise CorralError("Search key is required but was not found")
            for name in inline:
                if name not in self.OPTIONS:
                    raise CorralError(f"{name!r} is not a valid option")
            options = {**kwargs, **inline}
            name = str(options.get("file", "ansible.csv"))
            path = self.find_file_in_search_path(variables, "files", name, ignore_missing=True)
            if path is None:
                raise CorralError(f"[Errno 2] No such file or directory: {name!r}")
            delimiter = str(options.get("delimiter", "TAB"))
            if delimiter in ("TAB", "\\t"):
                delimiter = "\t"
            col, keycol = _integer("col", options.get("col", 1)), _integer("keycol", options.get("keycol", 0))
            found = self._find(str(path), key, delimiter, col, keycol, str(options.get("encoding", "utf-8")))
            if found is None:
                found = options.get("default")
            if found is not None:
                result.append(found)
        return result

    @staticmethod
    def _find(path: str, key: str, delimiter: str, col: int, keycol: int, encoding: str) -> str | None:
        try:
            with open(path, encoding=encoding, newline="") as handle:
                for row in csv.reader(handle, delimiter=delimiter):
                    if len(row) > keycol and row[keycol] == key:
                        return row[col]
        except (OSError, LookupError, UnicodeDecodeError, csv.Error, IndexError) as exc:
            raise CorralError(f"csvfile: {exc}") from exc
        return None


def _integer(name: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise CorralError(f"Config {name!r} for 'csvfile' lookup plugin from 'Direct' has an invalid value: "
                          f"Invalid value provided for 'int': {value!r}") from exc
