"""Run a conversation corpus against a running server over HTTP, as the shoppers' clients would.

Every conversation gets user ids of its own for this run (a phone number on WhatsApp and SMS, an
`instagram:` sender id on Instagram), so runs never share a basket. A turn with `pay` is followed by
paying the last payment link on the checkout page (GET the page, POST its form), which makes the
paid order's id available to later turns as `{order_id}`.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import phonenumbers

from shopmcp.evaluation.checks import State, done_problems, generic_problems, turn_problems
from shopmcp.evaluation.corpus import Conversation

__all__ = ["UNAVAILABLE", "ConversationResult", "TurnResult", "run_conversation", "user_id"]

UNAVAILABLE = "unavailable"
"""The problem that says the run measured an outage, not the assistant: its figures are void."""

# A message runs the intent engine and up to three MCP calls; 30 s is far beyond a healthy reply.
REQUEST_TIMEOUT = 30.0
# The server's per-user limit is 30 messages a minute; one wait of this length clears it.
MAX_RETRY_AFTER = 65.0
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_COUNTRY = {"en": "44", "es": "34", "fr": "33", "de": "49"}
# calling code -> (a mobile prefix, digits of a national number): numbers that parse as valid
_MOBILE = {"44": ("7", 10), "34": ("6", 9), "33": ("6", 9), "49": ("151", 11), "1": ("202", 10)}


@dataclass
class TurnResult:
    number: int
    say: str
    expected_intent: tuple[str, ...]
    intent: str | None
    response: str
    problems: list[str]

    @property
    def right(self) -> bool:
        return not self.problems

    @property
    def intent_right(self) -> bool:
        return self.intent in self.expected_intent


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: list[TurnResult] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return not self.done

    def unavailable(self) -> int:
        """Turns the server answered with its service-unavailable apology."""
        return sum(any(p.startswith(UNAVAILABLE) for p in t.problems) for t in self.turns)

    def failure_ids(self) -> list[str]:
        ids = [f"{self.conversation.id}#{t.number}" for t in self.turns if not t.right]
        return ids + ([f"{self.conversation.id}#done"] if self.done else [])


def _mobile_number(country: str, digest: int) -> str:
    """A valid mobile number of `country` (digits with the calling code), chosen by `digest`."""
    prefix, length = _MOBILE.get(country, ("6", 9))
    digits = str(digest)
    for start in range(len(digits) - length):
        number = country + prefix + digits[start : start + length - len(prefix)]
        if phonenumbers.is_valid_number(phonenumbers.parse("+" + number)):
            return number
    return number  # no valid number among the candidates: the server will say so


def user_id(conversation: Conversation, run: str) -> str:
    """The conversation's sender for this run, addressed as its channel addresses shoppers."""
    digest = int(hashlib.sha256(f"{run}:{conversation.id}".encode()).hexdigest(), 16)
    if conversation.client in {"whatsapp", "sms"}:
        number = _mobile_number(conversation.country or _COUNTRY[conversation.locale], digest)
        return number if conversation.client == "whatsapp" else "+" + number
    if conversation.client == "instagram":
        return "instagram:" + str(digest)[:16]
    return f"eval-{run}-{conversation.id}"


def _post(client: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    response = client.post("/api/message", json=body)
    if response.status_code == 429:
        wait = min(float(response.headers.get("retry-after", "5")), MAX_RETRY_AFTER)
        time.sleep(wait)  # the server asked us to; a client that retries sooner is refused again
        response = client.post("/api/message", json=body)
    return response


def _pay(client: httpx.Client, state: State, email: str, locale: str) -> list[str]:
    """Pay the last payment link on its checkout page; the order id goes into the variables."""
    if state.link_url is None:
        return ["pay: no payment link to pay"]
    path = urlsplit(state.link_url).path
    page = client.get(path)
    if page.status_code != 200:
        return [f"pay: the checkout page answered {page.status_code}"]
    # post what the page's form posts: its hidden fields (the form token bound to the page's
    # cookie, which the client keeps) and the e-mail, as a browser would
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))
    paid = client.post(path + "/pay", data={"lang": locale, **hidden, "email": email})
    location = paid.headers.get("location", "")
    order = parse_qs(urlsplit(urljoin(str(client.base_url), location)).query).get("order")
    if paid.status_code != 303 or not order:
        return [f"pay: paying answered {paid.status_code} without an order ({paid.text[:200]!r})"]
    state.paid_order = order[0]
    state.variables["order_id"] = order[0]
    return []


def _remember(state: State, data: dict[str, Any]) -> None:
    basket = data.get("basket")
    if isinstance(basket, dict) and isinstance(basket.get("lines"), list):
        state.basket = [ln for ln in basket["lines"] if isinstance(ln, dict)]
    link = data.get("payment_link")
    if isinstance(link, dict) and link.get("url"):
        state.link_url = str(link["url"])
        state.link_basket = [(str(ln.get("name")), ln.get("quantity")) for ln in state.basket or []]
    delivery = data.get("delivery")
    if isinstance(delivery, dict):
        state.deliveries.append(delivery)


def run_conversation(
    client: httpx.Client,
    conversation: Conversation,
    run: str,
    inbox: Callable[[], list[str]] | None = None,
) -> ConversationResult:
    """Send every turn of `conversation` in order and judge each reply, then the goal."""
    result = ConversationResult(conversation)
    state = State()
    user = user_id(conversation, run)
    if conversation.client in {"whatsapp", "sms"}:
        state.variables["user_phone"] = "+" + user.lstrip("+")
    for number, turn in enumerate(conversation.turns, 1):
        message = turn.say
        for name, value in state.variables.items():
            message = message.replace("{" + name + "}", value)
        missing = _PLACEHOLDER.findall(message)
        if missing:
            problem = (
                f"pay: {', '.join(missing)} is unknown (no order was paid), the turn was not sent"
            )
            result.turns.append(TurnResult(number, message, turn.intent, None, "", [problem]))
            continue
        body: dict[str, Any] = {
            "userId": user,
            "message": message,
            "clientType": conversation.client,
        }
        if conversation.send_locale:
            body["locale"] = conversation.locale
        try:
            response = _post(client, body)
        except httpx.HTTPError as exc:
            result.turns.append(
                TurnResult(number, message, turn.intent, None, "", [f"http: {exc!r}"])
            )
            continue
        if response.status_code != 200:
            problem = f"http: status {response.status_code}: {response.text[:300]}"
            result.turns.append(TurnResult(number, message, turn.intent, None, "", [problem]))
            continue
        reply = response.json()
        data = reply.get("data") if isinstance(reply.get("data"), dict) else {}
        problems = generic_problems(reply, conversation.client)
        if data.get("error") == "service_unavailable":
            problems.insert(
                0, f"{UNAVAILABLE}: the server apologised that a backend piece was down"
            )
        problems += turn_problems(turn, reply, state, conversation, inbox() if inbox else None)
        _remember(state, data)
        if turn.pay:
            problems += _pay(client, state, turn.pay, conversation.locale)
        result.turns.append(
            TurnResult(
                number,
                message,
                turn.intent,
                reply.get("intent"),
                str(reply.get("response", "")),
                problems,
            )
        )
    right = [t.right for t in result.turns]
    result.done = done_problems(conversation, state, right, inbox() if inbox else None)
    return result
