from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from engine import IntentEngine
from engine._cli import classify_stream, intent_main, patterns_main
from tests.engine.conftest import MINI_EN, MINI_ES


def _classify(engine: IntentEngine, lines: list[str], locale: str | None = None) -> list[dict]:
    out = io.StringIO()
    classify_stream(lines, out, lambda t, loc: engine.recognize(t, loc), locale)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_classify_writes_one_contract_record_per_line_in_order(mini: IntentEngine) -> None:
    records = _classify(
        mini,
        [
            '{"text": "agrega 2 iphone al carrito", "locale": "es"}\n',
            '{"text": "checkout"}\n',
            '{"text": "el tiempo esta bonito hoy", "locale": "es"}\n',
        ],
        locale="en",
    )
    first, second, third = records
    assert first["intent"] == "add_to_basket"
    assert first["slots"] == {"quantity": 2, "product": "iphone"}
    assert (first["source"], first["score"], first["locale"]) == ("pattern", 1.0, "es")
    assert first["rule"] == "patterns/es/all.intents:28"
    assert isinstance(first["micros"], float)
    assert (second["intent"], second["locale"]) == ("get_payment_link", "en")
    assert (third["intent"], third["source"], third["rule"]) == ("unknown", "none", None)


def test_a_line_that_is_not_json_yields_an_error_and_the_run_goes_on(mini: IntentEngine) -> None:
    records = _classify(mini, ["{oops\n", '{"text": 5}\n', '{"text": "gracias", "locale": "es"}\n'])
    assert records[0]["line"] == 1 and records[0]["error"].startswith("invalid JSON")
    assert records[1] == {"error": 'the object has no string field "text"', "line": 2}
    assert records[2]["intent"] == "thanks"


def test_an_unknown_locale_on_a_line_names_the_supported_ones(mini: IntentEngine) -> None:
    (record,) = _classify(mini, ['{"text": "hola", "locale": "pt"}\n'])
    assert record["line"] == 1 and "supported locales are en, es" in record["error"]


def test_two_requests_are_listed_after_the_first(mini: IntentEngine) -> None:
    (record,) = _classify(mini, ['{"text": "busco fundas y luego quiero pagar", "locale": "es"}\n'])
    assert record["intent"] == "search_products"
    assert [i["intent"] for i in record["intents"]] == ["search_products", "get_payment_link"]


def test_the_classify_command_reads_stdin_and_writes_stdout(
    write_patterns: Callable[..., Path],
) -> None:
    root = write_patterns({"es/all.intents": MINI_ES, "en/all.intents": MINI_EN})
    done = subprocess.run(
        [sys.executable, "-m", "shopmcp", "classify", "--locale", "es", "--no-ai"],
        input='{"text": "quiero pagar"}\nnope\n{"text": "hi", "locale": "en"}\n',
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SHOPMCP_PATTERNS": str(root)},
        check=True,
    )
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r.get("intent", r.get("error", "")[:7]) for r in records] == [
        "get_payment_link",
        "invalid",
        "greet",
    ]


def test_intent_explains_the_rule_the_slots_and_the_time(
    mini: IntentEngine, write_patterns: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_patterns({"es/all.intents": MINI_ES})
    code = intent_main(["agerga 2 iphone al carrito", "--locale", "es", "--patterns", str(root)])
    out = capsys.readouterr().out
    assert code == 0
    assert "add_to_basket" in out and "fuzzy" in out
    assert 'product = "iphone"  ("iphone" at 9:15)' in out
    assert "'agerga' → 'agrega'" in out and "µs" in out


def test_patterns_check_passes_a_consistent_set_and_fails_a_wrong_example(
    write_patterns: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    good = "locale en\nintent greet\n  match hello\n  example hello\n"
    root = write_patterns({"en/social.intents": good})
    assert patterns_main(["check", str(root)]) == 1  # contract: the other intents are missing
    assert "intents without patterns" in capsys.readouterr().out
    (root / "en" / "social.intents").write_text(good + "  example goodbye\n", encoding="utf-8")
    assert patterns_main(["check", str(root)]) == 1
    assert "example 'goodbye': expected greet, got no match" in capsys.readouterr().out


@pytest.mark.slow
def test_patterns_watch_answers_typed_messages_and_picks_up_a_save(
    write_patterns: Callable[..., Path],
) -> None:
    root = write_patterns({"en/social.intents": "locale en\nintent greet\n  match hello\n"})
    process = subprocess.Popen(
        [sys.executable, "-m", "shopmcp", "patterns", "watch", str(root), "--locale", "en"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        assert "watching" in process.stdout.readline()
        process.stdin.write("hello\n")
        process.stdin.flush()
        lines = [process.stdout.readline() for _ in range(3)]
        assert any("greet" in line for line in lines), lines
        (root / "en" / "social.intents").write_text(
            "locale en\nintent greet\n  match hello | howdy\n", encoding="utf-8"
        )
        for _ in range(40):  # the watcher prints a line when the save is live
            if "patterns reloaded" in process.stdout.readline():
                break
        else:
            raise AssertionError("no reload reported")
        process.stdin.write("howdy\n")
        process.stdin.flush()
        lines = [process.stdout.readline() for _ in range(3)]
        assert any("greet" in line for line in lines), lines
    finally:
        process.stdin.close()
        process.wait(timeout=20)
        process.stdout.close()
