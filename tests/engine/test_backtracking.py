"""Adversarial patterns and long messages: matching stays linear (RE2), so none of these hang.

Each would take hours with a backtracking matcher (2^40 paths and more); the bound below only
guards against that, it is not a speed measurement (see benchmarks/).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from engine import MAX_MESSAGE_CHARS, load_patterns

NESTED_OPTIONALS = " ".join(["[x]"] * 40) + " " + " ".join(["x"] * 40) + " end"
FREE_TEXT_RUN = "{a} x {b} x {c} x {d} y"
HUGE_ALTERNATION = " | ".join(f"w{i}" for i in range(3000))


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        pytest.param(NESTED_OPTIONALS, " ".join(["x"] * 400), id="nested-optionals"),
        pytest.param(FREE_TEXT_RUN, " ".join(["x"] * 600), id="free-text-slots"),
        pytest.param(f"start ({HUGE_ALTERNATION}) end", "start " + "w1 " * 500, id="alternation"),
        pytest.param("go (a; b; c; d) {a} now", "go " + "a b c d " * 300, id="permutation"),
    ],
)
def test_an_adversarial_pattern_cannot_make_a_message_hang(
    write_patterns: Callable[..., Path], pattern: str, message: str
) -> None:
    body = "locale en\nintent help\n  slots a: text, b: text, c: text, d: text\n"
    engine = load_patterns(write_patterns({"en/x.intents": body + f"  match {pattern}\n"}))
    outcome: list[str] = []
    worker = threading.Thread(
        target=lambda: outcome.append(engine.recognize(message, "en", fuzzy=False).status)
    )
    worker.start()
    worker.join(timeout=10)
    assert outcome == ["none"]


def test_messages_are_cut_at_the_maximum_length(mini) -> None:  # type: ignore[no-untyped-def]
    result = mini.recognize("hola " * 5000, "es")
    assert result.text.startswith("hola")
    assert MAX_MESSAGE_CHARS == 4000
