"""The checks a correct shop assistant's reply must pass: pure functions over the reply JSON.

`generic_problems` applies to every reply (no internal codes, tracebacks, `None`, braces; SMS
without emoji or markup). `turn_problems` applies the checks a corpus turn names, against the reply
and the conversation's state so far (`State`); `done_problems` judges the goal at the end. Each
returns a list of problems, one sentence each, starting with the check's name; empty means passed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from shopmcp.evaluation.corpus import Conversation, Turn
from shopmcp.evaluation.language import english_sentences, fold

__all__ = ["State", "done_problems", "generic_problems", "reply_names", "turn_problems"]

_LINKS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")
_NONE = re.compile(r"\bNone\b")
_LEAKS = ("pydantic", "Error executing tool", "validation error for")
_MARKUP = re.compile(
    r"\*[^*\s][^*]*\*|(?<!\w)_[^_\s][^_]*_(?!\w)|~[^~\s][^~]*~|`|<[a-z/][^>]*>|\[[^\]]+\]\("
)
_SPACES = re.compile(r"\s+")
_RICH_CLIENTS = {"web-storefront", "mobile"}
_GOOD_DELIVERY = {"sent", "stored", "queued", "accepted"}


@dataclass
class State:
    """What a conversation has shown so far, as the shopper's client would know it."""

    basket: list[dict[str, Any]] | None = None
    """The lines of the last basket a reply carried (None: no basket shown yet)."""
    link_basket: list[tuple[str, int]] | None = None
    """The basket (name, quantity) when the last payment link was given."""
    link_url: str | None = None
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    paid_order: str | None = None
    variables: dict[str, str] = field(default_factory=dict)


def _is_emoji(char: str) -> bool:
    if char in "\u200d\ufe0f\u20e3":
        return True
    return unicodedata.category(char) == "So" and ord(char) >= 0x2190


def generic_problems(reply: dict[str, Any], client: str) -> list[str]:
    """What no reply may contain, whatever the turn."""
    text = reply.get("response")
    if not isinstance(text, str) or not text.strip():
        return ["reply: the response is empty"]
    problems = []
    plain = _LINKS.sub(" ", text)
    codes = sorted(set(_CODE.findall(plain)))
    if codes:
        problems.append(f"no_raw_code: internal code(s) {', '.join(codes)} in the reply")
    for leak in _LEAKS:
        if leak in text:
            problems.append(f"no_raw_code: {leak!r} in the reply")
    if _TRACEBACK.search(text):
        problems.append("no_raw_code: a traceback in the reply")
    if _NONE.search(plain):
        problems.append("no_raw_code: 'None' in the reply")
    if "{" in text or "}" in text:
        problems.append("no_raw_code: braces in the reply")
    if client == "sms":
        emoji = sorted({c for c in text if _is_emoji(c)})
        if emoji:
            problems.append(f"sms: emoji {' '.join(emoji)} in an SMS reply")
        markup = _MARKUP.findall(text)
        if markup:
            problems.append(f"sms: markup {markup[0]!r} in an SMS reply")
    return problems


def reply_names(data: dict[str, Any]) -> list[str]:
    """Every product name the reply's data carries (listing, product, basket, candidates)."""
    names: list[str] = []
    product = data.get("product")
    items = [product] if isinstance(product, dict) else []
    for key in ("products", "candidates"):
        if isinstance(data.get(key), list):
            items += [p for p in data[key] if isinstance(p, dict)]
    basket = data.get("basket")
    if isinstance(basket, dict) and isinstance(basket.get("lines"), list):
        items += [ln for ln in basket["lines"] if isinstance(ln, dict)]
    for item in items:
        name = item.get("name")
        if isinstance(name, str):
            names.append(name)
        elif isinstance(name, dict):
            names += [n for n in name.values() if isinstance(n, str)]
    return names


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _amounts(value: Any, key: str = "") -> list[str]:
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and key in {"price", "unit_price", "line_total", "total", "amount"}
    ):
        return [f"{value / 100:.2f}", f"{value / 100:.2f}".replace(".", ",")]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _amounts(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in _amounts(v, key)]
    return []


