"""`shopmcp eval intents FILE.jsonl ...`: how well the engine reads messages nobody wrote it for.

Each input line is `{"text", "locale"?, "intent"?, "slots"?}`. A line with an `intent` (which may be
`unknown`) is scored for accuracy; a line without one, or with `"chatter": true`, is off-topic
chatter, scored only for whether a shop intent took it (greetings, thanks and the like are fine).
Lines go through the same recognizer as `shopmcp classify`, so the figures are what an outside
evaluation sees. Scoring is a pure function of (expected, classify record) pairs.

Per locale: accuracy, coverage (in-scope lines that got an intent), precision (answers given that
were right), slot agreement, chatter false-match rate, the same split by `source`, and the most
frequent confusions with an example each.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Judged", "LocaleScore", "evaluate_main", "judge", "render", "score"]

CONVERSATIONAL = frozenset({"greet", "thanks", "goodbye", "help", "affirm", "deny", "human_agent"})
"""Intents that never act on the shop: chatter landing on them is not a false match."""


@dataclass(frozen=True, slots=True)
class Judged:
    """One labelled line and what the engine made of it."""

    text: str
    locale: str
    expected: str | None
    """The labelled intent; None for chatter."""
    predicted: str
    source: str
    slots_expected: Mapping[str, Any] | None = None
    slots_got: Mapping[str, Any] = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.predicted == self.expected

    @property
    def false_match(self) -> bool:
        """Chatter (or a line labelled unknown) that a shop intent took: it would act on the shop."""
        return self.expected in (None, "unknown") and self.predicted not in (
            CONVERSATIONAL | {"unknown"}
        )

    @property
    def slots_agree(self) -> bool | None:
        if not self.slots_expected or not self.correct:
            return None
        return all(
            _same(self.slots_got.get(name), value) for name, value in self.slots_expected.items()
        )


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, str) and isinstance(got, str):
        return got.casefold().strip() == want.casefold().strip()
    return bool(got == want)


@dataclass
class LocaleScore:
    lines: int = 0
    labelled: int = 0
    correct: int = 0
    in_scope: int = 0
    covered: int = 0
    answered: int = 0
    answered_right: int = 0
    chatter: int = 0
    false_matches: int = 0
    slot_checked: int = 0
    slot_agreed: int = 0
    by_source: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], str] = field(default_factory=dict)
    taken_by: Counter[str] = field(default_factory=Counter)
    """The shop intents that took chatter, with an example each in `examples[("chatter", i)]`."""

    def add(self, j: Judged) -> None:
        self.lines += 1
        if j.expected is None or j.expected == "unknown":
            self.chatter += 1
            self.false_matches += j.false_match
            if j.false_match:
                self.taken_by[j.predicted] += 1
                self.examples.setdefault(("chatter", j.predicted), j.text)
        if j.expected is None:
            return
        self.labelled += 1
        self.correct += j.correct
        self.by_source[j.source][0] += 1
        self.by_source[j.source][1] += j.correct
        if j.expected != "unknown":
            self.in_scope += 1
            self.covered += j.predicted != "unknown"
        if j.predicted != "unknown":
            self.answered += 1
            self.answered_right += j.correct
        agree = j.slots_agree
        if agree is not None:
            self.slot_checked += 1
            self.slot_agreed += agree
        if not j.correct:
            pair = (j.expected, j.predicted)
            self.confusions[pair] += 1
            self.examples.setdefault(pair, j.text)

    def figures(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "labelled": self.labelled,
            "accuracy": _ratio(self.correct, self.labelled),
            "coverage": _ratio(self.covered, self.in_scope),
            "precision": _ratio(self.answered_right, self.answered),
            "slot_agreement": _ratio(self.slot_agreed, self.slot_checked),
            "chatter": self.chatter,
            "chatter_false_match": _ratio(self.false_matches, self.chatter),
            "by_source": {
                s: {"lines": n, "accuracy": _ratio(c, n)}
                for s, (n, c) in sorted(self.by_source.items())
            },
            "chatter_taken_by": [
                {"intent": i, "count": n, "example": self.examples[("chatter", i)]}
                for i, n in self.taken_by.most_common()
            ],
            "confusions": [
                {"expected": e, "predicted": p, "count": n, "example": self.examples[(e, p)]}
                for (e, p), n in self.confusions.most_common(15)
            ],
        }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def judge(item: Mapping[str, Any], record: Mapping[str, Any]) -> Judged:
    """Pair a labelled input line with its `shopmcp classify` record."""
    chatter = bool(item.get("chatter")) or "intent" not in item
    return Judged(
        text=str(item["text"]),
        locale=str(record.get("locale") or item.get("locale") or "?"),
        expected=None if chatter else str(item["intent"]),
        predicted=str(record.get("intent", "unknown")),
        source=str(record.get("source", "none")),
        slots_expected=item.get("slots") or None,
        slots_got=record.get("slots") or {},
    )


def score(judged: Iterable[Judged]) -> dict[str, LocaleScore]:
    """Figures per locale, plus `all`."""
    scores: dict[str, LocaleScore] = defaultdict(LocaleScore)
    for j in judged:
        scores[j.locale].add(j)
        scores["all"].add(j)
    return dict(sorted(scores.items(), key=lambda kv: (kv[0] == "all", kv[0])))


def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}"


def render(scores: Mapping[str, LocaleScore], confusions: int = 8) -> str:
    head = "locale  lines  accuracy  coverage  precision  slots  chatter  false-match"
    rows = [head]
    for locale, s in scores.items():
        f = s.figures()
        rows.append(
            f"{locale:<6}  {f['lines']:5d}     {_pct(f['accuracy'])}     {_pct(f['coverage'])}"
            f"      {_pct(f['precision'])}  {_pct(f['slot_agreement'])}    {f['chatter']:5d}"
            f"        {_pct(f['chatter_false_match'])}"
        )
    if "all" in scores:
        sources = scores["all"].figures()["by_source"]
        listed = ", ".join(
            f"{src} {f['lines']} lines {_pct(f['accuracy']).strip()}%" for src, f in sources.items()
        )
        rows.append(f"\naccuracy by source, all locales: {listed}")
    for locale, s in scores.items():
        if locale == "all":
            continue
        if s.confusions:
            rows.append(f"\n{locale}: most frequent confusions (expected -> got)")
            for (e, p), n in s.confusions.most_common(confusions):
                rows.append(f"  {n:4d}  {e} -> {p}   e.g. {s.examples[(e, p)]!r}")
        if s.taken_by:
            rows.append(f"\n{locale}: shop intents that took chatter")
            for i, n in s.taken_by.most_common(confusions):
                rows.append(f"  {n:4d}  {i}   e.g. {s.examples[('chatter', i)]!r}")
    return "\n".join(rows) + "\n"


def evaluate_main(argv: list[str]) -> int:
    from engine._cli import _add_common, _engine, _recognizer, result_record

    parser = argparse.ArgumentParser(
        prog="shopmcp eval intents",
        description="Score the engine on labelled JSON lines {text, locale?, intent?, slots?}; "
        "lines without an intent are off-topic chatter.",
    )
    parser.add_argument("files", nargs="+", type=Path, help="JSON-lines files to score")
    parser.add_argument("--locale", default=None, help="locale for lines that carry none")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--confusions", type=int, default=8, help="confusions listed per locale")
    _add_common(parser)
    args = parser.parse_args(argv)
    engine = _engine(args.patterns)
    engine.compile_all()
    recognize = _recognizer(engine, args.no_ai)
    judged: list[Judged] = []
    for path in args.files:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text = item["text"]
                locale = item.get("locale") or args.locale
                record = result_record(recognize(text, locale))
            except (ValueError, KeyError, TypeError) as exc:
                print(f"{path}:{number}: skipped: {exc}", file=sys.stderr)
                continue
            judged.append(judge(item, record))
    scores = score(judged)
    if args.json:
        print(json.dumps({k: v.figures() for k, v in scores.items()}, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render(scores, args.confusions))
    return 0
