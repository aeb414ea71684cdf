"""The checkout behind a payment link: the basket to pay, the (test-mode) payment, the paid order.

The signed token is verified before anything is read and the basket must still match the link.
Paying turns the basket into a paid order on the backend: the backend returns the existing order
when the same link is paid again, and a paid basket takes no more lines, so each link pays once.
The `order_confirmation` e-mail goes out once per order, to the address on record (the one the
link was e-mailed to; only when there is none, the address typed in the form at that first
payment). The page never shows an address in full. The form carries a token bound to a
SameSite=Strict cookie (double-submit), so another site cannot post it from a shopper's browser.
After paying, the browser is redirected (POST/redirect/GET) so a reload never pays again. The
backend is opened by the app's lifespan (`state.shop`): the storefront MCP server deliberately has
no "mark paid" tool, since any MCP client could call it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import logging
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import Cookie, State
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from commerce import (
    BackendUnavailableError,
    EmptyBasketError,
    ExpiredLinkError,
    Order,
    OutOfStockError,
    PaymentClaims,
    ShopBackend,
    TamperedLinkError,
    UnknownBasketError,
    UnknownOrderError,
    verify_payment_token,
)
from commerce.links import basket_state
from server.formatter import format_date, format_money
from server.page_texts import page_locale
from server.page_texts import page_text as _t
from server.pool import McpPool, ServerError

__all__ = ["FORM_COOKIE", "checkout_page", "checkout_pay", "form_token", "mask_address"]

logger = logging.getLogger(__name__)

OUTBOX_SCAN = 200
"""How many recent e-mails to look through for the address a payment link was sent to."""
FORM_COOKIE = "shopmcp_checkout"
"""The browser's half of the form token; SameSite=Strict, so a cross-site post arrives without it."""
FORM_COOKIE_SECONDS = 2 * 24 * 3600
"""As long as a payment link lives (SHOPMCP_LINK_TTL's default is a day), with room to spare."""
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_EMAIL = re.compile(r"[^@\s<>\"',;]{1,64}@[^@\s<>\"',;]{1,190}\.[A-Za-z]{2,24}")


