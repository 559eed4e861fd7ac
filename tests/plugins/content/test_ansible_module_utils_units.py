"""corral's ``ansible.module_utils`` functions, called directly (they import on the
controller too, through :mod:`corral_content_ansible.importer`), and how much of the
collections' modules they serve.  Expected values are ansible-core 2.21's."""
from __future__ import annotations

import ast
import functools
import importlib
from pathlib import Path
from types import ModuleType

import pytest
from pypi_packages import ansible_package

from corral_content_ansible import importer



def utils(name: str) -> ModuleType:
    importer.install()
    return importlib.import_module(f"ansible.module_utils.{name}")


def test_loose_and_strict_versions_compare_as_distutils_did() -> None:
    version = utils("compat.version")
    loose, strict = version.LooseVersion, version.StrictVersion
    assert loose("1.10.0") > loose("1.9.3") and loose("2.0rc1") < "2.1"
    assert loose("1.13.0rc1").version == [1, 13, 0, "rc", 1]
    assert strict("1.0a1") < strict("1.0b1") < strict("1.0") == strict("1.0.0")
    assert str(strict("1.2.0")) == "1.2" and str(strict("1.2b3")) == "1.2b3"
    with pytest.raises(ValueError, match="invalid version number '1.x'"):
        strict("1.x")


def test_dict_transformations() -> None:
    dt = utils("common.dict_transformations")
    assert dt.camel_dict_to_snake_dict({"HTTPEndpoint": 1, "TargetGroupARNs": 2, "IAMUser": 3}) == {
        "http_endpoint": 1, "target_group_arns": 2, "iam_user": 3}
    assert dt.camel_dict_to_snake_dict({"IAMUser": {"Tags": 1}, "Tags": {"KeepMe": 1}}, True, ["Tags"]) == {
        "i_a_m_user": {"tags": 1}, "tags": {"KeepMe": 1}}
    assert dt.snake_dict_to_camel_dict({"a_b": [{"c_d": 1}]}, capitalize_first=True) == {"AB": [{"CD": 1}]}
    assert dt.dict_merge({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}, "d": 4}) == {"a": {"b": 1, "c": 3}, "d": 4}
    assert dt.recursive_diff({"a": 1, "b": {"c": 2}}, {"a": 1, "b": {"c": 3}}) == ({"b": {"c": 2}}, {"b": {"c": 3}})
    assert dt.recursive_diff({"a": 1}, {"a": 1}) is None


def test_validation_checks_raise_type_errors_with_ansibles_messages() -> None:
    v = utils("common.validation")
    assert v.check_type_int("42") == 42 and v.check_type_bool("yes") is True
    assert v.check_type_list("a,b") == ["a", "b"] and v.check_type_dict("a=1, b=2") == {"a": "1", "b": "2"}
    assert v.check_type_bits("1Mb") == 1048576 and v.check_type_bytes("1K") == 1024
    with pytest.raises(TypeError, match="cannot be converted to an int"):
        v.check_type_int("x")
    with pytest.raises(TypeError, match=r"parameters are mutually exclusive: a\|b"):
        v.check_mutually_exclusive([["a", "b"]], {"a": 1, "b": 2})
    with pytest.raises(TypeError, match="missing required arguments: name"):
        v.check_required_arguments({"name": {"required": True}}, {})
    with pytest.raises(TypeError, match="state is present but all of the following are missing: path"):
        v.check_required_if([["state", "present", ["path"]]], {"state": "present"})
    assert v.safe_eval("[1, 2]") == [1, 2] and v.safe_eval("os.system('x')") == "os.system('x')"


def test_argument_spec_validator() -> None:
    arg_spec = utils("common.arg_spec")
    validator = arg_spec.ArgumentSpecValidator({"name": {"type": "str", "aliases": ["n"]},
                                                "count": {"type": "int", "default": 1}})
    good = validator.validate({"n": "x"})
    assert good.validated_parameters == {"name": "x", "n": "x", "count": 1} and not good.error_messages
    bad = validator.validate({"count": "many", "extra": 1})
    assert bad.unsupported_parameters == {"extra"}
    # the unsupported parameters are reported after every other error, as ansible-core orders them
    assert bad.error_messages[0].startswith("argument 'count' is of type str and we were unable to convert to int")
    assert bad.error_messages[-1].startswith("Unsupported parameters for (module) module: extra.")


def test_text_converters_and_formatters() -> None:
    conv, fmt = utils("common.text.converters"), utils("common.text.formatters")
    assert conv.to_text(b"caf\xc3\xa9") == "café" and conv.to_bytes("café") == b"caf\xc3\xa9"
    assert conv.container_to_text({b"k": [b"v", (b"t",)]}) == {"k": ["v", ("t",)]}
    assert conv.jsonify({"s": {1}}) == '{"s": [1]}'
    assert fmt.human_to_bytes("10M") == 10485760 and fmt.human_to_bytes("2", default_unit="K") == 2048
    assert fmt.bytes_to_human(1048576) == "1.00 MB" and fmt.bytes_to_human(10) == "10.00 Bytes"


