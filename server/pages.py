"""The shopper's pages: the web chat at `/`, the checkout behind a payment link, the playground.

The chat and the playground are static pages (`server/static`, no build step) that talk to `/ws`
and `POST /api/playground`. Checkout pages are rendered here, in the locale the link carries
(`?lang=`) or the browser asks for: the signed token is verified before anything is read, the
basket must still match the link, and paying turns the basket into a paid order on the backend
(idempotent: the backend returns the existing order) and sends the `order_confirmation` template
through the notifications server. The backend is opened by the app's lifespan (`state.shop`):
the storefront MCP server deliberately has no "mark paid" tool, since any MCP client could call it.
After paying, the browser is redirected (POST/redirect/GET) so a reload never pays again.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from litestar import MediaType, Request, Response, Router, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from pydantic import BaseModel, Field, ValidationError

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
    load_or_create_link_secret,
    verify_payment_token,
)
from commerce.links import basket_state
from server.formatter import format_date, format_money
from server.identity import SESSION_COOKIE, SessionError, WebSessions
from server.pool import McpPool, ServerError
from shopmcp.settings import Settings

__all__ = ["STATIC_DIR", "pages_router"]

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
LOCALES = ("en", "es", "fr", "de")
TEXTS: dict[str, dict[str, str]] = json.loads((STATIC_DIR / "i18n.json").read_text("utf-8"))
"""The pages' strings, shared with the chat's JavaScript (it fetches the same file)."""
OUTBOX_SCAN = 200
"""How many recent e-mails to look through for the address a payment link was sent to."""


def _t(locale: str, key: str, **params: object) -> str:
    return TEXTS[locale].get(key, TEXTS["en"][key]).format(**params)


def page_locale(lang: str | None, accept_language: str | None) -> str:
    """`?lang=` when it names one of ours, else the first of ours in Accept-Language, else en."""
    if lang and lang[:2].lower() in LOCALES:
        return lang[:2].lower()
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LOCALES:
            return code
    return "en"


def _static(name: str) -> Response[bytes]:
    return Response((STATIC_DIR / name).read_bytes(), media_type=MediaType.HTML)


@get("/", include_in_schema=False)
async def chat_page(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    """The chat, with the browser's web session begun or renewed in an HttpOnly cookie: `/ws`
    reads the conversation from it, so no browser can name another's (server/identity.py)."""
    sessions: WebSessions = state.sessions
    settings: Settings = state.settings
    try:
        session_id = sessions.verify(request.cookies.get(SESSION_COOKIE, ""))
    except SessionError:
        session_id = None  # none yet, expired, or not ours: a new one
    response = _static("chat.html")
    response.set_cookie(
        SESSION_COOKIE,
        sessions.issue(session_id),
        max_age=sessions.ttl_seconds,
        path="/",
        httponly=True,
        samesite="lax",  # sent when a link brings the shopper back; not on other sites' requests
        secure=settings.public_base_url.startswith("https://"),
    )
    response.headers["Cache-Control"] = "no-store"  # a session cookie is one browser's only
    return response


@get("/playground", include_in_schema=False)
async def playground_page() -> Response[bytes]:
    return _static("playground.html")


# -- playground API -------------------------------------------------------------------------------


class PlaygroundIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    locale: str | None = Field(default=None, max_length=16)


@post("/api/playground", status_code=200, summary="Explain how the intent engine reads a message")
async def playground_api(request: Request[Any, Any, Any], state: State) -> Response[Any]:
    """analyze_intent with explain=true: intent, slots, rule, corrections, near misses, timing."""
    try:
        body = PlaygroundIn.model_validate_json(await request.body())
    except ValidationError as exc:
        return Response(
            {
                "error": 'the body must be JSON like {"text", "locale"?}',
                "problems": [e["msg"] for e in exc.errors()],
            },
            status_code=400,
        )
    pool: McpPool = state.pool
    arguments = {"message": body.text, "locale": body.locale or None, "explain": True}
    try:
        result = await pool.call("intent", "analyze_intent", arguments, safe_to_retry=True)
    except ServerError as exc:
        return Response({"error": f"the intent server is not answering: {exc}"}, status_code=503)
    if result.is_error or result.structured_content is None:
        message = next((getattr(b, "text", "") for b in result.content), "") or "analysis failed"
        return Response({"error": message}, status_code=422)
    return Response(dict(result.structured_content))