def form_token(secret: bytes, cookie: str, token: str) -> str:
    """The form's hidden token: the browser's cookie bound to this payment link."""
    mac = hmac.new(secret, f"checkout-form|{cookie}|{token}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def mask_address(address: str) -> str:
    """`ana@example.com` → `a•••@example.com`: enough to recognise, not enough to harvest."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"


def _document(locale: str, title: str, body: str, status: int) -> Response[str]:
    page = f"""<!doctype html>
<html lang="{locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><link rel="stylesheet" href="/static/style.css"></head>
<body class="checkout"><main class="sheet">{body}
<p class="back"><a href="/">{html.escape(_t(locale, "checkout.back"))}</a></p></main></body></html>"""
    return Response(page, status_code=status, media_type=MediaType.HTML)


def _notice(locale: str, kind: str, status: int, extra: str = "") -> Response[str]:
    title = _t(locale, f"checkout.{kind}_title")
    body = (
        f'<section class="notice notice-{kind}" data-state="{kind}"><h1>{html.escape(title)}</h1>'
        f"<p>{html.escape(extra or _t(locale, f'checkout.{kind}'))}</p></section>"
    )
    return _document(locale, title, body, status)


def _verify(state: State, token: str, locale: str) -> PaymentClaims | Response[str]:
    try:
        return verify_payment_token(state.link_secret, token)
    except ExpiredLinkError:
        return _notice(locale, "expired", 410)
    except TamperedLinkError:
        return _notice(locale, "tampered", 400)


def _lines_table(lines: Any, total: int, currency: str, locale: str) -> str:
    rows = "".join(
        f'<tr><td class="name">{html.escape(ln.name)}</td><td class="qty">{ln.quantity}</td>'
        f'<td class="num">{html.escape(format_money(ln.unit_price, currency, locale))}</td>'
        f'<td class="num">{html.escape(format_money(ln.line_total, currency, locale))}</td></tr>'
        for ln in lines
    )
    head = "".join(
        f"<th{' class=num' if k in ('price', 'subtotal') else ''}>"
        f"{html.escape(_t(locale, 'checkout.' + k))}</th>"
        for k in ("item", "quantity", "price", "subtotal")
    )
    return (
        f'<table class="lines"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>'
        f'<tfoot><tr><th colspan="3">{html.escape(_t(locale, "checkout.total"))}</th>'
        f'<td class="num total" data-total="{total}">'
        f"{html.escape(format_money(total, currency, locale))}</td></tr></tfoot></table>"
    )


def _paid_page(order: Order, locale: str, sent: str | None) -> Response[str]:
    notes = {
        "sent": _t(locale, "checkout.sent_to"),
        "stored": _t(locale, "checkout.stored"),
        "failed": _t(locale, "checkout.not_sent"),
    }
    note = (
        f'<p class="delivery" data-sent="{sent}">{html.escape(notes[sent])}</p>'
        if (sent in notes)
        else ""
    )
    title = _t(locale, "checkout.paid_title")
    body = (
        f'<section class="paid" data-state="paid" data-order="{html.escape(order.id)}">'
        f'<div class="tick" aria-hidden="true">✓</div><h1>{html.escape(title)}</h1>'
        f"<p>{html.escape(_t(locale, 'checkout.paid', order_id=order.id))}</p>{note}"
        f"{_lines_table(order.lines, order.total, order.currency, locale)}</section>"
    )
    return _document(locale, title, body, 200)


@get("/checkout/{token:str}", include_in_schema=False)
async def checkout_page(
    request: Request[Any, Any, Any],
    state: State,
    token: str,
    lang: str | None = None,
    order: str | None = None,
    sent: str | None = None,
) -> Response[str]:
    locale = page_locale(lang, request.headers.get("accept-language"))
    claims = _verify(state, token, locale)
    if isinstance(claims, Response):
        return claims
    shop: ShopBackend = state.shop
    try:
        if order:
            try:
                paid = await shop.get_order(order)
            except UnknownOrderError:
                paid = None
            if paid is not None and paid.basket_id == claims.basket_id:
                return _paid_page(paid, locale, sent)
        basket = await shop.get_basket(claims.basket_id, locale=locale)
    except UnknownBasketError:
        return _notice(locale, "tampered", 400)
    except BackendUnavailableError:
        return _notice(locale, "unavailable", 503)
    if not basket.lines or basket.currency is None:
        return _notice(locale, "empty", 409)
    lines = [(ln.product_id, ln.quantity, ln.unit_price) for ln in basket.lines]
    if basket_state(lines, basket.currency) != claims.state:
        return _notice(locale, "stale", 409)
    cookie = request.cookies.get(FORM_COOKIE, "")
    if not _COOKIE_VALUE.fullmatch(cookie):
        cookie = secrets.token_urlsafe(24)
    on_record = await _link_address(state.pool, token)
    if on_record:
        address = _t(locale, "checkout.confirm_to", address=mask_address(on_record))
        recipient = f'<p class="muted confirm-to">{html.escape(address)}</p>'
    else:
        recipient = (
            f"<label>{html.escape(_t(locale, 'checkout.email'))}"
            '<input type="email" name="email" autocomplete="email" maxlength="254"></label>'
        )
    amount = format_money(basket.total, basket.currency, locale)
    expires = format_date(datetime.fromtimestamp(claims.expires_at, UTC), locale)
    title = _t(locale, "checkout.title")
    body = (
        f'<section data-state="open"><h1>{html.escape(title)}</h1>'
        f'<p class="muted">{html.escape(_t(locale, "checkout.intro"))}</p>'
        f"{_lines_table(basket.lines, basket.total, basket.currency, locale)}"
        f'<form method="post" action="/checkout/{quote(token)}/pay" class="pay">'
        f'<input type="hidden" name="lang" value="{locale}">'
        f'<input type="hidden" name="csrf" value="{form_token(state.link_secret, cookie, token)}">'
        f"{recipient}"
        f'<button type="submit" id="pay">{html.escape(_t(locale, "checkout.pay", amount=amount))}'
        f"</button></form>"
        f'<p class="muted small">{html.escape(_t(locale, "checkout.test_mode"))} '
        f"{html.escape(_t(locale, 'checkout.expires', date=expires))}</p></section>"
    )
    page = _document(locale, title, body, 200)
    page.cookies.append(
        Cookie(
            key=FORM_COOKIE,
            value=cookie,
            path="/checkout",
            max_age=FORM_COOKIE_SECONDS,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
    )
    page.headers["Cache-Control"] = "no-store"
    return page


def _genuine_form(request: Request[Any, Any, Any], secret: bytes, token: str, given: str) -> bool:
    """The post comes from our page in this browser: same origin, and the cookie-bound token."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        return False
    cookie = request.cookies.get(FORM_COOKIE, "")
    if not _COOKIE_VALUE.fullmatch(cookie) or not given:
        return False
    return hmac.compare_digest(form_token(secret, cookie, token), given)


@post("/checkout/{token:str}/pay", include_in_schema=False, status_code=303)
async def checkout_pay(
    request: Request[Any, Any, Any],
    state: State,
    token: str,
    data: Mapping[str, str] = Body(media_type=RequestEncodingType.URL_ENCODED),
) -> Response[Any]:
    """Pay (test mode): mark the basket's order paid, confirm it once, show the order."""
    locale = page_locale(data.get("lang"), None)
    claims = _verify(state, token, locale)
    if isinstance(claims, Response):
        return claims
    if not _genuine_form(request, state.link_secret, token, data.get("csrf") or ""):
        return _notice(locale, "forged", 403)
    shop: ShopBackend = state.shop
    try:
        basket = await shop.get_basket(claims.basket_id, locale=locale)
        first_payment = bool(basket.lines)
        if basket.lines and basket.currency is not None:
            lines = [(ln.product_id, ln.quantity, ln.unit_price) for ln in basket.lines]
            if basket_state(lines, basket.currency) != claims.state:
                return _notice(locale, "stale", 409)
        order = await shop.mark_paid(claims.basket_id)  # an existing order comes back as it is
    except UnknownBasketError:
        return _notice(locale, "tampered", 400)
    except EmptyBasketError:
        return _notice(locale, "empty", 409)
    except OutOfStockError:
        return _notice(locale, "empty", 409, _t(locale, "checkout.sold_out"))
    except BackendUnavailableError:
        return _notice(locale, "unavailable", 503)
    query = {"lang": locale, "order": order.id}
    if first_payment:  # paying the same link again shows the order; nothing is sent twice
        typed = (data.get("email") or "").strip()
        recipient = await _link_address(state.pool, token) or (
            typed if _EMAIL.fullmatch(typed) else None
        )
        query["sent"] = (
            await _confirm(state.pool, order, recipient, locale) if recipient else "none"
        )
    return Redirect(f"/checkout/{quote(token)}?{urlencode(query)}", status_code=303)


async def _link_address(pool: McpPool, token: str) -> str | None:
    """The address the payment link was e-mailed to, when the shopper asked for it by e-mail."""
    try:
        result = await pool.call(
            "notifications",
            "list_outbox",
            {"channel": "email", "limit": OUTBOX_SCAN},
            safe_to_retry=True,
        )
    except ServerError:
        return None
    entries = (result.structured_content or {}).get("entries", []) if not result.is_error else []
    return next((e["to"] for e in entries if token in e.get("body", "")), None)


async def _confirm(pool: McpPool, order: Order, email: str, locale: str) -> str:
    """Send `order_confirmation` by e-mail once per order: sent, stored or failed."""
    arguments = {
        "to": email,
        "template": {
            "name": "order_confirmation",
            "locale": locale,
            "params": {
                "order_id": order.id,
                "items": [
                    {"name": ln.name, "quantity": ln.quantity, "unit_price": ln.unit_price}
                    for ln in order.lines
                ],
                "total": order.total,
                "currency": order.currency,
            },
        },
        "idempotency_key": f"order-confirmation:{order.id}",
    }
    try:
        result = await pool.call("notifications", "send_email", arguments)
    except ServerError as exc:
        logger.warning("order %s confirmation not sent: %s", order.id, exc)
        return "failed"
    status = (result.structured_content or {}).get("status")
    if result.is_error or status not in ("sent", "stored"):
        logger.warning("order %s confirmation not sent: %s", order.id, result.content)
        return "failed"
    return str(status)
