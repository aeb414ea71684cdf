"""`shopmcp patterns suggest`: turn what the AI answered into patterns an author can review.

Records (`ai-answers.jsonl`) are grouped by locale and intent and deduplicated by normalized text.
Each message becomes a template: its normalized words, with the words that gave a slot its value
replaced by `{slot}` (declared on a `slots` line with the contract's types). Templates that differ in one word merge into an alternative
(`(cesta | bolsa)`), templates that differ by one extra word into an optional one (`[el]`), until
nothing merges; each survivor is a `match` line. Every message also becomes an `example` line with
the slots the AI found, so `shopmcp patterns check` proves the new lines answer it. Nothing is
written to the pattern files: the output is a proposal, printed with the messages behind it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine._normalize import fold_text, tokenize
from engine._slots import MINOR_UNITS
from engine.ai._records import RECORDS_FILE, read_records
from engine.contract import INTENTS

__all__ = ["Suggestion", "suggest", "suggest_main"]

_PLAIN_WORD = re.compile(r'[^\s\[\](){}<>|;=,#"&]+')
_BARE_VALUE = re.compile(r'[^\s,&"#]+')


@dataclass(frozen=True, slots=True)
class _Item:
    """One position of a template: literal words (alternatives) or a slot; maybe optional."""

    words: tuple[str, ...]
    slot: str | None = None
    optional: bool = False

    def render(self) -> str:
        if self.slot is not None:
            body = self.slot
            return f"[{body}]" if self.optional else body
        alternatives = " | ".join(_word(w) for w in self.words)
        if self.optional:
            return f"[{alternatives}]"
        return f"({alternatives})" if len(self.words) > 1 else alternatives


@dataclass(slots=True)
class _Message:
    text: str
    count: int
    slots: dict[str, object]
    spans: dict[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The proposed lines for one intent of one locale, and the messages that motivated them."""

    locale: str
    intent: str
    answers: int
    """AI answers behind it, repeats included."""
    messages: tuple[tuple[str, int], ...]
    """Distinct messages (as first written) and how often each was answered."""
    lines: tuple[str, ...]
    """`slots`, `match` and `example` lines, to paste under `intent <intent>` (a `slots` line
    repeating the intent's declaration is harmless: the types are the contract's)."""
    notes: tuple[str, ...] = field(default=())

    def render(self) -> str:
        out = [
            f"# locale {self.locale}, intent {self.intent}: {len(self.messages)} messages, "
            f"{self.answers} AI answers"
        ]
        out += [f"#   {count:>4} × {text!r}" for text, count in self.messages]
        out += [f"#   note: {note}" for note in self.notes]
        out += [f"  {line}" for line in self.lines]
        return "\n".join(out) + "\n"


def _word(word: str) -> str:
    if _PLAIN_WORD.fullmatch(word) and word != "->":
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _template(message: _Message, types: dict[str, str]) -> tuple[list[_Item], list[str]]:
    tokens = tokenize(message.text)
    slot_at: dict[int, str] = {}
    inside: set[int] = set()
    missing = []
    for name in message.slots:
        start, end = message.spans.get(name, (0, 0))
        covered = [
            i
            for i in range(len(tokens.words))
            if tokens.starts[i] >= start and tokens.ends[i] <= end
        ]
        if end <= start or not covered:
            missing.append(name)
            continue
        slot_at[covered[0]] = f"{{{name}}}"
        inside.update(covered)
    items = []
    for i, word in enumerate(tokens.words):
        if i in slot_at:
            items.append(_Item((), slot_at[i]))
        elif i not in inside:
            items.append(_Item((word,)))
    return items, missing


def _union(x: _Item, y: _Item) -> _Item | None:
    """One item matching what either matches; None for a slot against a word or another slot."""
    if x.slot != y.slot:
        return None
    return _Item(tuple(dict.fromkeys(x.words + y.words)), x.slot, x.optional or y.optional)


def _merge_pair(a: list[_Item], b: list[_Item]) -> list[_Item] | None:
    """One template covering both, when they differ in one word or by one extra item.

    Positions where one template's words already include the other's do not count as a
    difference, so "mete {product} en la bolsa" folds into "mete {q} {product} en la (cesta |
    bolsa)".
    """

    def differs(x: _Item, y: _Item) -> bool:
        return not (set(x.words) <= set(y.words) or set(y.words) <= set(x.words))

    def zipped(xs: list[_Item], ys: list[_Item]) -> list[_Item] | None:
        merged = [_union(x, y) for x, y in zip(xs, ys, strict=True)]
        return None if any(m is None for m in merged) else merged  # type: ignore[return-value]

    if len(a) == len(b):
        merged = zipped(a, b)
        if merged is None or sum(differs(x, y) for x, y in zip(a, b, strict=True)) > 1:
            return None
        return merged
    if abs(len(a) - len(b)) != 1:
        return None
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long)):
        rest = long[:i] + long[i + 1 :]
        merged = zipped(rest, short)
        if merged is not None and not any(differs(x, y) for x, y in zip(rest, short, strict=True)):
            extra = long[i]
            return [*merged[:i], _Item(extra.words, extra.slot, True), *merged[i:]]
    return None