def visible_text(reply: dict[str, Any], client: str) -> str:
    """What the shopper sees: the text, plus the rendered cards on web and mobile clients."""
    text = str(reply.get("response") or "")
    data = reply.get("data")
    if client in _RICH_CLIENTS and isinstance(data, dict):
        text += "\n" + "\n".join(_strings(data) + _amounts(data))
    return text


def _lines(basket: Any) -> list[dict[str, Any]] | None:
    if isinstance(basket, dict) and isinstance(basket.get("lines"), list):
        return [ln for ln in basket["lines"] if isinstance(ln, dict)]
    return None


def _line_name(line: dict[str, Any]) -> str:
    name = line.get("name")
    return " / ".join(map(str, name.values())) if isinstance(name, dict) else str(name or "")


def _matches(part: str, item: dict[str, Any]) -> bool:
    """A corpus names a product by a piece of its name, or exactly by its SKU."""
    return fold(part) in fold(_line_name(item)) or fold(part) == fold(str(item.get("sku", "")))


def basket_problems(
    check: str, lines: list[dict[str, Any]] | None, want: dict[str, int]
) -> list[str]:
    if lines is None:
        return [] if not any(want.values()) else [f"{check}: no basket was shown, expected {want}"]
    shown = {_line_name(ln): ln.get("quantity") for ln in lines}
    problems = []
    claimed: set[int] = set()
    for part, quantity in want.items():
        matching = [i for i, ln in enumerate(lines) if _matches(part, ln)]
        claimed.update(matching)
        got = sum(int(lines[i].get("quantity") or 0) for i in matching)
        if got != quantity:
            problems.append(f"{check}: {part!r} × {got}, expected × {quantity} (basket: {shown})")
    extra = [_line_name(ln) for i, ln in enumerate(lines) if i not in claimed]
    if extra:
        problems.append(f"{check}: unexpected line(s) {extra} (basket: {shown})")
    return problems


def _changed(before: list[dict[str, Any]] | None, after: list[dict[str, Any]] | None) -> list[str]:
    old = {_line_name(ln): ln.get("quantity") for ln in before or []}
    new = {_line_name(ln): ln.get("quantity") for ln in after or []}
    return [name for name in old.keys() | new.keys() if old.get(name) != new.get(name)]


def _picked(reply: dict[str, Any], state: State, want: str) -> list[str]:
    data = reply.get("data") or {}
    product = data.get("product")
    if isinstance(product, dict):
        items = [product]
    else:
        changed = _changed(state.basket, _lines(data.get("basket")))
        items = [
            ln
            for ln in [*(state.basket or []), *(_lines(data.get("basket")) or [])]
            if _line_name(ln) in changed
        ]
        if not items and isinstance(data.get("products"), list) and len(data["products"]) == 1:
            items = [data["products"][0]]
    if any(_matches(want, item) for item in items):
        return []
    names = sorted({_line_name(item) for item in items})
    return [f"picked: expected {want!r}, the reply acted on {names or 'no product'}"]


def _same_address(want: str, got: str) -> bool:
    if "@" in want:
        return fold(want) == fold(got)
    digits = re.sub(r"\D", "", want)
    return bool(digits) and digits == re.sub(r"\D", "", got)


def _delivered(deliveries: list[dict[str, Any]], want: str, inbox: list[str] | None) -> list[str]:
    found = [d for d in deliveries if _same_address(want, str(d.get("to", "")))]
    if not found:
        sent_to = [d.get("to") for d in deliveries]
        return [f"delivered_to: nothing was sent to {want} (sent to: {sent_to or 'nobody'})"]
    if not any(d.get("status") in _GOOD_DELIVERY for d in found):
        return [f"delivered_to: the message to {want} was not sent ({found[-1].get('status')})"]
    if inbox is not None and "@" in want and not any(fold(want) in fold(a) for a in inbox):
        return [f"delivered_to: the SMTP server received nothing for {want}"]
    return []


def _fill(text: str, variables: dict[str, str]) -> str:
    for name, value in variables.items():
        text = text.replace("{" + name + "}", value)
    return text


