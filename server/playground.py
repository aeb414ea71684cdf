"""The pattern playground: `/playground` and `POST /api/playground` (analyze_intent, explained).

It is public, because trying what the shop understands is useful to anyone, but what it shows
depends on who asks. Without the admin key it shows how a shopper's message is read (intent,
slots and where they were typed, corrections, locale, timing) and nothing of the machinery: admin
intents read as not understood, and rule locations (`patterns/es/basket.intents:14`), near misses,
reload errors and the tools an intent maps to are left out. With `Authorization: Bearer
<ADMIN_API_KEY>` it shows everything, for pattern authors. Each analysis costs the intent server a
call that shoppers are waiting on too, so keyless callers are rate-limited per address and overall.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import State
from pydantic import BaseModel, Field, ValidationError

from server.pool import McpPool, ServerError
from server.ratelimit import RateLimiter, playground_limits, too_many_requests
from shopmcp.settings import Settings

__all__ = ["PlaygroundIn", "playground_api", "playground_page", "public_analysis"]

PAGE = Path(__file__).parent / "static" / "playground.html"

# The fields of a match that describe the shopper's message; everything else (rule, mapping, tool
# availability) describes the system.
_PUBLIC_MATCH_FIELDS = ("intent", "slots", "spans", "source", "score", "corrections")


class PlaygroundIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    locale: str | None = Field(default=None, max_length=16)


def _is_admin_intent(match: dict[str, Any]) -> bool:
    mapping = match.get("mapping") or {}
    return bool(mapping.get("admin"))


def _public_match(match: dict[str, Any]) -> dict[str, Any]:
    return {k: match[k] for k in _PUBLIC_MATCH_FIELDS if k in match}


def public_analysis(analysis: dict[str, Any]) -> dict[str, Any]:
    """An analysis as a keyless caller sees it: shopper intents only, no rules, files or tools."""
    requests = [_public_match(m) for m in analysis.get("requests", []) if not _is_admin_intent(m)]
    candidates = [
        _public_match(m) for m in analysis.get("candidates", []) if not _is_admin_intent(m)
    ]
    status = analysis.get("status", "none")
    if status == "matched" and not requests:
        status = "none"
    if status == "ambiguous" and not candidates:
        status = "none"
    best = requests[0] if requests else None
    return {
        "status": status,
        "intent": best["intent"] if best else "unknown",
        "slots": best["slots"] if best else {},
        "locale": analysis.get("locale"),
        "locale_detected": analysis.get("locale_detected"),
        "source": best["source"] if best else "none",
        "score": best["score"] if best else 0.0,
        "requests": requests,
        "candidates": candidates,
        "courtesy": analysis.get("courtesy", []),
        "micros": analysis.get("micros"),
        "pattern_set": analysis.get("pattern_set"),
        "view": "public",
    }


def _admin(request: Request[Any, Any, Any], settings: Settings) -> bool | None:
    """True with the admin key, False without a key, None with another key (a 401)."""
    header = request.headers.get("authorization")
    if not header:
        return False
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not settings.admin_api_key:
        return None
    given, expected = key.strip().encode(), settings.admin_api_key.encode()
    return True if hmac.compare_digest(given, expected) else None


@get("/playground", include_in_schema=False)
async def playground_page() -> Response[bytes]:
    return Response(PAGE.read_bytes(), media_type=MediaType.HTML)


@post("/api/playground", status_code=200, summary="Explain how the intent engine reads a message")
async def playground_api(request: Request[Any, Any, Any], state: State) -> Response[Any]:
    """analyze_intent with explain=true; rules, near misses and tools only with the admin key."""
    settings: Settings = state.settings
    admin = _admin(request, settings)
    if admin is None:
        return Response(
            {"error": "the Authorization bearer key is not the admin key"}, status_code=401
        )
    if not admin:
        limiter: RateLimiter = state.limiter
        address = request.client.host if request.client else "unknown"
        refusal = await limiter.check(playground_limits(settings, address))
        if refusal is not None:
            return too_many_requests(refusal)
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
    analysis = dict(result.structured_content)
    return Response({**analysis, "view": "admin"} if admin else public_analysis(analysis))
