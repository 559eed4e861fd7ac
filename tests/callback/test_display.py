"""Display: streams, banners, verbosity, warnings, colors, per-run isolation."""
from __future__ import annotations

import io
import threading

from corral.display import Display, colorize, format_source_context, hostcolor, stringc


def make(verbosity=0, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    return Display(verbosity, stream=out, error_stream=err, **kwargs), out, err


def test_banner_pads_with_stars_to_79_columns():
    display, out, _ = make(color=False)
    display.banner("PLAY [all]")
    line = out.getvalue().split("\n")[1]
    assert out.getvalue().startswith("\nPLAY [all] *")
    assert len(line) == 80 and line.endswith("*" * 69)


def test_banner_keeps_at_least_three_stars():
    display, out, _ = make(color=False)
    display.banner("X" * 100)
    assert out.getvalue() == "\n" + "X" * 100 + " ***\n"


def test_verbosity_levels_and_host_prefix():
    display, out, _ = make(verbosity=2, color=False)
    display.v("one")
    display.vv("two", host="web1")
    display.vvv("three")
    assert out.getvalue() == "one\n<web1> two\n"


def test_warning_goes_to_stderr_once():
    display, out, err = make(color=False)
    display.warning("careful")
    display.warning("careful")
    display.warning("two\nlines")
    assert out.getvalue() == ""
    assert err.getvalue() == "[WARNING]: careful\n[WARNING]: two\nlines\n\n"


def test_error_and_deprecation_formats():
    display, _, err = make(color=False)
    display.error(ValueError("bad value"))
    display.deprecated("Old thing is old", version="2.0", collection_name="acme.tools")
    display.deprecated("Core thing", version="2.23", collection_name="ansible.builtin")
    display.deprecated("Vague thing", version="3")
    assert err.getvalue().splitlines() == [
        "[ERROR]: bad value",
        "[WARNING]: Deprecation warnings can be disabled by setting `deprecation_warnings=False` in ansible.cfg.",
        "[DEPRECATION WARNING]: Old thing is old. This feature will be removed from collection 'acme.tools' "
        "version 2.0.",
        "[DEPRECATION WARNING]: Core thing. This feature will be removed from ansible-core version 2.23.",
        "[DEPRECATION WARNING]: Vague thing. This feature will be removed in the future.",
    ]


def test_deprecations_can_be_turned_off():
    display, _, err = make(color=False, environ={"ANSIBLE_DEPRECATION_WARNINGS": "false"})
    display.deprecated("x")
    assert err.getvalue() == ""


def test_colors_only_when_forced_or_tty():
    plain, out, _ = make(environ={})
    plain.display("hi", color="green")
    assert out.getvalue() == "hi\n"
    forced, out, _ = make(environ={"CORRAL_FORCE_COLOR": "1"})
    forced.display("hi", color="green")
    assert out.getvalue() == "\033[0;32mhi\033[0m\n"
    nocolor, out, _ = make(environ={"ANSIBLE_FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert nocolor.color is True  # force wins over NO_COLOR, as in Ansible


def test_nocolor_on_a_tty():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert Display(stream=Tty(), environ={}).color is True
    assert Display(stream=Tty(), environ={"ANSIBLE_NOCOLOR": "1"}).color is False
    assert Display(stream=Tty(), environ={"NO_COLOR": "1"}).color is False


def test_palette_is_ansibles_and_overridable():
    display, _, _ = make(environ={"ANSIBLE_COLOR_OK": "bright green"})
    assert display.color_of("ok") == "bright green"
    assert display.color_of("changed") == "yellow"
    assert display.color_of("unreachable") == "bright red"
    assert display.color_of("warn") == "bright purple"
    assert display.color_of("debug") == "dark gray"


def test_stringc_colorize_hostcolor():
    assert stringc("a\nb", "red", enabled=True) == "\033[0;31ma\033[0m\n\033[0;31mb\033[0m"
    assert stringc("a", "color100", enabled=True) == "\033[38;5;100ma\033[0m"
    assert stringc("a", "red", enabled=False) == "a"
    assert colorize("ok", 3, "green", enabled=False) == "ok=3   "
    assert colorize("ok", 0, "green", enabled=True) == "ok=0   "
    assert colorize("ok", 1, "green", enabled=True) == "\033[0;32mok=1   \033[0m"
    stats = {"failures": 1, "unreachable": 0, "changed": 0}
    assert hostcolor("web", stats, enabled=False) == "web" + " " * 23
    assert hostcolor("web", stats, enabled=True).startswith("\033[0;31mweb\033[0m")


def test_log_file_gets_plain_lines(tmp_path):
    log = tmp_path / "corral.log"
    display, out, _ = make(color=True, log_path=str(log))
    display.display("hello", color="green")
    display.display("screen", screen_only=True)
    display.display("logged", log_only=True)
    assert out.getvalue() == "\033[0;32mhello\033[0m\nscreen\n"
    lines = log.read_text().splitlines()
    assert [line.split(" | ", 1)[1] for line in lines] == ["hello", "logged"]
    assert " n=corral " in lines[0]


def test_two_displays_do_not_share_state():
    first, out1, err1 = make(verbosity=3, color=False)
    second, out2, err2 = make(verbosity=0, color=False)
    first.warning("same")
    second.warning("same")
    first.vvv("loud")
    second.vvv("quiet")
    assert err1.getvalue() == err2.getvalue() == "[WARNING]: same\n"
    assert out1.getvalue() == "loud\n" and out2.getvalue() == ""


def test_concurrent_writes_keep_lines_whole():
    display, out, _ = make(color=False)

    def write(n):
        for i in range(200):
            display.display(f"thread{n}-{i:03d}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    lines = out.getvalue().splitlines()
    assert len(lines) == 800
    assert all(line.startswith("thread") and len(line) == len("thread0-000") for line in lines)


def test_listeners_see_plain_text_and_kind():
    display, _, _ = make(color=True, environ={})
    seen = []
    display.add_listener(lambda text, stderr, kind: seen.append((text, stderr, kind)))
    display.display("x", color="red")
    display.warning("w")
    display.v("ignored at verbosity 0")
    assert seen == [("x\n", False, "display"), ("[WARNING]: w\n", True, "warning")]


def test_a_listener_may_see_the_text_as_written_with_its_colors():
    display, _, _ = make(color=True, environ={})
    seen = []
    display.add_listener(lambda text, stderr, kind: seen.append(text), as_written=True)
    display.display("x", color="red")
    assert seen == ["\x1b[0;31mx\x1b[0m\n"]


def test_source_context(tmp_path):
    path = tmp_path / "play.yml"
    path.write_text("- hosts: all\n  tasks:\n    - name: one\n      ping:\n")
    assert format_source_context(str(path), 3, 7) == (
        f"Origin: {path}:3:7\n\n1 - hosts: all\n2   tasks:\n3     - name: one\n        ^ column 7")
    assert format_source_context(str(tmp_path / "missing.yml"), 1).endswith("(source not shown: FileNotFoundError)")


def test_var_prompt_without_a_terminal_uses_the_default(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    display, _, err = make(color=False)
    assert display.do_var_prompt("name", prompt="Name", default="anon") == "anon"
    assert err.getvalue() == "[WARNING]: Not prompting as we are not in interactive mode\n"


def test_var_prompt_asks_until_confirmed(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Tty(""))
    answers = iter(["a", "b", "c", "c"])
    asked = []
    display, out, _ = make(color=False)
    monkeypatch.setattr(display, "prompt", lambda msg, private=False: asked.append(msg) or next(answers))
    assert display.do_var_prompt("pw", prompt="Password", confirm=True) == "c"
    assert asked == ["Password: ", "confirm Password: "] * 2
    assert out.getvalue() == "***** VALUES ENTERED DO NOT MATCH ****\n"
