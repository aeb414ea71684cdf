"""The shopper's pages: the web chat at `/`, the checkout behind a payment link, the playground.

The chat and the playground are static pages (`server/static`, no build step) that talk to `/ws`
and `POST /api/playground`; the checkout is rendered by `server.checkout`, in the locale the link
carries (`?lang=`) or the browser asks for.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, Router, get, post
from litestar.datastructures import State
from litestar.static_files import create_static_files_router
from pydantic import BaseModel, Field, ValidationError

from commerce import load_or_create_link_secret
from server.checkout import checkout_page, checkout_pay
from server.page_texts import STATIC_DIR, page_locale
from server.pool import McpPool, ServerError
from shopmcp.settings import Settings

__all__ = ["STATIC_DIR", "link_secret", "page_locale", "pages_router"]


def _static(name: str) -> Response[bytes]:
    return Response((STATIC_DIR / name).read_bytes(), media_type=MediaType.HTML)


@get("/", include_in_schema=False)
async def chat_page() -> Response[bytes]:
    return _static("chat.html")


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
