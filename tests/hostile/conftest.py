"""Fixtures of the hostile-input tests (issue #7)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def write_patterns(tmp_path: Path) -> Callable[..., Path]:
    """Write pattern files {"en/x.intents": text} under a fresh directory and return it."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "patterns"
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return write
