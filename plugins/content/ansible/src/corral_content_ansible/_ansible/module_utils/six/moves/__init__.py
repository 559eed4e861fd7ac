"""``ansible.module_utils.six.moves``: Python 2 names of standard modules, as Python 3's."""
from __future__ import annotations

import builtins
import collections.abc as collections_abc
import configparser
import copyreg
import html.parser as html_parser
import http.client as http_client
import http.cookiejar as http_cookiejar
import http.cookies as http_cookies
import importlib
import io
import itertools
import os
import pickle as cPickle
import queue
import reprlib
import shlex
import socketserver
import subprocess
import urllib.error as urllib_error
import urllib.parse as urllib_parse
import urllib.request as urllib_request
import urllib.robotparser as urllib_robotparser
from collections import UserDict, UserList, UserString
from functools import reduce

from ansible.module_utils.six.moves import urllib

__all__ = ["builtins", "collections_abc", "configparser", "copyreg", "html_parser", "http_client",
           "http_cookiejar", "http_cookies", "cPickle", "queue", "reprlib", "socketserver", "urllib",
           "urllib_error", "urllib_parse", "urllib_request", "urllib_robotparser", "UserDict", "UserList",
           "UserString", "reduce", "range", "xrange", "zip", "map", "filter", "input", "zip_longest",
           "filterfalse", "getcwd", "getcwdb", "getoutput", "intern", "reload_module", "shlex_quote",
           "StringIO", "cStringIO"]

range = xrange = builtins.range
zip = builtins.zip
map = builtins.map
filter = builtins.filter
input = builtins.input
intern = __import__("sys").intern
zip_longest = itertools.zip_longest
filterfalse = itertools.filterfalse
getcwd = os.getcwd
getcwdb = os.getcwdb
getoutput = subprocess.getoutput
reload_module = importlib.reload
shlex_quote = shlex.quote
StringIO = cStringIO = io.StringIO
