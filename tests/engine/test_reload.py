from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine import IntentEngine, LiveEngine, PatternError

V1 = "locale en\nintent greet\n  match hello\n"
V2 = "locale en\nintent greet\n  match hello | howdy\n"
BROKEN = "locale en\nintent greet\n  match hello [howdy\n"


@pytest.fixture
def live(write_patterns: Callable[..., Path]) -> Iterator[LiveEngine]:
    engine = LiveEngine(write_patterns({"en/social.intents": V1}))
    engine.start()
    yield engine
    engine.stop()


def _next_reload(live: LiveEngine) -> Callable[[], list[PatternError]]:
    done = threading.Event()
    seen: list[PatternError] = []

    def listener(_engine: IntentEngine, errors: list[PatternError]) -> None:
        seen[:] = errors
        done.set()

    live.on_reload(listener)

    def wait() -> list[PatternError]:
        # a save must be live in under a second; allow slack for a loaded CI machine
        assert done.wait(timeout=5), "the save was not picked up"
        return seen

    return wait


def test_a_saved_file_is_live_without_a_restart(live: LiveEngine) -> None:
    assert live.engine.recognize("howdy", "en").intent == "unknown"
    wait = _next_reload(live)
    (live.root / "en" / "social.intents").write_text(V2, encoding="utf-8")
    assert wait() == []
    assert live.engine.recognize("howdy", "en").intent == "greet"


def test_a_broken_save_keeps_the_old_patterns_serving_and_reports_the_spot(
    live: LiveEngine,
) -> None:
    wait = _next_reload(live)
    (live.root / "en" / "social.intents").write_text(BROKEN, encoding="utf-8")
    errors = wait()
    assert len(errors) == 1
    assert "en/social.intents:3:" in str(errors[0]) and "']'" in str(errors[0])
    assert live.engine.recognize("hello", "en").intent == "greet"
    assert live.errors == errors


def test_a_new_file_in_a_new_locale_is_picked_up(live: LiveEngine) -> None:
    wait = _next_reload(live)
    (live.root / "es").mkdir()
    (live.root / "es" / "social.intents").write_text(
        "locale es\nintent greet\n  match hola\n", encoding="utf-8"
    )
    assert wait() == []
    assert live.engine.recognize("hola", "es").intent == "greet"


def test_the_engine_swap_is_a_whole_new_engine(live: LiveEngine) -> None:
    before = live.engine
    (live.root / "en" / "social.intents").write_text(V2, encoding="utf-8")
    live.reload()
    assert live.engine is not before
    assert before.recognize("howdy", "en").intent == "unknown"  # readers of the old one are safe
    assert live.engine.version != before.version