def _generalize(templates: list[list[_Item]]) -> list[list[_Item]]:
    found: list[list[_Item]] = []
    for t in templates:
        if t not in found:
            found.append(t)
    merged = True
    while merged:
        merged = False
        for i in range(len(found)):
            for j in range(i + 1, len(found)):
                both = _merge_pair(found[i], found[j])
                if both is not None:
                    found[i] = both
                    del found[j]
                    merged = True
                    break
            if merged:
                break
    return found


def _value(type_: str, value: object, written: str | None) -> str:
    if type_ in ("number", "ordinal") and isinstance(value, int):
        return str(value)
    if type_ == "money" and isinstance(value, dict):
        currency = str(value["currency"])
        digits = MINOR_UNITS.get(currency, 2)
        whole, fraction = divmod(int(value["amount"]), 10**digits)
        text = f"{whole}.{fraction:0{digits}d}".rstrip("0").rstrip(".") if digits else str(whole)
        return f"{text} {currency}"
    shown = written if type_ == "text" and written else str(value)
    if type_ not in ("text", "email", "phone") and _BARE_VALUE.fullmatch(shown):
        return shown
    return '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _example(message: _Message, types: dict[str, str]) -> str | None:
    sentence = " ".join(message.text.split())
    if not sentence or sentence.startswith("#") or re.search(r"\s(->|#(\s|$))", sentence):
        return None  # the DSL would read part of it as an arrow or a comment
    parts = []
    for name, value in message.slots.items():
        start, end = message.spans.get(name, (0, 0))
        written = message.text[start:end] if end > start else None
        parts.append(f"{name} = {_value(types.get(name, 'text'), value, written)}")
    return f"example {sentence}" + (f" -> {', '.join(parts)}" if parts else "")


def _spans(record: dict[str, Any]) -> dict[str, tuple[int, int]]:
    out = {}
    for name, span in (record.get("spans") or {}).items():
        if (
            isinstance(span, list | tuple)
            and len(span) == 2
            and all(isinstance(x, int) for x in span)
        ):
            out[name] = (span[0], span[1])
    return out


def suggest(records: Iterable[dict[str, Any]], *, min_count: int = 1) -> list[Suggestion]:
    """Proposals per locale and intent, for groups with at least `min_count` AI answers."""
    groups: dict[tuple[str, str], dict[str, _Message]] = {}
    for record in records:
        intent = record["intent"]
        if intent not in INTENTS or intent == "unknown":
            continue
        messages = groups.setdefault((record["locale"], intent), {})
        key = fold_text(record["text"])
        if not key:
            continue
        if key in messages:
            messages[key].count += 1
        else:
            messages[key] = _Message(record["text"], 1, dict(record["slots"]), _spans(record))
    suggestions = []
    for (locale, intent), messages in sorted(groups.items()):
        answers = sum(m.count for m in messages.values())
        if answers < min_count:
            continue
        types = INTENTS[intent]
        notes: list[str] = []
        templates = []
        for m in messages.values():
            items, missing = _template(m, types)
            if missing:
                notes.append(
                    f"{m.text!r}: the words of {', '.join(missing)} were not found; "
                    "its example needs a pattern written by hand"
                )
                continue
            templates.append(items)
        used = [name for name in types if any(name in m.slots for m in messages.values())]
        lines = [f"slots {', '.join(f'{n}: {types[n]}' for n in used)}"] if used else []
        for template in _generalize(templates):
            if not any(i.slot is None and not i.optional for i in template):
                shown = " ".join(i.render() for i in template)
                notes.append(f"'{shown}' has no literal word left; a pattern needs one")
                continue
            lines.append("match " + " ".join(i.render() for i in template))
        for m in messages.values():
            example = _example(m, types)
            if example is None:
                notes.append(f"{m.text!r} cannot be written as an example line")
            else:
                lines.append(example)
        suggestions.append(
            Suggestion(
                locale,
                intent,
                answers,
                tuple((m.text, m.count) for m in messages.values()),
                tuple(lines),
                tuple(notes),
            )
        )
    return suggestions


def suggest_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="shopmcp patterns suggest",
        description="Propose pattern lines from the messages the AI fallback answered.",
    )
    parser.add_argument(
        "--records",
        type=Path,
        default=None,
        help=f"records file (default: <data_dir>/{RECORDS_FILE})",
    )
    parser.add_argument(
        "--min-count", type=int, default=1, help="only intents with at least N AI answers"
    )
    args = parser.parse_args(argv)
    path = args.records
    if path is None:
        from shopmcp.settings import Settings

        path = Settings.from_env().data_dir / RECORDS_FILE
    if not path.is_file():
        print(
            f"shopmcp patterns suggest: {path} does not exist; the AI fallback writes it when it "
            "answers (set ANTHROPIC_API_KEY or GROQ_API_KEY), or pass --records FILE",
            file=sys.stderr,
        )
        return 2
    suggestions = suggest(read_records(path), min_count=args.min_count)
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    for s in suggestions:
        print(s.render())
    total = sum(len(s.messages) for s in suggestions)
    print(f"# {len(suggestions)} intents, {total} messages; review before pasting into patterns/")
    return 0
