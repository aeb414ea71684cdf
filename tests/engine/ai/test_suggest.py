"""`shopmcp patterns suggest`: AI answers turned into pattern lines that parse, compile and pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine import check_engine, load_patterns, parse_text
from engine._cli import patterns_main
from engine.ai import Suggestion, suggest
from tests.engine.ai.conftest import PATTERNS_ES


def record(text: str, intent: str, slots: dict[str, Any], spans: dict[str, list[int]]) -> dict:
    return {
        "timestamp": "2025-05-01T10:00:00+00:00",
        "text": text,
        "locale": "es",
        "intent": intent,
        "slots": slots,
        "spans": spans,
        "confidence": 0.9,
        "provider": "anthropic",
        "model": "claude-test",
        "cached": False,
    }


RECORDS = [
    record(
        "mete dos fundas en la cesta",
        "add_to_basket",
        {"quantity": 2, "product": "fundas"},
        {"quantity": [5, 8], "product": [9, 15]},
    ),
    record(
        "Mete DOS fundas en la cesta!",
        "add_to_basket",
        {"quantity": 2, "product": "fundas"},
        {"quantity": [5, 8], "product": [9, 15]},
    ),
    record(
        "mete 3 cargadores en la bolsa",
        "add_to_basket",
        {"quantity": 3, "product": "cargadores"},
        {"quantity": [5, 6], "product": [7, 17]},
    ),
    record(
        "mete cargadores en la bolsa",
        "add_to_basket",
        {"product": "cargadores"},
        {"product": [5, 15]},
    ),
    record(
        "algo azul de menos de 20 €, match it",
        "search_products",
        {"color": "blue", "max_price": {"amount": 2000, "currency": "EUR"}},
        {"color": [5, 9], "max_price": [22, 26]},
    ),
    record("fundas", "search_products", {"query": "fundas"}, {"query": [0, 6]}),
]


def by_intent(suggestions: list[Suggestion]) -> dict[str, Suggestion]:
    return {s.intent: s for s in suggestions}


def test_messages_that_differ_in_one_word_merge_into_one_match_line() -> None:
    lines = by_intent(suggest(RECORDS))["add_to_basket"].lines

    assert [line for line in lines if line.startswith("match")] == [
        "match mete [{quantity}] {product} en la (cesta | bolsa)"
    ]
    assert 'example mete dos fundas en la cesta -> quantity = 2, product = "fundas"' in lines


def test_repeats_are_counted_once_per_normalized_text() -> None:
    add = by_intent(suggest(RECORDS))["add_to_basket"]

    assert add.answers == 4
    assert add.messages[0] == ("mete dos fundas en la cesta", 2)
    assert len(add.messages) == 3


def test_a_message_that_is_all_slot_gets_a_note_instead_of_a_match_line() -> None:
    search = by_intent(suggest(RECORDS))["search_products"]

    assert any("no literal word" in note for note in search.notes)
    assert not any(line.startswith("match {query") for line in search.lines)


def test_min_count_leaves_out_intents_with_fewer_answers() -> None:
    assert [s.intent for s in suggest(RECORDS, min_count=3)] == ["add_to_basket"]


@pytest.mark.parametrize("intent", ["add_to_basket", "search_products"])
def test_every_suggestion_parses_under_locale_and_intent_headers(intent: str) -> None:
    suggestion = by_intent(suggest(RECORDS))[intent]

    parsed = parse_text(f"locale es\nintent {intent}\n{suggestion.render()}")

    assert parsed.intents[0].name == intent
    assert len(parsed.intents[0].examples) == len(suggestion.messages)


def test_the_suggested_lines_recognize_the_messages_that_motivated_them(tmp_path: Path) -> None:
    add = by_intent(suggest(RECORDS))["add_to_basket"]
    base = PATTERNS_ES.split("intent add_to_basket")[0]
    root = tmp_path / "patterns"
    (root / "es").mkdir(parents=True)
    (root / "es" / "all.intents").write_text(
        f"{base}intent add_to_basket\n{add.render()}", encoding="utf-8"
    )

    report = check_engine(load_patterns(root))

    problems = [f for f in report.failures if "intents without patterns" not in f.message]
    assert problems == []
    assert report.locales[0].examples == 3


def test_the_command_prints_the_suggestions_with_their_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ai-answers.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    path.write_text("\n".join([*lines, "not json", '{"no": "text"}']) + "\n", encoding="utf-8")

    code = patterns_main(["suggest", "--records", str(path), "--min-count", "2"])

    out = capsys.readouterr().out
    assert code == 0
    assert "# locale es, intent add_to_basket: 3 messages, 4 AI answers" in out
    assert "'mete 3 cargadores en la bolsa'" in out
    assert "match mete [{quantity}] {product} en la (cesta | bolsa)" in out
    assert "# 2 intents, 5 messages" in out


def test_the_command_names_the_missing_records_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = patterns_main(["suggest", "--records", str(tmp_path / "none.jsonl")])

    assert code == 2
    assert "none.jsonl does not exist" in capsys.readouterr().err
