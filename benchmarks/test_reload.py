"""Save to live: how long after a pattern file is saved the running engine answers with it.

The whole real pattern set is copied to a temporary folder with its parse cache (as a running
intent server has it), watched by a LiveEngine, and one file is saved with a new phrasing; the
time runs from the write until the new engine is swapped in (the issue's target: under a second).
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from benchmarks.conftest import note, record
from engine import IntentEngine, LiveEngine, PatternError
from shopmcp.settings import Settings

SAVES = 5
NEW_LINE = "  match zorblax{n} quux\n"


def test_a_saved_pattern_file_is_live(benchmark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "patterns"
    shutil.copytree(Settings.from_env().patterns_dir, root)
    target = root / "en" / "social.intents"
    original = target.read_text(encoding="utf-8")
    assert "\nintent greet\n" in original
    live = LiveEngine(root, cache_dir=tmp_path / "cache")
    live.start()
    swapped = threading.Event()
    errors: list[PatternError] = []

    def listener(_engine: IntentEngine, found: list[PatternError]) -> None:
        errors[:] = found
        swapped.set()

    live.on_reload(listener)
    samples = []
    try:
        for n in range(SAVES if not getattr(benchmark, "disabled", False) else 1):
            swapped.clear()
            edited = original.replace(
                "\nintent greet\n", "\nintent greet\n" + NEW_LINE.format(n=n), 1
            )
            started = time.perf_counter()
            target.write_text(edited, encoding="utf-8")
            assert swapped.wait(timeout=30), "the save was not picked up"
            samples.append(time.perf_counter() - started)
            assert errors == []
            assert live.engine.recognize(f"zorblax{n} quux", "en").intent == "greet"
    finally:
        live.stop()
    median, _ = record("pattern save to live (whole set)", samples)
    note(f"pattern save to live: median {median / 1e3:.0f} ms over {len(samples)} saves")
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
