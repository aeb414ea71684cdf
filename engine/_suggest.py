"""Closest intents and example phrasings for a message no pattern matched ("did you mean").

The pattern files' own examples are the phrasings: rapidfuzz ranks them against the normalized
message, and each intent is represented by its closest examples.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from engine._engine import IntentEngine
from engine._normalize import fold_text

__all__ = ["Suggestion", "suggest"]


@dataclass(frozen=True, slots=True)
class Suggestion:
    intent: str
    score: float
    """0 to 1: how close the message is to the intent's closest example."""
    examples: tuple[str, ...]


def _examples(engine: IntentEngine, locale: str) -> tuple[list[str], list[tuple[str, str]]]:
    compiled = engine.compiled(locale)
    if compiled.suggestion_index is None:
        folded: list[str] = []
        items: list[tuple[str, str]] = []
        for name, intent in compiled.intents.items():
            for example in intent.examples:
                if len(example.expected) == 1:
                    folded.append(fold_text(example.text))
                    items.append((name, example.text))
        compiled.suggestion_index = (folded, items)
    return compiled.suggestion_index


def suggest(engine: IntentEngine, message: str, locale: str, limit: int = 3) -> list[Suggestion]:
    """Up to `limit` intents closest to the message, best first, with two examples each."""
    folded, items = _examples(engine, locale)
    if not folded:
        return []
    ranked = process.extract(
        fold_text(message), folded, scorer=fuzz.token_set_ratio, limit=limit * 8
    )
    by_intent: dict[str, tuple[float, list[str]]] = {}
    for _, score, index in ranked:
        intent, text = items[index]
        _, examples = by_intent.setdefault(intent, (score / 100, []))
        if len(examples) < 2 and text not in examples:
            examples.append(text)
    ordered = sorted(by_intent.items(), key=lambda kv: -kv[1][0])[:limit]
    return [Suggestion(intent, round(score, 3), tuple(ex)) for intent, (score, ex) in ordered]
