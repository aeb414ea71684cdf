"""A corpus file with a mistake is refused with its file, line and field, before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopmcp.evaluation.corpus import CorpusError, load_corpus
from shopmcp.settings import PROJECT_ROOT

GOOD = {
    "id": "en-1",
    "locale": "en",
    "client": "sms",
    "goal": "g",
    "turns": [{"say": "hi", "intent": "greet"}],
    "done": {"turns": [1]},
}


def write(tmp_path: Path, *conversations: dict) -> Path:
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in conversations) + "\n", encoding="utf-8")
    return path


def test_a_good_file_loads() -> None:
    conversations = load_corpus([PROJECT_ROOT / "tests" / "conversations"])
    assert len(conversations) >= 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param({"client": "fax"}, "'client' must be one of", id="client"),
        pytest.param({"locale": "it"}, "'locale' must be one of", id="locale"),
        pytest.param(
            {"turns": [{"say": "hi", "intent": "greet", "baskets": {}}]}, "unknown key", id="typo"
        ),
        pytest.param(
            {"turns": [{"say": "hi", "intent": "greet", "basket": {"x": "2"}}]},
            "quantities",
            id="qty",
        ),
        pytest.param({"done": {"turns": [3]}}, "done.turns", id="done-turn"),
        pytest.param(
            {"turns": [{"say": "hi", "intent": "greet", "pay": "nobody"}]}, "'pay'", id="pay"
        ),
    ],
)
def test_a_mistake_names_the_line_and_the_field(tmp_path: Path, change: dict, message: str) -> None:
    path = write(tmp_path, GOOD, {**GOOD, "id": "en-2", **change})
    with pytest.raises(CorpusError, match=message) as error:
        load_corpus([path])
    assert f"{path}:2" in str(error.value)


def test_a_duplicate_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="also used at"):
        load_corpus([write(tmp_path, GOOD, GOOD)])
