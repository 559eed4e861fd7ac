"""corral-template-filters: Ansible's filters in templates."""
from __future__ import annotations


def _msg(corral_run, template: str, **variables):
    result = corral_run.task({"debug": {"msg": template}}, extra_vars=variables)
    return corral_run.outcome(result, "localhost").result["msg"]


def test_data_filters(corral_run) -> None:
    assert _msg(corral_run, "{{ data | to_json }}", data={"a": [1, 2]}) == '{"a": [1, 2]}'
    assert _msg(corral_run, "{{ '{\"b\": 3}' | from_json }}") == {"b": 3}
    assert _msg(corral_run, "{{ {'a': 1} | combine({'b': 2}) }}") == {"a": 1, "b": 2}
    assert _msg(corral_run, "{{ [{'n': 'x', 'v': 1}] | items2dict(key_name='n', value_name='v') }}") == {"x": 1}


def test_string_path_and_hash_filters(corral_run) -> None:
    assert _msg(corral_run, "{{ 'abc' | regex_replace('b', 'B') }}") == "aBc"
    assert _msg(corral_run, "{{ '/etc/motd' | basename }}") == "motd"
    assert _msg(corral_run, "{{ 'hello' | b64encode }}") == "aGVsbG8="
    assert _msg(corral_run, "{{ 'hello' | hash('sha1') }}") == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"


def test_a_missing_mandatory_value_fails_the_task(corral_run) -> None:
    result = corral_run.task({"debug": {"msg": "{{ nowhere | mandatory }}"}})
    assert result.rc == 2
    assert "nowhere" in corral_run.outcome(result, "localhost").result["msg"]
