"""Figures of a corpus run per locale, the JSON report, and the known-failures list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shopmcp.evaluation.corpus import LOCALES
from shopmcp.evaluation.runner import ConversationResult

__all__ = [
    "Figures",
    "compare_known",
    "figures",
    "read_known",
    "render_failures",
    "render_table",
    "to_json",
    "write_known",
]


@dataclass(frozen=True)
class Figures:
    conversations: int
    finished: int
    turns: int
    turns_right: int
    intents_right: int

    def percent(self, part: int, whole: int) -> str:
        return f"{100 * part / whole:.0f} %" if whole else "-"

    def as_dict(self) -> dict[str, Any]:
        return {
            "conversations": self.conversations,
            "finished": self.finished,
            "turns": self.turns,
            "turns_right": self.turns_right,
            "intents_right": self.intents_right,
        }


def _figures(results: list[ConversationResult]) -> Figures:
    turns = [t for r in results for t in r.turns]
    return Figures(
        conversations=len(results),
        finished=sum(r.finished for r in results),
        turns=len(turns),
        turns_right=sum(t.right for t in turns),
        intents_right=sum(t.intent_right for t in turns),
    )


def figures(results: list[ConversationResult]) -> dict[str, Figures]:
    """Figures per locale present in `results`, then `all`."""
    table = {
        locale: _figures([r for r in results if r.conversation.locale == locale])
        for locale in LOCALES
        if any(r.conversation.locale == locale for r in results)
    }
    table["all"] = _figures(results)
    return table


def render_table(table: dict[str, Figures]) -> str:
    header = (
        f"{'locale':<7} {'turns right':>18} {'intent accuracy':>18} {'conversations finished':>24}"
    )
    lines = [header, "-" * len(header)]
    for locale, f in table.items():
        lines.append(
            f"{locale:<7} {f'{f.turns_right}/{f.turns}':>10} {f.percent(f.turns_right, f.turns):>7}"
            f" {f'{f.intents_right}/{f.turns}':>10} {f.percent(f.intents_right, f.turns):>7}"
            f" {f'{f.finished}/{f.conversations}':>16} {f.percent(f.finished, f.conversations):>7}"
        )
    return "\n".join(lines)


def render_failures(results: list[ConversationResult]) -> str:
    out: list[str] = []
    for result in results:
        conversation = result.conversation
        if result.finished and all(t.right for t in result.turns):
            continue
        out.append(
            f"\n{conversation.id} ({conversation.locale}, {conversation.client}) "
            f"{conversation.source}\n  goal: {conversation.goal}"
        )
        for turn in result.turns:
            mark = "ok " if turn.right else "XX "
            out.append(f"  {mark}{turn.number}. {turn.say!r} -> {turn.intent}")
            if not turn.right:
                out.append("       reply: " + turn.response.replace("\n", " / ")[:300])
                out += [f"       - {p}" for p in turn.problems]
        out += [f"  not finished: {p}" for p in result.done]
    return "\n".join(out)


def to_json(results: list[ConversationResult], run: str) -> dict[str, Any]:
    return {
        "run": run,
        "figures": {k: v.as_dict() for k, v in figures(results).items()},
        "failures": sorted(i for r in results for i in r.failure_ids()),
        "conversations": [
            {
                "id": r.conversation.id,
                "locale": r.conversation.locale,
                "client": r.conversation.client,
                "finished": r.finished,
                "done_problems": r.done,
                "turns": [
                    {
                        "number": t.number,
                        "say": t.say,
                        "intent": t.intent,
                        "expected_intent": list(t.expected_intent),
                        "right": t.right,
                        "problems": t.problems,
                        "response": t.response,
                    }
                    for t in r.turns
                ],
            }
            for r in results
        ],
    }


def read_known(path: Path) -> set[str]:
    """The known-failing turn ids (`conversation#turn`, `conversation#done`) of a checked-in list."""
    return set(json.loads(path.read_text(encoding="utf-8"))["failures"])


def write_known(path: Path, results: list[ConversationResult]) -> None:
    """Replace the listed failures of the conversations that ran; keep the others' entries."""
    ran = {r.conversation.id for r in results}
    kept = {i for i in read_known(path) if i.split("#")[0] not in ran} if path.exists() else set()
    failures = sorted(kept | {i for r in results for i in r.failure_ids()})
    body = {
        "about": "turns of tests/conversations that fail today; this list may only shrink. "
        "Regenerate with: shopmcp eval conversations URL --write-known-failures FILE",
        "failures": failures,
    }
    path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def compare_known(
    results: list[ConversationResult], known: set[str]
) -> tuple[list[str], list[str]]:
    """(new failures, known failures that now pass), for the conversations that ran."""
    ran = {r.conversation.id for r in results}
    failing = {i for r in results for i in r.failure_ids()}
    relevant = {i for i in known if i.split("#")[0] in ran}
    return sorted(failing - relevant), sorted(relevant - failing)
