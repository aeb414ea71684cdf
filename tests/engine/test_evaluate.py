"""`shopmcp eval intents`: scoring labelled lines and chatter, and the command over real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from engine._evaluate import judge, score
from tests.engine.conftest import MINI_EN


def _judged(expected: str | None, predicted: str, **extra: object) -> object:
    item: dict[str, object] = {"text": "t", "locale": "en", **extra}
    if expected is not None:
        item["intent"] = expected
    return judge(item, {"intent": predicted, "source": "pattern", "locale": "en", **extra})


def test_accuracy_coverage_and_precision_count_what_they_say() -> None:
    figures = score(
        [
            _judged("add_to_basket", "add_to_basket"),
            _judged("add_to_basket", "search_products"),
            _judged("get_basket", "unknown"),
            _judged("unknown", "unknown"),
        ]
    )["en"].figures()
    assert figures["accuracy"] == 0.5  # 2 of 4 labelled
    assert figures["coverage"] == round(2 / 3, 4)  # 2 of the 3 in-scope lines got an intent
    assert figures["precision"] == 0.5  # of the 2 answers given, 1 was right
    assert figures["confusions"][0]["expected"] in {"add_to_basket", "get_basket"}


@pytest.mark.parametrize(
    ("predicted", "false_match"),
    [
        pytest.param("search_products", True, id="a-shop-intent-took-it"),
        pytest.param("greet", False, id="a-greeting-is-fine"),
        pytest.param("unknown", False, id="nothing-matched"),
    ],
)
def test_chatter_counts_as_a_false_match_only_when_a_shop_intent_takes_it(
    predicted: str, false_match: bool
) -> None:
    figures = score([_judged(None, predicted)])["en"].figures()
    assert figures["chatter"] == 1 and figures["labelled"] == 0
    assert figures["chatter_false_match"] == (1.0 if false_match else 0.0)


def test_slots_are_compared_only_when_the_intent_is_right() -> None:
    right = _judged("add_to_basket", "add_to_basket", slots={"quantity": 2, "product": "Shirts"})
    wrong = _judged("search_products", "add_to_basket", slots={"query": "x"})
    figures = score([right, wrong])["en"].figures()
    assert figures["slot_agreement"] == 1.0


def test_the_command_scores_a_file_per_locale(
    write_patterns: Callable[..., Path], tmp_path: Path
) -> None:
    root = write_patterns({"en/all.intents": MINI_EN})
    lines = [
        {"text": "add 2 shirts to my cart", "locale": "en", "intent": "add_to_basket"},
        {"text": "checkout", "locale": "en", "intent": "get_payment_link"},
        {"text": "what is the meaning of life", "locale": "en"},
        {"text": "do you have feelings", "locale": "en"},
    ]
    data = tmp_path / "dev.jsonl"
    data.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n")
    done = subprocess.run(
        [sys.executable, "-m", "shopmcp", "eval", "intents", str(data), "--no-ai", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SHOPMCP_PATTERNS": str(root)},
        check=True,
    )
    figures = json.loads(done.stdout)["en"]
    assert (figures["labelled"], figures["accuracy"], figures["chatter"]) == (2, 1.0, 2)
    assert figures["chatter_false_match"] == 0.5  # "do you have feelings" → search_products
    assert "dev.jsonl:5: skipped" in done.stderr
