"""Turns a tool's result into the reply text for one channel, in the shopper's locale.

Each kind of reply is built as a head sentence, optional numbered lines and a tail sentence; the
channel then decides how it is shown: WhatsApp gets *bold* names and lists, Instagram the same
without markup, SMS plain GSM-7 text within two segments, and the web storefront and mobile apps
one or two short sentences, because they render the rich content from the reply's data. When a
reply is too long, whole list lines go first ("+3 more"), then whole words ("…"): never half a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, get_currency_precision

from server._plain import (
    SMS_SEGMENT,
    is_gsm7,
    plain,
    septets,
    sms_segments,
    to_gsm7,
    utf8_bytes,
    utf16_units,
)
from server.locale import normalize_locale
from server.texts import KEYS, color_name, text
from server.types import CLIENT_TYPES, ClientType

__all__ = [
    "REPLY_KINDS",
    "ReplyFormatError",
    "for_channel",
    "format_date",
    "format_money",
    "format_number",
    "format_reply",
    "is_gsm7",
    "sms_segments",
    "to_gsm7",
]

REPLY_KINDS = ("text", "products", "product", "basket", "payment_link", "answer")


class ReplyFormatError(ValueError):
    """The caller asked for a kind, channel or attribute the formatter does not know, or left
    out data the kind needs: a programming error, so the message names the fix."""


@dataclass(frozen=True, slots=True)
class _Channel:
    limit: int
    measure: Callable[[str], int]
    rich: bool = False
    """Rich clients show content from the reply's data; the text is one or two sentences."""
    bold: bool = False
    sms: bool = False


_CHANNELS: dict[str, _Channel] = {
    "whatsapp": _Channel(limit=4096, measure=utf16_units, bold=True),
    # Meta counts Instagram's 1000 in UTF-8 bytes, so accents and emoji cost more.
    "instagram": _Channel(limit=1000, measure=utf8_bytes),
    "sms": _Channel(limit=2 * SMS_SEGMENT, measure=septets, sms=True),
    "web-storefront": _Channel(limit=320, measure=utf16_units, rich=True),
    "mobile": _Channel(limit=320, measure=utf16_units, rich=True),
}
assert set(_CHANNELS) == set(CLIENT_TYPES)


# Babel-backed values


def format_money(amount_minor: int, currency: str, locale: str) -> str:
    """1299 minor units of EUR -> "€12.99" (en), "12,99 €" (es, de), "12,99 €" (fr, Babel's spaces)."""
    value = Decimal(amount_minor).scaleb(-get_currency_precision(currency))
    return format_currency(value, currency, locale=normalize_locale(locale))


def format_number(value: int | float | Decimal, locale: str) -> str:
    """12345.5 -> "12,345.5" (en), "12.345,5" (es, de), "12 345,5" (fr)."""
    return format_decimal(value, locale=normalize_locale(locale))


def format_date(value: date | datetime, locale: str, format: str = "medium") -> str:
    """A date as the locale writes it: "Mar 5, 2024" (en), "5 mar 2024" (es), "05.03.2024" (de)."""
    return babel_format_date(value, format=format, locale=normalize_locale(locale))


# fitting text to a channel


def _truncate_words(value: str, limit: int, channel: _Channel) -> str:
    """The longest run of whole words, plus an ellipsis, that fits the limit."""
    if channel.measure(value) <= limit:
        return value
    ellipsis = "..." if channel.sms else "…"

    def cut(end: int) -> str:
        return value[:end].rstrip(" ,;:.-—") + ellipsis

    # Every measure counts at least one per character, so nothing past `limit` can fit; word
    # ends are where a cut may fall, and the measured size grows with them.
    ends = [match.end() for match in re.finditer(r"\S+", value[: limit + 1])]
    if ends and ends[-1] == limit + 1 < len(value) and not value[limit + 1].isspace():
        ends.pop()  # that word runs on past the window
    low, high = 0, len(ends)
    while low < high:
        middle = (low + high + 1) // 2
        if channel.measure(cut(ends[middle - 1])) <= limit:
            low = middle
        else:
            high = middle - 1
    return cut(ends[low - 1]) if low else ellipsis


