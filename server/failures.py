"""A failed tool call as a sentence for the person in the chat, in their language.

The MCP servers send failures as data (`mcp_servers.errors.ErrorInfo`: a stable code and its
params); this module switches on the code and fills a text of `server.texts` from the params. It
never reads the error's English message. A code without a sentence of its own gets
`error_generic`, so nothing raw reaches a shopper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp_servers.errors import ErrorInfo
from server.texts import KEYS, text

__all__ = ["RENDERED_CODES", "describe_failure"]

Params = dict[str, Any]
# (the error's params, the product the caller named, the locale) -> (sentence, reply data)
_Render = Callable[[Params, str, str], tuple[str, Params]]

MAX_CANDIDATES = 5
"""Choices listed when a name fits several products: more than five is a search, not a question."""


def _str(value: Any, default: str = "") -> str:
    return default if value is None or value == "" else str(value)


def _ambiguous(p: Params, product: str, locale: str) -> tuple[str, Params]:
    candidates = [
        {"id": _str(c.get("id")), "name": _str(c.get("name"))}
        for c in p.get("candidates") or []
        if isinstance(c, dict) and c.get("name")
    ]
    if not candidates:
        return text("unknown_product", locale, name=_str(p.get("query"), product)), {}
    listing = "; ".join(f"{i}. {c['name']}" for i, c in enumerate(candidates[:MAX_CANDIDATES], 1))
    return text("ask_which", locale, options=listing), {"candidates": candidates}


def _out_of_stock(p: Params, product: str, locale: str) -> tuple[str, Params]:
    name = _str(p.get("name"), product)
    try:
        available = max(0, int(p.get("available") or 0))
    except (TypeError, ValueError):
        available = 0
    data: Params = {"available": available}
    if p.get("product_id"):
        data["product_id"] = str(p["product_id"])
    if available:
        return text("out_of_stock", locale, name=name, available=available), data
    return text("error_sold_out", locale, name=name), data


def _invalid_recipient(p: Params, product: str, locale: str) -> tuple[str, Params]:
    key = "error_invalid_phone" if p.get("kind") == "phone" else "error_invalid_email"
    return text(key, locale, recipient=_str(p.get("recipient"))), {}


def _invalid_arguments(p: Params, product: str, locale: str) -> tuple[str, Params]:
    fields = [str(f) for f in p.get("fields") or []]
    if any(f.split(".")[-1] == "quantity" for f in fields):
        return text("error_quantity_limit", locale), {}
    return text("error_generic", locale), {}


def _invalid_product(p: Params, product: str, locale: str) -> tuple[str, Params]:
    key = f"field_{p.get('field')}"
    if key in KEYS:
        return text("error_invalid_product", locale, field=text(key, locale)), {}
    return text("error_generic", locale), {}


def _not_found(p: Params, product: str, locale: str) -> tuple[str, Params]:
    # the shop has no answer on a topic (a business API without that policy)
    if p.get("topic"):
        return text("error_unknown_topic", locale), {}
    return text("error_generic", locale), {}


def _simple(key: str, **fields: str) -> _Render:
    """A sentence whose placeholders come from params (`fields` maps placeholder -> param)."""

    def render(p: Params, product: str, locale: str) -> tuple[str, Params]:
        values = {
            name: _str(p.get(param), product if name == "name" else "")
            for name, param in fields.items()
        }
        return text(key, locale, **values), {}

    return render


_RENDERERS: dict[str, _Render] = {
    "ambiguous_product": _ambiguous,
    "unknown_product": _simple("unknown_product", name="query"),
    "not_in_basket": _simple("error_not_in_basket", name="name"),
    "out_of_stock": _out_of_stock,
    "unknown_basket": _simple("basket_empty"),
    "empty_basket": _simple("basket_empty"),
    "currency_mismatch": _simple("error_currency_mismatch", name="name"),
    "unknown_order": _simple("error_unknown_order", order_id="order_id"),
    "unknown_topic": _simple("error_unknown_topic"),
    "not_found": _not_found,
    "invalid_recipient": _invalid_recipient,
    "invalid_arguments": _invalid_arguments,
    "invalid_product": _invalid_product,
    "duplicate_sku": _simple("error_duplicate_sku", sku="sku"),
    "invalid_file": _simple("error_invalid_file"),
    "backend_unavailable": _simple("service_unavailable"),
}
RENDERED_CODES = frozenset(_RENDERERS)
"""Codes with a sentence of their own; every other code is said as `error_generic`."""

# A message that could not be sent is said by the caller, with the address the shopper gave:
# these failures of a send tool have nothing to add (and must not name another address).
_SEND_TOOLS = frozenset({"send_email", "send_sms", "send_whatsapp_message"})
_SENDER_SAYS = frozenset({"idempotency_conflict", "invalid_message", "tool_error"})


def describe_failure(
    error: ErrorInfo, locale: str, *, tool: str, product: str | None = None
) -> tuple[str, Params]:
    """The sentence for a failed call of `tool`, and the reply data that goes with it
    (`{"error": code, ...}`; ambiguous names add `candidates`, stock limits `available`)."""
    if tool in _SEND_TOOLS and error.code in _SENDER_SAYS:
        return "", {"error": error.code}
    render = _RENDERERS.get(error.code)
    if render is None:
        return text("error_generic", locale), {"error": error.code}
    sentence, data = render(dict(error.params), product or "", locale)
    return sentence, {"error": error.code, **data}
