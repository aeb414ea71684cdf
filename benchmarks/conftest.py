"""Corpora for the engine benchmarks, built from the pattern set itself.

exact:   the pattern files' own examples that match without correction
fuzzy:   those examples with one deterministic typo (two letters swapped in a known word) that
         the fuzzy stage repairs to the same intent
nomatch: counter-examples that match nothing (in-domain words, no pattern)
chatter: out-of-domain messages (tests/data/chatter.<locale>.txt)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from engine import IntentEngine, load_patterns
from shopmcp.settings import PROJECT_ROOT, Settings
from tests import redis_server

CHATTER_DIR = PROJECT_ROOT / "tests" / "data"
_RESULTS: list[tuple[str, float, float, int]] = []
_NOTES: list[str] = []


def _typo(text: str, engine: IntentEngine, locale: str) -> str | None:
    vocabulary = engine.compiled(locale).vocabulary
    words = text.split(" ")
    for i, word in sorted(enumerate(words), key=lambda p: -len(p[1])):
        if len(word) >= 6 and word.isalpha() and word.lower() in vocabulary:
            j = len(word) // 2
            swapped = word[: j - 1] + word[j] + word[j - 1] + word[j + 1 :]
            if swapped != word:
                return " ".join([*words[:i], swapped, *words[i + 1 :]])
    return None


@pytest.fixture(scope="session")
def engine() -> IntentEngine:
    engine = load_patterns(Settings.from_env().patterns_dir)
    engine.compile_all()  # as the intent server does in the background when it starts
    return engine


@pytest.fixture(scope="session")
def corpora(engine: IntentEngine) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for locale in engine.locales:
        compiled = engine.compiled(locale)
        exact, fuzzy, nomatch = [], [], []
        for intent in compiled.intents.values():
            for example in intent.examples:
                result = engine.recognize(example.text, locale)
                if result.status == "matched" and result.matches[0].source == "pattern":
                    exact.append(example.text)
                    typo = _typo(example.text, engine, locale)
                    if typo:
                        fixed = engine.recognize(typo, locale)
                        if fixed.intent == result.intent and fixed.matches[0].source == "fuzzy":
                            fuzzy.append(typo)
            for counter in intent.counter_examples:
                if engine.recognize(counter.text, locale).status == "none":
                    nomatch.append(counter.text)
        chatter_file = CHATTER_DIR / f"chatter.{locale}.txt"
        chatter = (
            chatter_file.read_text(encoding="utf-8").splitlines() if chatter_file.exists() else []
        )
        out[(locale, "exact")] = exact
        out[(locale, "fuzzy")] = fuzzy
        out[(locale, "nomatch")] = nomatch
        out[(locale, "chatter")] = chatter
    return out


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the Redis that `start_server` (tests/e2e) started for the load benchmarks, if any."""
    redis_server.stop_session_redis()


def cycle(messages: list[str]) -> Iterator[str]:
    return itertools.cycle(messages)


def record(name: str, samples: list[float]) -> tuple[float, float]:
    """Median and p99 in microseconds of per-message samples (seconds)."""
    ordered = sorted(samples)
    median = ordered[len(ordered) // 2] * 1e6
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e6
    _RESULTS.append((name, median, p99, len(ordered)))
    return median, p99


def note(line: str) -> None:
    """A line for the summary that is not a latency (throughput, memory)."""
    _NOTES.append(line)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    if not _RESULTS:
        return
    tr = terminalreporter
    tr.section("per-message latency (µs): median and p99")
    width = max(len(r[0]) for r in _RESULTS)
    tr.write_line(f"{'benchmark'.ljust(width)}  {'median':>9}  {'p99':>9}  {'calls':>6}")
    for name, median, p99, n in _RESULTS:
        tr.write_line(f"{name.ljust(width)}  {median:9.1f}  {p99:9.1f}  {n:6d}")
    for line in _NOTES:
        tr.write_line(line)
