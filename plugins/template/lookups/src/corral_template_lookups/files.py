"""Lookups that read controller files: file, unvault, template, fileglob, first_found.

Relative names are searched as Ansible does: in the role's and the playbook's
``files`` (``templates`` for ``template``) directory, then beside them.
"""
from __future__ import annotations

import glob
import os
import re
from collections.abc import Mapping
from typing import Any

from corral.errors import CorralError, CorralFileNotFound
from corral.plugins.lookup import LookupBase
from corral_template_lookups._common import as_bool, check_options, flatten_once, reject_undefined

__all__ = ["FileLookup", "UnvaultLookup", "TemplateLookup", "FileglobLookup", "FirstFoundLookup"]


class FileLookup(LookupBase):
    """``lookup('file', 'name', ...)``: the contents of files, vaults decrypted.

    Options: ``rstrip`` (default true) and ``lstrip`` (default false) remove
    surrounding whitespace.
    """

    NAME = "file"
    SUBDIR = "files"
    #: the error for a file that is not found, as ansible-core words it for this lookup
    NOT_FOUND = "Unable to access the file '{term}': File not found. Use -vvvvv to see paths searched."

    def _read(self, variables: Mapping[str, Any] | None, term: Any) -> str:
        reject_undefined(term)
        path = self.find_file_in_search_path(variables, self.SUBDIR, str(term), ignore_missing=True)
        if path is None or not os.path.isfile(path):
            raise CorralFileNotFound(self.NOT_FOUND.format(term=term))
        if self._loader is not None:
            text, _ = self._loader.get_text_file_contents(path)
            return text
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            return handle.read()

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        rstrip, lstrip = as_bool(kwargs.get("rstrip", True)), as_bool(kwargs.get("lstrip", False))
        contents = []
        for term in terms:
            text = self._read(variables, term)
            if rstrip:
                text = text.rstrip()
            if lstrip:
                text = text.lstrip()
            contents.append(text)
        return contents


class UnvaultLookup(FileLookup):
    """``lookup('unvault', 'name')``: a (vaulted) file's contents, decrypted, as they are."""

    NAME = "unvault"
    NOT_FOUND = 'Unable to find file matching "{term}"'

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        return [self._read(variables, term) for term in terms]


class TemplateLookup(FileLookup):
    """``lookup('template', 'name.j2')``: template files rendered with the current
    variables.

    Options: ``template_vars`` (extra variables, a dict).  The template also
    sees ``template_path``, ``template_fullpath`` and ``template_basename``.
    """

    NAME = "template"
    SUBDIR = "templates"
    NOT_FOUND = "the template file {term} could not be found for the lookup"

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        extra = kwargs.get("template_vars") or {}
        if not isinstance(extra, Mapping):
            raise CorralError(f"template lookup: template_vars must be a dictionary, got {type(extra).__name__}")
        if self._templar is None:
            raise CorralError("template lookup: no templar available to render templates")
        rendered = []
        for term in terms:
            text = self._read(variables, term)
            path = self.find_file_in_search_path(variables, self.SUBDIR, str(term))
            names = {"template_path": str(term), "template_fullpath": os.path.abspath(str(path)),
                     "template_basename": os.path.basename(str(term))}
            output = self._templar.template_text(text, extra_vars={**names, **extra},
                                                 searchpath=[os.path.dirname(os.path.abspath(str(path)))],
                                                 source_name=os.path.abspath(str(path)))
            rendered.append(output)
        return rendered


class FileglobLookup(LookupBase):
    """``lookup('fileglob', '*.txt')``: the files (not directories) matching
    shell patterns.  A bare pattern is tried in each search path's ``files``
    directory, then in the search path itself: the first directory with matches
    gives them.  A pattern with a directory (``sub/*.txt``) is matched in that
    directory as found in the ``files`` search path."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        found: list[str] = []
        for term in terms:
            reject_undefined(term)
            term = str(term)
            pattern = os.path.basename(term)
            if pattern != term:
                directory = self.find_file_in_search_path(variables, "files", os.path.dirname(term),
                                                          ignore_missing=True)
                directories = [directory] if directory is not None else []
            else:
                directories = [d for base in self.search_paths(variables) for d in (os.path.join(base, "files"), base)]
            for directory in directories:
                matches = sorted(path for path in glob.glob(os.path.join(directory, pattern)) if os.path.isfile(path))
                if matches:
                    found.extend(matches)
                    break
        return found


_FILE_SEPARATORS = re.compile(r"[,;]")
_PATH_SEPARATORS = re.compile(r"[,:;]")


def _split(values: Any, separators: re.Pattern[str]) -> list[str]:
    if values is None:
        return []
    items = values if isinstance(values, list) else [values]
    result: list[str] = []
    for item in items:
        reject_undefined(item)
        if isinstance(item, str):
            result.extend(part for part in separators.split(item) if part)
        else:
            result.append(str(item))
    return result


class FirstFoundLookup(LookupBase):
    """``lookup('first_found', ...)``: the path of the first file that exists.

    Terms are file names (``'a.yml,b.yml'`` splits on ``,`` and ``;``) or dicts
    with ``files``, ``paths`` (split on ``,``, ``:`` and ``;``) and ``skip``; the
    same keys may be keyword arguments.  Each candidate (every file in every
    path, in order) is searched in the role's and the playbook's ``files``,
    ``vars``, ``templates`` and ``tasks`` directories and beside them (Ansible
    picks one of those directories from the task's module; a lookup does not
    know the task, so it tries them in turn).  Nothing found is an error unless
    ``skip`` is true (then the result is empty).
    """

    SUBDIRS = ("files", "vars", "templates", "tasks")

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        skip = as_bool(kwargs.get("skip", False))
        candidates: list[str] = []
        loose_files: list[str] = []
        for term in flatten_once(terms):
            reject_undefined(term)
            if isinstance(term, Mapping):
                check_options("first_found", term, {"files", "paths", "skip"})
                skip = skip or as_bool(term.get("skip", False))
                candidates += self._combine(_split(term.get("files"), _FILE_SEPARATORS),
                                            _split(term.get("paths"), _PATH_SEPARATORS))
            else:
                loose_files += _split(term, _FILE_SEPARATORS)
        if loose_files or kwargs.get("files"):
            files = loose_files + _split(kwargs.get("files"), _FILE_SEPARATORS)
            candidates += self._combine(files, _split(kwargs.get("paths"), _PATH_SEPARATORS))
        for candidate in candidates:
            for subdir in self.SUBDIRS:
                path = self.find_file_in_search_path(variables, subdir, candidate, ignore_missing=True)
                if path is not None and os.path.isfile(path):
                    return [os.path.abspath(path)]
        if skip:
            return []
        raise CorralFileNotFound("No file was found when using first_found "
                                 f"(searched: {', '.join(candidates) or 'nothing'}).")

    @staticmethod
    def _combine(files: list[str], paths: list[str]) -> list[str]:
        if not paths:
            return files
        return [os.path.join(path, name) for path in paths for name in files]