def _fit(
    head: str,
    lines: Sequence[str],
    tail: str,
    channel: _Channel,
    locale: str,
    hidden: int = 0,
) -> str:
    """Head, numbered lines and tail within the channel's limit; `hidden` lines exist unshown."""
    prepare = to_gsm7 if channel.sms else str.strip
    head, tail = prepare(head), prepare(tail)
    lines = [prepare(line) for line in lines]

    def body(shown: int) -> str:
        more = hidden + len(lines) - shown
        extra = [prepare(text("more_items", locale, count=more))] if more else []
        return "\n".join(part for part in [head, *lines[:shown], *extra, tail] if part)

    if channel.measure(full := body(len(lines))) <= channel.limit:
        return full
    # With the "+N more" line present, each line shown adds more than a digit of N saves, so the
    # size grows with `shown`: bisect for the most lines that fit.
    low, high = 0, max(len(lines) - 1, 0)
    while low < high:
        middle = (low + high + 1) // 2
        if channel.measure(body(middle)) <= channel.limit:
            low = middle
        else:
            high = middle - 1
    return _truncate_words(body(low), channel.limit, channel)


def _first_that_fits(options: Sequence[str], channel: _Channel) -> str:
    """The first option within the limit, else the last one whole: a payment link cut short
    is worth nothing, a third SMS segment costs little."""
    prepare = to_gsm7 if channel.sms else str.strip
    prepared = [prepare(option) for option in options]
    return next((o for o in prepared if channel.measure(o) <= channel.limit), prepared[-1])


def _sentence(value: str) -> str:
    """A list heading ("Here's what I found (3):") as a sentence of its own."""
    return re.sub(r"\s*:\s*$", ".", value)


# data access


def _get(item: Any, name: str, kind: str) -> Any:
    """A field of a tool result, given as a dict (model_dump) or as the pydantic model."""
    try:
        return item[name] if isinstance(item, Mapping) else getattr(item, name)
    except (KeyError, AttributeError):
        raise ReplyFormatError(
            f"reply kind {kind!r} needs {name!r} in its data; pass the tool's result "
            f"(e.g. model_dump()) as data"
        ) from None


# one builder per kind


def _localized(value: Any, locale: str) -> str:
    """A product name as the shopper reads it: admin tools give one per language (a dict)."""
    if isinstance(value, Mapping):
        chosen = value.get(locale) or value.get("en") or next(iter(value.values()), "")
        return str(chosen)
    return str(value)


def _name(name: Any, channel: _Channel, locale: str) -> str:
    plain = _localized(name, locale)
    return f"*{plain.replace('*', '')}*" if channel.bold else plain


def _products(data: Mapping[str, Any], locale: str, channel: _Channel) -> str:
    items = _get(data, "items", "products")
    total = data.get("total") or len(items)
    if not items:
        query = data.get("query")
        if query:
            return _fit(text("no_results", locale, query=query), [], "", channel, locale)
        return _fit(text("no_matches", locale), [], "", channel, locale)
    heading = text(data.get("heading", "search_results"), locale, count=total)
    if channel.rich:
        return _fit(_sentence(heading), [], "", channel, locale)
    lines = []
    for number, item in enumerate(items, start=1):
        price = format_money(
            _get(item, "price", "products"), _get(item, "currency", "products"), locale
        )
        line = f"{number}. {_name(_get(item, 'name', 'products'), channel, locale)} — {price}"
        try:
            in_stock = bool(_get(item, "in_stock", "products"))
        except ReplyFormatError:  # an admin's product view gives the stock itself
            in_stock = _get(item, "stock", "products") > 0
        if not in_stock:
            line += f" ({text('sold_out', locale)})"
        lines.append(line)
    return _fit(heading, lines, "", channel, locale, hidden=max(0, total - len(items)))


def _product(data: Mapping[str, Any], locale: str, channel: _Channel) -> str:
    name = _name(_get(data, "name", "product"), channel, locale)
    price = format_money(_get(data, "price", "product"), _get(data, "currency", "product"), locale)
    stock = _get(data, "stock", "product")
    in_stock = (
        text("product_stock_in", locale, count=format_number(stock, locale))
        if stock > 0
        else text("product_stock_out", locale)
    )
    attribute = data.get("attribute")
    if attribute is None:
        overview = f"{text('product_price', locale, name=name, price=price)} {in_stock}"
        description = "" if channel.rich else _get(data, "description", "product")
        return _fit(overview, [], description, channel, locale)
    if attribute in ("description", "specs"):
        return _fit(f"{name}: {_get(data, 'description', 'product')}", [], "", channel, locale)
    if attribute == "price":
        reply = text("product_price", locale, name=name, price=price)
    elif attribute == "stock":
        reply = in_stock
    elif attribute in ("colors", "sizes"):
        values = _get(data, attribute, "product")
        if attribute == "colors":
            values = [color_name(str(v), locale) for v in values]
        reply = (
            text(
                f"product_{attribute}",
                locale,
                name=name,
                **{attribute: format_list(values, locale=locale)},
            )
            if values
            else text(f"product_no_{attribute}", locale, name=name)
        )
    elif attribute == "shipping":
        reply = text("product_shipping", locale, name=name)
    else:
        raise ReplyFormatError(
            f"unknown product attribute {attribute!r}; use price, stock, description, specs, "
            "colors, sizes, shipping or None"
        )
    return _fit(reply, [], "", channel, locale)


