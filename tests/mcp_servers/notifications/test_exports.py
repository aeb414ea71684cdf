from __future__ import annotations

import pytest

import mcp_servers.notifications as package
import tests.fakes as fakes


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff's RUF022 keeps `__all__` in."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


@pytest.mark.parametrize("module", [package, fakes], ids=lambda m: m.__name__)
def test_public_names_are_sorted_and_importable(module: object) -> None:
    names = module.__all__  # type: ignore[attr-defined]

    assert names == sorted(names, key=_isort_key)
    assert [name for name in names if not hasattr(module, name)] == []
