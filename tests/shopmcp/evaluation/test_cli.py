"""`shopmcp eval conversations` refuses what it cannot run with a sentence and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopmcp.cli import main
from shopmcp.settings import PROJECT_ROOT
from tests.e2e.conftest import free_port


def test_eval_without_a_known_subcommand_prints_its_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["eval", "chats"]) == 2
    assert "shopmcp eval KIND" in (usage := capsys.readouterr().err)
    assert "conversations" in usage and "intents" in usage


def test_a_corpus_with_a_mistake_is_refused_before_anything_is_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["eval", "conversations", "http://127.0.0.1:9", str(corpus)]) == 2
    assert f"{corpus}:1" in capsys.readouterr().err


def test_an_unreachable_server_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert (
        main(
            [
                "eval",
                "conversations",
                url,
                str(PROJECT_ROOT / "tests" / "conversations" / "en.jsonl"),
            ]
        )
        == 2
    )
    assert f"cannot reach {url}" in capsys.readouterr().err