def test_basic_helpers() -> None:
    basic = utils("basic")
    assert basic.heuristic_log_sanitize("https://user:s3cret@host/x") == "https://user:********@host/x"
    assert basic.sanitize_keys({"s3cret_key": {"a": "s3cret"}}, {"s3cret"}) == {
        "********_key": {"a": "s3cret"}}
    assert basic.get_platform() == "Linux"

    class Base:
        platform = "Generic"
        distribution = None

    class OnLinux(Base):
        platform = "Linux"

    assert basic.get_platform_subclass(Base) is OnLinux
    with pytest.raises(basic.AnsibleFallbackNotFound):
        basic.env_fallback("CORRAL_SURELY_UNSET_VARIABLE")


def test_distribution_from_os_release(tmp_path: Path) -> None:
    distro = utils("distro")
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "os-release").write_text('NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\n'
                                                 'VERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\n')
    (tmp_path / "etc" / "debian_version").write_text("12.11\n")
    found = distro.LinuxDistribution(root_dir=str(tmp_path))
    assert (found.id(), found.name(), found.version(), found.version(best=True), found.codename()) == (
        "debian", "Debian GNU/Linux", "12", "12.11", "bookworm")


def test_network_helpers() -> None:
    network = utils("common.network")
    assert network.to_netmask(24) == "255.255.255.0" and network.to_masklen("255.255.240.0") == 20
    assert network.to_subnet("192.168.1.77", "255.255.255.0") == "192.168.1.0/24"
    assert network.is_mac("00:1a:2B:3c:4d:5e") and not network.is_mac("00:1a:2b")


def test_six_moves_and_urls_names() -> None:
    six = utils("six")
    from ansible.module_utils.six.moves.urllib.parse import quote   # noqa: PLC0415 - through the importer
    assert six.PY3 and six.moves.configparser.ConfigParser and quote("a b") == "a%20b"
    urls = utils("urls")
    assert urls.basic_auth_header("u", "p") == b"Basic dTpw"
    assert urls.url_argument_spec()["url_password"]["no_log"] is True
    assert issubclass(urls.SSLValidationError, urls.ConnectionError)


def test_connection_without_a_socket_fails_as_a_connection_error(tmp_path: Path) -> None:
    connection = utils("connection")
    with pytest.raises(connection.ConnectionError, match="does not exist"):
        connection.Connection(str(tmp_path / "nowhere.sock")).get_capabilities()


# -- coverage of the collections' modules -----------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _imports(path: Path) -> list[tuple[str, str | None]]:
    """The imports of a file, without those under ``if TYPE_CHECKING`` or inside a
    ``try`` that catches ImportError (optional imports a module copes without)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[str, str | None]] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                pending.extend(child.orelse)
            elif isinstance(child, ast.Try) and any("ImportError" in ast.unparse(h.type or ast.Constant(""))
                                                    for h in child.handlers):
                pending.extend([*child.handlers, *child.orelse, *child.finalbody])
            elif isinstance(child, ast.Import):
                found.extend((alias.name, None) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                found.extend((child.module, alias.name) for alias in child.names)
            else:
                pending.append(child)
    return found


def _missing(path: Path, seen: set[Path]) -> list[str]:
    """The ``ansible.*`` names ``path`` needs (through its collection's module_utils) that
    corral does not provide."""
    if path in seen:
        return []
    seen.add(path)
    missing = []
    for module, name in _imports(path):
        if module.startswith("ansible_collections."):
            base = (ansible_package() / "ansible_collections").parent.joinpath(*module.split("."))
            for candidate in (base.with_suffix(".py"), base / "__init__.py", base / f"{name}.py"):
                if candidate.is_file():
                    missing += _missing(candidate, seen)
        elif module == "ansible" or module.startswith("ansible."):
            try:
                imported = importlib.import_module(module)
            except ImportError:
                missing.append(module)
                continue
            if name and not hasattr(imported, name):
                try:
                    importlib.import_module(f"{module}.{name}")
                except ImportError:
                    missing.append(f"{module}.{name}")
    return missing


@pytest.mark.parametrize("collection", ["ansible/posix", "community/general", "community/crypto"])
def test_at_least_95_percent_of_a_collections_modules_have_all_they_import(collection: str) -> None:
    importer.install()
    modules = sorted(p for p in ((ansible_package() / "ansible_collections") / collection / "plugins" / "modules").rglob("*.py")
                     if p.name != "__init__.py")
    complete = [path for path in modules if not _missing(path, set())]
    assert len(modules) > 10
    assert len(complete) / len(modules) >= 0.95, {p.name: _missing(p, set()) for p in modules if p not in complete}


def test_unix_http_handler_talks_http_over_a_unix_socket(tmp_path: Path) -> None:
    import http.server
    import socketserver
    import threading
    import urllib.request

    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.end_headers()
            self.wfile.write(f"hello {self.path}".encode())

        def address_string(self) -> str:
            return "unix"

        def log_message(self, *args: object) -> None:
            pass

    path = str(tmp_path / "api.sock")
    server = socketserver.UnixStreamServer(path, Hello)
    threading.Thread(target=server.handle_request, daemon=True).start()
    try:
        urls = utils("urls")
        opener = urllib.request.build_opener(urls.UnixHTTPHandler(path))
        assert opener.open("http://localhost/v1/x", timeout=10).read() == b"hello /v1/x"
    finally:
        server.server_close()
