"""A provider's answer, held to the intent contract before anything acts on it.

`validate_answer` is the only way a raw answer becomes an `AIAnswer`: an intent outside
engine.contract, a slot the intent does not have, or a value of the wrong type raises
InvalidAnswerError naming the value and what would have been accepted. `locate_slots` then finds
the words of the message each value came from, so AI matches carry spans like pattern matches do
and `patterns suggest` can turn those words into `{slot}` references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from engine._compile import CompiledLocale
from engine._normalize import fold_text, tokenize
from engine._slots import parse_amount
from engine.ai.errors import InvalidAnswerError
from engine.contract import INTENTS, LIST_VALUES

__all__ = ["AIAnswer", "locate_slots", "validate_answer"]

MAX_TEXT_SLOT_CHARS = 200
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class AIAnswer:
    """A validated answer: an intent of the contract and slot values of the right types."""

    intent: str
    slots: dict[str, object]
    confidence: float
    provider: str
    model: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Slot name to its character span in the message, for the slots that could be found."""

    def to_json(self) -> dict[str, Any]:
        return {
            "intent": self.intent,
            "slots": self.slots,
            "confidence": self.confidence,
            "provider": self.provider,
            "model": self.model,
            "spans": {k: list(v) for k, v in self.spans.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AIAnswer:
        return cls(
            intent=data["intent"],
            slots=dict(data["slots"]),
            confidence=float(data["confidence"]),
            provider=data["provider"],
            model=data["model"],
            spans={k: (int(v[0]), int(v[1])) for k, v in data.get("spans", {}).items()},
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _canonical_values(compiled: CompiledLocale | None, list_name: str) -> set[object]:
    if compiled is not None and list_name in compiled.lists:
        return set(compiled.lists[list_name].values.values())
    return set(LIST_VALUES.get(list_name, ()))


def _slot_value(
    provider: str,
    intent: str,
    name: str,
    type_: str,
    value: object,
    compiled: CompiledLocale | None,
) -> object:
    def bad(expected: str) -> InvalidAnswerError:
        return InvalidAnswerError(
            provider,
            f"slot '{name}' of intent '{intent}' is {value!r}, but its type '{type_}' needs "
            f"{expected}",
        )

    if type_ in ("number", "ordinal"):
        if not _is_int(value):
            raise bad("a JSON integer")
        if type_ == "number" and value < 0:  # type: ignore[operator]
            raise bad("an integer of at least 0")
        return value
    if type_ == "money":
        if not (
            isinstance(value, dict)
            and set(value) == {"amount", "currency"}
            and _is_int(value["amount"])
            and value["amount"] >= 0
            and isinstance(value["currency"], str)
            and _CURRENCY.fullmatch(value["currency"])
        ):
            raise bad('{"amount": integer minor units, "currency": 3 capital letters}')
        return {"amount": value["amount"], "currency": value["currency"]}
    if not isinstance(value, str) or not value.strip():
        raise bad("a non-empty string")
    text = value.strip()
    if type_ == "text":
        if len(text) > MAX_TEXT_SLOT_CHARS:
            raise bad(f"at most {MAX_TEXT_SLOT_CHARS} characters")
        return text
    if type_ == "email":
        if not _EMAIL.fullmatch(text):
            raise bad("an e-mail address")
        return text.lower()
    if type_ == "phone":
        digits = "".join(c for c in text if c.isdigit())
        if not 8 <= len(digits) <= 15 or re.search(r"[^\d\s()+./-]", text):
            raise bad("a phone number of 8 to 15 digits")
        return ("+" if text.startswith("+") else "") + digits
    allowed = _canonical_values(compiled, type_)
    if text not in allowed:
        shown = ", ".join(sorted(str(v) for v in allowed)[:12]) or "(the locale defines none)"
        raise bad(f"one of the canonical values of list '{type_}': {shown}")
    return text


def validate_answer(
    raw: object,
    *,
    provider: str,
    model: str,
    compiled: CompiledLocale | None,
    intents: tuple[str, ...] | None = None,
) -> AIAnswer:
    """Check a raw answer {intent, slots, confidence} against the contract; raise if it fails."""
    if not isinstance(raw, dict):
        raise InvalidAnswerError(provider, f"the answer is {type(raw).__name__}, not an object")
    missing = [k for k in ("intent", "slots", "confidence") if k not in raw]
    if missing:
        raise InvalidAnswerError(provider, f"the answer has no {', '.join(missing)}: {raw!r}")
    intent, slots, confidence = raw["intent"], raw["slots"], raw["confidence"]
    allowed = intents if intents is not None else tuple(INTENTS)
    if not isinstance(intent, str) or intent not in INTENTS or intent not in allowed:
        raise InvalidAnswerError(
            provider,
            f"intent {intent!r} is not in the contract; the intents are in engine.contract",
        )
    if not isinstance(slots, dict):
        raise InvalidAnswerError(provider, f"slots is {slots!r}, not an object")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise InvalidAnswerError(provider, f"confidence {confidence!r} is not a number")
    if not 0.0 <= float(confidence) <= 1.0:
        raise InvalidAnswerError(provider, f"confidence {confidence!r} is outside 0..1")
    types = INTENTS[intent]
    values: dict[str, object] = {}
    for name, value in slots.items():
        if value is None:
            continue  # models often spell "not stated" as null
        if name not in types:
            expected = ", ".join(types) or "none"
            raise InvalidAnswerError(
                provider, f"intent '{intent}' has no slot '{name}'; its slots: {expected}"
            )
        values[name] = _slot_value(provider, intent, name, types[name], value, compiled)
    return AIAnswer(intent, values, float(confidence), provider, model)


def _phrases(value: object, type_: str, compiled: CompiledLocale | None) -> list[tuple[str, ...]]:
    """Word sequences (normalized) that may have written `value` in a message, longest first."""
    found: list[str] = []
    if type_ == "money" and isinstance(value, dict):
        return []  # found by amount below
    if type_ in ("text", "email", "phone"):
        found.append(fold_text(str(value)))
    else:
        found.append(str(value))
        if compiled is not None and type_ in compiled.lists:
            found.extend(k for k, v in compiled.lists[type_].values.items() if v == value)
    phrases = {tuple(p.split()) for p in found if p}
    return sorted(phrases, key=len, reverse=True)


def locate_slots(
    text: str, slots: dict[str, object], types: dict[str, str], compiled: CompiledLocale | None
) -> dict[str, tuple[int, int]]:
    """Slot name to the span of the message words that say its value, when they can be found."""
    tokens = tokenize(text)
    words = tokens.words
    taken: set[int] = set()
    spans: dict[str, tuple[int, int]] = {}

    def claim(i: int, j: int) -> tuple[int, int]:
        taken.update(range(i, j))
        return tokens.starts[i], tokens.ends[j - 1]

    for name, value in slots.items():
        type_ = types.get(name, "text")
        if type_ == "money" and isinstance(value, dict):
            span = _locate_money(tokens.words, value, compiled, taken)
            if span is not None:
                spans[name] = claim(*span)
            continue
        for phrase in _phrases(value, type_, compiled):
            n = len(phrase)
            hit = next(
                (
                    i
                    for i in range(len(words) - n + 1)
                    if tuple(words[i : i + n]) == phrase and not taken.intersection(range(i, i + n))
                ),
                None,
            )
            if hit is None and type_ == "ordinal" and n == 1:
                hit = next(
                    (
                        i
                        for i, w in enumerate(words)
                        if i not in taken and re.fullmatch(rf"{value}(?:[^\d].*|\.)?", w)
                    ),
                    None,
                )
            if hit is not None:
                spans[name] = claim(hit, hit + n)
                break
    return spans


def _locate_money(
    words: list[str], value: dict[str, Any], compiled: CompiledLocale | None, taken: set[int]
) -> tuple[int, int] | None:
    currency = str(value.get("currency", ""))
    for i, w in enumerate(words):
        if i in taken or not w[:1].isdigit():
            continue
        try:
            amount = parse_amount(w, currency)
        except ValueError:
            continue
        if amount != value.get("amount"):
            continue
        start, end = i, i + 1
        table = compiled.lists.get("currency") if compiled is not None else None
        if table is not None:
            if end < len(words) and end not in taken and table.values.get(words[end]) == currency:
                end += 1
            elif (
                start > 0
                and start - 1 not in taken
                and table.values.get(words[start - 1]) == currency
            ):
                start -= 1
        return start, end
    return None
