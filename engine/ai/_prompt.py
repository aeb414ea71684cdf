"""What a provider is asked: the message, its locale, recent turns and the contract's intents.

The answer's shape is one JSON schema, given to Claude as a forced tool's `input_schema` and to Groq
as a forced function's `parameters`. The schema is deliberately loose about slot values (a model
follows an enum of intents well, a union of per-intent slot objects poorly); the contract is
enforced afterwards by `_validate.py`, which is the only judge of an answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine._compile import BUILTIN_TYPES, CompiledLocale
from engine._result import Result
from engine.contract import INTENTS, LIST_VALUES

__all__ = ["TOOL_NAME", "Question", "answer_schema", "build_question", "candidate_intents"]

TOOL_NAME = "classify_message"
HISTORY_TURNS = 6
"""Recent turns sent with a message: enough for "the second one" or "yes", cheap in tokens."""
MAX_LIST_VALUES = 40
"""Longer lists (brands) are cut in the prompt; the validator still checks the whole list."""

_SYSTEM = """\
You classify one message a shopper (or a shop admin) sent to an online shop's chat. \
Pick exactly one intent from the candidates and fill only the slots the message states. \
Slot types: text = the words the shopper wrote for it, copied as written; \
number and ordinal = JSON integers (ordinal -1 means "the last one"); \
money = {"amount": integer in minor units (cents), "currency": ISO 4217 code}; \
a list type = exactly one of the canonical values listed for it. \
Leave out slots the message does not state. If no candidate fits, answer intent "unknown" with no \
slots. confidence is your probability (0 to 1) that the intent is right. \
Always answer by calling the tool."""


@dataclass(frozen=True, slots=True)
class Question:
    """One request to a provider, independent of its wire format."""

    system: str
    user: str
    schema: dict[str, Any]
    intents: tuple[str, ...]
    """The candidates, in the order the prompt lists them."""


def candidate_intents(result: Result) -> tuple[str, ...]:
    """Every contract intent; for an ambiguous result the tied candidates come first."""
    tied = [m.intent for m in result.matches if result.status == "ambiguous"]
    rest = [name for name in INTENTS if name != "unknown" and name not in tied]
    return (*dict.fromkeys(tied), *rest, "unknown")


def answer_schema(intents: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "intent": {"type": "string", "enum": list(intents)},
            "slots": {
                "type": "object",
                "description": "slot name to value, only slots of the chosen intent",
                "additionalProperties": True,
            },
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        },
        "required": ["intent", "slots", "confidence"],
        "additionalProperties": False,
    }


def _list_values(compiled: CompiledLocale | None, list_name: str) -> list[str]:
    if compiled is not None and list_name in compiled.lists:
        values = sorted({str(v) for v in compiled.lists[list_name].values.values()})
    else:
        values = sorted(LIST_VALUES.get(list_name, ()))
    return values[:MAX_LIST_VALUES]


def _turns(history: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    turns = []
    for turn in (history or [])[-HISTORY_TURNS:]:
        kept = {k: turn[k] for k in ("role", "text", "intent", "slots") if k in turn}
        if kept.get("text"):
            turns.append(kept)
    return turns


def build_question(
    result: Result,
    history: Sequence[Mapping[str, Any]] | None,
    compiled: CompiledLocale | None,
) -> Question:
    """The prompt for `result`'s message; `compiled` supplies the locale's list values."""
    intents = candidate_intents(result)
    list_types: set[str] = set()
    candidates = []
    for name in intents:
        slots = INTENTS.get(name, {})
        candidates.append({"intent": name, "slots": slots})
        list_types.update(t for t in slots.values() if t not in BUILTIN_TYPES)
    payload: dict[str, Any] = {
        "message": result.text,
        "locale": result.locale,
        "recent_turns": _turns(history),
        "candidates": candidates,
        "list_values": {t: _list_values(compiled, t) for t in sorted(list_types)},
    }
    if result.status == "ambiguous":
        payload["note"] = "the shop's patterns matched the first candidates equally well"
    user = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Question(_SYSTEM, user, answer_schema(intents), intents)