def turn_problems(
    turn: Turn,
    reply: dict[str, Any],
    state: State,
    conversation: Conversation,
    inbox: list[str] | None = None,
) -> list[str]:
    """The named checks of `turn` against `reply`; `state` is the conversation before the reply."""
    data = reply.get("data") if isinstance(reply.get("data"), dict) else {}
    checks = turn.checks
    problems: list[str] = []
    if reply.get("intent") not in turn.intent:
        problems.append(f"intent: {reply.get('intent')}, expected {' or '.join(turn.intent)}")
    locale = checks.get("language", conversation.locale)
    if reply.get("locale") != locale:
        problems.append(f"language: the reply's locale is {reply.get('locale')}, expected {locale}")
    for sentence in english_sentences(str(reply.get("response", "")), locale, reply_names(data)):
        problems.append(f"language: English in a {locale} reply: {sentence!r}")
    if "basket" in checks:
        shown = _lines(data.get("basket"))
        problems += basket_problems(
            "basket", shown if shown is not None else state.basket, checks["basket"]
        )
    if "picked" in checks:
        problems += _picked(reply, state, checks["picked"])
    if "payment_url" in checks:
        link = data.get("payment_link")
        has = isinstance(link, dict) and str(link.get("url", "")).startswith("http")
        if has != checks["payment_url"]:
            problems.append(
                "payment_url: no payment link given"
                if checks["payment_url"]
                else "payment_url: a payment link was given where none should be"
            )
    if "delivered_to" in checks:
        delivery = data.get("delivery")
        problems += _delivered(
            [delivery] if isinstance(delivery, dict) else [],
            _fill(checks["delivered_to"], state.variables),
            inbox,
        )
    seen = fold(visible_text(reply, conversation.client))
    squashed = _SPACES.sub("", seen)

    def shown(wanted: str) -> bool:
        # "1 329,00 €" is written with a (narrow) no-break space: compare without any spaces too
        return fold(wanted) in seen or _SPACES.sub("", fold(wanted)) in squashed

    if "reply_contains_any" in checks:
        wanted = [_fill(w, state.variables) for w in checks["reply_contains_any"]]
        if not any(shown(w) for w in wanted):
            problems.append(f"reply_contains_any: none of {wanted} in the reply")
    if "reply_contains_all" in checks:
        for wanted in (_fill(w, state.variables) for w in checks["reply_contains_all"]):
            if not shown(wanted):
                problems.append(f"reply_contains_all: {wanted!r} is not in the reply")
    if "reply_contains_none" in checks:
        for unwanted in (_fill(w, state.variables) for w in checks["reply_contains_none"]):
            if shown(unwanted):
                problems.append(f"reply_contains_none: {unwanted!r} is in the reply")
    if "asks" in checks:
        asks = any(data.get(k) for k in ("pending", "candidates", "confirm"))
        if asks != checks["asks"]:
            problems.append(
                "asks: the reply asks nothing back"
                if checks["asks"]
                else "asks: the reply asks a question where it should act"
            )
    return problems


def done_problems(
    conversation: Conversation,
    state: State,
    turns_right: list[bool],
    inbox: list[str] | None = None,
) -> list[str]:
    """Whether the conversation reached its goal, judged on its final state."""
    done = conversation.done
    problems: list[str] = []
    if "basket" in done:
        problems += basket_problems("done.basket", state.basket, done["basket"])
    if done.get("payment_url"):
        final = [(_line_name(ln), ln.get("quantity")) for ln in state.basket or []]
        if state.link_url is None:
            problems.append("done.payment_url: no payment link was given")
        elif state.link_basket != final:
            problems.append("done.payment_url: the last payment link was for another basket")
    if "delivered_to" in done:
        problems += [
            f"done.{p}"
            for p in _delivered(
                state.deliveries, _fill(done["delivered_to"], state.variables), inbox
            )
        ]
    if done.get("paid") and state.paid_order is None:
        problems.append("done.paid: the order was not paid")
    for number in done.get("turns", []):
        if not turns_right[number - 1]:
            problems.append(f"done.turns: turn {number} was not answered right")
    return problems
