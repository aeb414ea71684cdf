"""The shopper's pages: the web chat at `/`, the checkout behind a payment link, the playground.

The chat and the playground (`server/playground.py`) are static pages (`server/static`, no build
step) that talk to `/ws` and `POST /api/playground`; the checkout is rendered by
`server.checkout`, in the locale the link carries (`?lang=`) or the browser asks for.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, Router, get
from litestar.datastructures import State
from litestar.static_files import create_static_files_router

from commerce import load_or_create_link_secret
from server.checkout import checkout_page, checkout_pay
from server.identity import SESSION_COOKIE, SessionError, WebSessions
from server.page_texts import STATIC_DIR, page_locale
from server.playground import playground_api, playground_page
from shopmcp.settings import Settings

__all__ = ["STATIC_DIR", "link_secret", "page_locale", "pages_router"]


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


@get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response[bytes]:
    """Every browser asks for it on every page; an SVG answers (a 404 would be noise in the log)."""
    return Response(
        (STATIC_DIR / "favicon.svg").read_bytes(),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def pages_router() -> Router:
    """The pages and the static files; the app's lifespan sets `state.shop` and
    `state.link_secret` (see `link_secret`)."""
    return Router(
        path="/",
        route_handlers=[
            chat_page,
            favicon,
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
