"""A conversation corpus: JSON-lines files of scripted shopper conversations, loaded and validated.

One conversation a line. The format is documented in tests/conversations/README.md; a mistake in a
file is reported as `file:line: problem` before anything is sent to a server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CLIENTS", "LOCALES", "Conversation", "CorpusError", "Turn", "load_corpus"]

LOCALES = ("en", "es", "fr", "de")
CLIENTS = ("web-storefront", "mobile", "whatsapp", "instagram", "sms")

# check name -> the JSON types it accepts
TURN_CHECKS: dict[str, tuple[type, ...]] = {
    "basket": (dict,),
    "picked": (str,),
    "payment_url": (bool,),
    "delivered_to": (str,),
    "reply_contains_any": (list,),
    "reply_contains_all": (list,),
    "reply_contains_none": (list,),
    "asks": (bool,),
    "language": (str,),
}
DONE_CHECKS: dict[str, tuple[type, ...]] = {
    "basket": (dict,),
    "payment_url": (bool,),
    "delivered_to": (str,),
    "paid": (bool,),
    "turns": (list,),
}
_TURN_KEYS = {"say", "intent", "pay", "note", *TURN_CHECKS}
_CONVERSATION_KEYS = {"id", "locale", "client", "goal", "turns", "done", "send_locale", "country"}


class CorpusError(ValueError):
    """A corpus file that does not follow the format; the message names file, line and field."""


@dataclass(frozen=True)
class Turn:
    """One shopper message, the intent a good assistant reads in it, and checks on its reply."""

    say: str
    intent: tuple[str, ...]
    checks: dict[str, Any]
    pay: str | None = None
    """After the reply, pay the last payment link on the checkout page with this e-mail."""


@dataclass(frozen=True)
class Conversation:
    id: str
    locale: str
    client: str
    goal: str
    turns: tuple[Turn, ...]
    done: dict[str, Any]
    send_locale: bool = False
    """Send `locale` in the request, as an app that knows the device language does."""
    country: str | None = None
    """Calling code of the shopper's phone on WhatsApp and SMS (default: the locale's)."""
    source: str = ""
    """`file:line`, for messages about this conversation."""


def _check_types(where: str, block: dict[str, Any], allowed: dict[str, tuple[type, ...]]) -> None:
    for name, value in block.items():
        if name in allowed and not isinstance(value, allowed[name]):
            kinds = " or ".join(t.__name__ for t in allowed[name])
            raise CorpusError(f"{where}: {name!r} must be a {kinds}, not {value!r}")
        if name in {"basket"} and not all(isinstance(q, int) and q >= 0 for q in value.values()):
            raise CorpusError(f"{where}: basket quantities must be whole numbers >= 0")


def _turn(where: str, raw: Any) -> Turn:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: a turn is an object with 'say' and 'intent'")
    unknown = set(raw) - _TURN_KEYS
    if unknown:
        raise CorpusError(
            f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_TURN_KEYS)}"
        )
    if not isinstance(raw.get("say"), str) or not raw["say"].strip():
        raise CorpusError(f"{where}: 'say' must be the shopper's message")
    intent = raw.get("intent")
    intents = (intent,) if isinstance(intent, str) else tuple(intent or ())
    if not intents or not all(isinstance(i, str) for i in intents):
        raise CorpusError(f"{where}: 'intent' must be an intent name or a list of them")
    checks = {k: v for k, v in raw.items() if k in TURN_CHECKS}
    _check_types(where, checks, TURN_CHECKS)
    pay = raw.get("pay")
    if pay is not None and not (isinstance(pay, str) and "@" in pay):
        raise CorpusError(f"{where}: 'pay' must be the e-mail address typed on the checkout page")
    return Turn(raw["say"], intents, checks, pay)


def _conversation(where: str, raw: Any) -> Conversation:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: a line must be one JSON object (a conversation)")
    unknown = set(raw) - _CONVERSATION_KEYS
    if unknown:
        raise CorpusError(f"{where}: unknown key(s) {sorted(unknown)}")
    for key in ("id", "goal"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise CorpusError(f"{where}: {key!r} is required")
    if raw.get("locale") not in LOCALES:
        raise CorpusError(f"{where}: 'locale' must be one of {', '.join(LOCALES)}")
    if raw.get("client") not in CLIENTS:
        raise CorpusError(f"{where}: 'client' must be one of {', '.join(CLIENTS)}")
    turns_raw = raw.get("turns")
    if not isinstance(turns_raw, list) or not 1 <= len(turns_raw) <= 12:
        raise CorpusError(f"{where}: 'turns' must be a list of 1 to 12 turns")
    turns = tuple(_turn(f"{where}: turn {i}", t) for i, t in enumerate(turns_raw, 1))
    done = raw.get("done")
    if not isinstance(done, dict) or not done:
        raise CorpusError(f"{where}: 'done' must say when the goal is reached")
    unknown = set(done) - set(DONE_CHECKS)
    if unknown:
        raise CorpusError(f"{where}: unknown done check(s) {sorted(unknown)}")
    _check_types(f"{where}: done", done, DONE_CHECKS)
    if any(not isinstance(n, int) or not 1 <= n <= len(turns) for n in done.get("turns", [])):
        raise CorpusError(f"{where}: done.turns must list turn numbers 1..{len(turns)}")
    return Conversation(
        id=raw["id"],
        locale=raw["locale"],
        client=raw["client"],
        goal=raw["goal"],
        turns=turns,
        done=done,
        send_locale=bool(raw.get("send_locale", False)),
        country=raw.get("country"),
        source=where,
    )


def load_corpus(paths: list[Path]) -> list[Conversation]:
    """Every conversation of `paths` (JSON-lines files, or directories of `*.jsonl`), in order."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    conversations: list[Conversation] = []
    seen: dict[str, str] = {}
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{file}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from exc
            conversation = _conversation(where, raw)
            if conversation.id in seen:
                raise CorpusError(
                    f"{where}: id {conversation.id!r} is also used at {seen[conversation.id]}"
                )
            seen[conversation.id] = where
            conversations.append(conversation)
    return conversations
