"""The record of AI-answered messages: one JSON object a line in `<data_dir>/ai-answers.jsonl`.

Every message the fallback answers is appended, cache hits included (marked `"cached": true`), so
the file counts how often each unmatched phrasing really occurs; `patterns suggest` reads it and
proposes the patterns that would have answered those messages without a call. A line looks like:

    {"timestamp": "2025-05-01T10:00:00+00:00", "text": "mete dos fundas en la cesta",
     "locale": "es", "intent": "add_to_basket", "slots": {"quantity": 2, "product": "fundas"},
     "spans": {"quantity": [5, 8], "product": [9, 15]}, "confidence": 0.93,
     "provider": "anthropic", "model": "claude-haiku-4-5", "cached": false}
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.ai._answer import AIAnswer

__all__ = ["RECORDS_FILE", "AnswerLog", "read_records"]

RECORDS_FILE = "ai-answers.jsonl"
logger = logging.getLogger(__name__)


class AnswerLog:
    """Appends one line per AI-answered message. Thread-safe; a write error is logged, not raised."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, text: str, locale: str, answer: AIAnswer, *, cached: bool) -> None:
        line = {
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "text": text,
            "locale": locale,
            "intent": answer.intent,
            "slots": answer.slots,
            "spans": {k: list(v) for k, v in answer.spans.items()},
            "confidence": answer.confidence,
            "provider": answer.provider,
            "model": answer.model,
            "cached": cached,
        }
        data = json.dumps(line, ensure_ascii=False) + "\n"
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as f:
                    f.write(data)
            except OSError as exc:
                logger.warning("could not record the AI answer in %s: %s", self.path, exc)


def read_records(path: Path | str) -> Iterator[dict[str, Any]]:
    """The usable records of a file, in order; lines that are not record objects are skipped."""
    with Path(path).open(encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError:
                logger.warning("%s:%d is not JSON; skipped", path, number)
                continue
            if (
                isinstance(item, dict)
                and isinstance(item.get("text"), str)
                and isinstance(item.get("locale"), str)
                and isinstance(item.get("intent"), str)
                and isinstance(item.get("slots", {}), dict)
            ):
                yield item
            else:
                logger.warning("%s:%d is not an AI answer record; skipped", path, number)