def _basket(data: Mapping[str, Any], locale: str, channel: _Channel) -> str:
    lines = _get(data, "lines", "basket")
    if not lines:
        return _fit(text("basket_empty", locale), [], "", channel, locale)
    currency = _get(data, "currency", "basket")
    total = text(
        "basket_total", locale, total=format_money(_get(data, "total", "basket"), currency, locale)
    )
    if channel.rich:
        return _fit(total, [], "", channel, locale)
    rendered = [
        f"{number}. {_get(line, 'quantity', 'basket')} × {_name(_get(line, 'name', 'basket'), channel, locale)}"
        f" — {format_money(_get(line, 'line_total', 'basket'), currency, locale)}"
        for number, line in enumerate(lines, start=1)
    ]
    return _fit(text("basket_contents", locale), rendered, total, channel, locale)


def _payment_link(data: Mapping[str, Any], locale: str, channel: _Channel) -> str:
    sent_by, address = data.get("channel"), data.get("address")
    if sent_by and address:
        key = f"channel_{sent_by}"
        medium = text(key, locale) if key in KEYS else str(sent_by)
        return _fit(
            text("payment_link_sent", locale, channel=medium, address=address),
            [],
            "",
            channel,
            locale,
        )
    amount = format_money(
        _get(data, "amount", "payment_link"), _get(data, "currency", "payment_link"), locale
    )
    ready = text("payment_link_ready", locale, total=amount)
    if channel.rich:
        return _fit(ready, [], "", channel, locale)
    url = _get(data, "url", "payment_link")
    link = text("payment_link", locale, url=url)
    # The URL is the point of this reply: shorten the words around it, never the URL itself.
    return _first_that_fits([f"{ready}\n{link}", link, url], channel)


def _text(data: Mapping[str, Any], locale: str, channel: _Channel, kind: str) -> str:
    return _fit(_get(data, "text", kind), [], "", channel, locale)


def for_channel(reply: str, client_type: ClientType) -> str:
    """The whole reply as the channel can show it, whatever sentences it was assembled from:
    SMS gets plain GSM-7 (no emoji, no markup), Instagram no markup; the rest as written."""
    channel = _CHANNELS.get(client_type)
    if channel is None:
        raise ReplyFormatError(
            f"unknown client type {client_type!r}; use one of {', '.join(CLIENT_TYPES)}"
        )
    if channel.sms:
        return to_gsm7(plain(reply))
    if client_type == "instagram":
        return plain(reply)
    return reply


def format_reply(kind: str, locale: str, client_type: ClientType, data: Mapping[str, Any]) -> str:
    """The reply text for `client_type`, built from a tool result.

    Kinds and their data (a dict: the tool's result as `model_dump()`, plus a few extras):
    `text` {"text"}; `products` a SearchResult {"items", "total"?} with optional "query" (named
    when nothing matched) and "heading" (a text key taking {count}, default "search_results");
    `product` a ProductInfo with optional "attribute" (price, stock, description, specs, colors,
    sizes, shipping); `basket` a BasketView; `payment_link` a PaymentLinkView with optional
    "channel" and "address" once it was sent; `answer` an Answer {"text"}.
    """
    locale = normalize_locale(locale)
    channel = _CHANNELS.get(client_type)
    if channel is None:
        raise ReplyFormatError(
            f"unknown client type {client_type!r}; use one of {', '.join(CLIENT_TYPES)}"
        )
    if kind == "products":
        return _products(data, locale, channel)
    if kind == "product":
        return _product(data, locale, channel)
    if kind == "basket":
        return _basket(data, locale, channel)
    if kind == "payment_link":
        return _payment_link(data, locale, channel)
    if kind in ("text", "answer"):
        return _text(data, locale, channel, kind)
    raise ReplyFormatError(f"unknown reply kind {kind!r}; use one of {', '.join(REPLY_KINDS)}")
