"""Every plugin distribution ``plugins/<kind>/<name>`` has its tests mirrored by name:
``tests/plugins/<kind>/test_<name>.py`` (``-`` becomes ``_``) or a ``tests/`` folder
beside its ``pyproject.toml``."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _tested(distribution: Path) -> bool:
    kind, name = distribution.parent.name, distribution.name.replace("-", "_")
    mirrored = REPO / "tests" / "plugins" / kind / f"test_{name}.py"
    beside = distribution / "tests"
    return mirrored.is_file() or (beside.is_dir() and any(beside.glob("test_*.py")))


def test_every_plugin_distribution_has_tests_mirrored_by_name() -> None:
    distributions = sorted(path.parent for path in (REPO / "plugins").glob("*/*/pyproject.toml"))
    assert len(distributions) > 25
    missing = [str(path.relative_to(REPO)) for path in distributions if not _tested(path)]
    assert not missing, f"no tests/plugins/<kind>/test_<name>.py (nor tests/ beside it) for: {missing}"