# -- checkout -------------------------------------------------------------------------------------


def _money(amount: int, currency: str, locale: str) -> str:
    return format_money(amount, currency, locale)


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
        f'<td class="num">{html.escape(_money(ln.unit_price, currency, locale))}</td>'
        f'<td class="num">{html.escape(_money(ln.line_total, currency, locale))}</td></tr>'
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
        f'<td class="num total" data-total="{total}">{html.escape(_money(total, currency, locale))}'
        "</td></tr></tfoot></table>"
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
    email = await _link_address(state.pool, token)
    amount = _money(basket.total, basket.currency, locale)
    expires = format_date(datetime.fromtimestamp(claims.expires_at, UTC), locale)
    title = _t(locale, "checkout.title")
    action = f"/checkout/{quote(token)}/pay"
    body = (
        f'<section data-state="open"><h1>{html.escape(title)}</h1>'
        f'<p class="muted">{html.escape(_t(locale, "checkout.intro"))}</p>'
        f"{_lines_table(basket.lines, basket.total, basket.currency, locale)}"
        f'<form method="post" action="{action}" class="pay">'
        f'<input type="hidden" name="lang" value="{locale}">'
        f"<label>{html.escape(_t(locale, 'checkout.email'))}"
        f'<input type="email" name="email" autocomplete="email" value="{html.escape(email or "")}">'
        f"</label>"
        f'<button type="submit" id="pay">{html.escape(_t(locale, "checkout.pay", amount=amount))}'
        f"</button></form>"
        f'<p class="muted small">{html.escape(_t(locale, "checkout.test_mode"))} '
        f"{html.escape(_t(locale, 'checkout.expires', date=expires))}</p></section>"
    )
    return _document(locale, title, body, 200)


@post("/checkout/{token:str}/pay", include_in_schema=False, status_code=303)
async def checkout_pay(
    state: State,
    token: str,
    data: Mapping[str, str] = Body(media_type=RequestEncodingType.URL_ENCODED),
) -> Response[Any]:
    """Pay (test mode): mark the basket's order paid, send the confirmation, show the order."""
    locale = page_locale(data.get("lang"), None)
    claims = _verify(state, token, locale)
    if isinstance(claims, Response):
        return claims
    shop: ShopBackend = state.shop
    try:
        basket = await shop.get_basket(claims.basket_id, locale=locale)
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
    email = (data.get("email") or "").strip() or await _link_address(state.pool, token)
    sent = await _confirm(state.pool, order, email, locale) if email else "none"
    query = urlencode({"lang": locale, "order": order.id, "sent": sent})
    return Redirect(f"/checkout/{quote(token)}?{query}", status_code=303)


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
    """Send `order_confirmation` by e-mail once per order and address: sent, stored or failed."""
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
        "idempotency_key": f"order-confirmation:{order.id}:{email}"[:200],
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


def pages_router() -> Router:
    """The pages and the static files; the app's lifespan sets `state.shop` and
    `state.link_secret` (see `link_secret`)."""
    return Router(
        path="/",
        route_handlers=[
            chat_page,
            playground_page,
            playground_api,
            checkout_page,
            checkout_pay,
            create_static_files_router(
                path="/static", directories=[STATIC_DIR], include_in_schema=False
            ),
        ],
    )


def link_secret(settings: Settings) -> bytes:
    """The secret the storefront signs payment links with (the same file or variable)."""
    return load_or_create_link_secret(settings.data_dir, settings.link_secret)
