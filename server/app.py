"""The HTTP application on port 3300: routes validate, the orchestrator does the rest.

`create_app(settings)` builds a Litestar app whose lifespan starts the MCP servers (McpPool) and
opens the conversation store (Redis when REDIS_URL is set), so tests and `shopmcp serve` run the
same thing. Long-lived resources are shut down bounded when the app stops.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from litestar import Litestar, Request, Response, WebSocket, get, post, websocket
from litestar.datastructures import State
from litestar.exceptions import HTTPException, WebSocketDisconnect
from litestar.logging.config import LoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.status_codes import WS_1008_POLICY_VIOLATION
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from commerce import open_backend
from server.connections import BodyDeadline
from server.dedupe import Dedupe
from server.httplog import log_exception
from server.identity import (
    CredentialsError,
    SessionError,
    WebSessions,
    authenticate,
    socket_caller,
)
from server.locale import UnsupportedLocaleError
from server.metrics import METRICS, OUTBOX_FILENAME, Metrics
from server.observe import ObservabilityPlugin, observe
from server.openapi import message_operation
from server.orchestrator import Orchestrator
from server.pages import link_secret, pages_router
from server.pool import McpPool, server_parameters
from server.ratelimit import RateLimiter, message_limits, too_many_requests
from server.store import ConversationStore, MemoryStore, RedisStore
from server.types import ClientType, InboundMessage, Reply
from server.webhooks import webhook_router
from shopmcp.logs import configure
from shopmcp.settings import Settings

__all__ = ["MessageIn", "MessageOut", "app_from_env", "create_app"]

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024


class MessageIn(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    user_id: str = Field(alias="userId", min_length=1, max_length=128)
    message: str = Field(min_length=1)
    client_type: ClientType = Field(alias="clientType")
    locale: str | None = Field(default=None, max_length=16)


class MessageOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    response: str
    intent: str
    slots: dict[str, Any]
    locale: str
    data: dict[str, Any]
    suggestions: list[str]
    conversation_id: str = Field(alias="conversationId")

    @classmethod
    def of(cls, reply: Reply) -> MessageOut:
        return cls(
            response=reply.response,
            intent=reply.intent,
            slots=reply.slots,
            locale=reply.locale,
            data=reply.data,
            suggestions=reply.suggestions,
            conversationId=reply.conversation_id,
        )


def _error(status: int, message: str, **extra: Any) -> Response[dict[str, Any]]:
    return Response({"error": message, **extra}, status_code=status)


def _too_large(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    """Litestar refuses an oversized body before any handler runs; answer in our shape."""
    return _error(
        413, f"the body is larger than {MAX_BODY_BYTES // 1024} KiB; send one message at a time"
    )


async def _answer(state: State, inbound: InboundMessage) -> Reply:
    orchestrator: Orchestrator = state.orchestrator
    metrics: Metrics = state.metrics
    with metrics.message(inbound) as seen:
        seen.reply = reply = await orchestrator(inbound)
    return reply


async def _check_limits(
    state: State, user_id: str, text: str, address: str
) -> Response[dict[str, Any]] | None:
    settings: Settings = state.settings
    metrics: Metrics = state.metrics
    if len(text) > settings.max_message_chars:
        metrics.errors["too_long"] += 1
        return _error(
            413,
            f"the message has {len(text)} characters; the limit is {settings.max_message_chars}",
        )
    limiter: RateLimiter = state.limiter
    refusal = await limiter.check(message_limits(settings, user_id, address))
    if refusal is not None:
        metrics.errors["rate_limited"] += 1
        return too_many_requests(refusal)
    return None


@post(
    "/api/message",
    status_code=200,
    summary="Send a shopper's or admin's message and get the answer",
    operation_class=message_operation(MessageIn, MessageOut),
)
async def post_message(request: Request[Any, Any, Any], state: State) -> Response[Any]:
    metrics: Metrics = state.metrics
    try:
        raw = await request.body()
    except HTTPException as exc:  # larger than MAX_BODY_BYTES: Litestar stops reading
        metrics.errors["too_large"] += 1
        return _error(
            exc.status_code,
            f"the body is larger than {MAX_BODY_BYTES // 1024} KiB; send one message at a time",
        )
    try:
        body = MessageIn.model_validate_json(raw)
    except ValidationError as exc:
        metrics.errors["invalid"] += 1
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()
        ]
        return _error(
            400,
            'the body must be JSON like {"userId", "message", "clientType", "locale"?}',
            problems=problems,
        )
    try:
        caller = authenticate(request.headers.get("authorization"), state.settings)
    except CredentialsError as exc:
        metrics.errors["bad_admin_key"] += 1
        return _error(401, str(exc))
    conversation = caller.conversation(body.user_id)
    address = request.client.host if request.client else "unknown"
    limited = await _check_limits(state, conversation, body.message, address)
    if limited is not None:
        return limited
    inbound = InboundMessage(
        user_id=conversation,
        text=body.message,
        client_type=body.client_type,
        locale=body.locale,
        accept_language=request.headers.get("accept-language"),
        admin=caller.admin,
    )
    try:
        reply = await _answer(state, inbound)
    except UnsupportedLocaleError as exc:
        metrics.errors["locale"] += 1
        return _error(422, str(exc))
    return Response(MessageOut.of(reply).model_dump(by_alias=True))


@websocket("/ws")
async def chat_socket(socket: WebSocket[Any, Any, Any]) -> None:
    """Each text frame is a MessageIn JSON; each answer a MessageOut JSON (or {"error"}).

    A wrong key or web session gets an error frame and the socket closes (1008), as POST gets 401.
    """
    await socket.accept()
    state = socket.app.state
    try:
        caller = socket_caller(socket.headers, socket.cookies, state.settings, state.sessions)
    except (CredentialsError, SessionError) as exc:
        reason = "bad_session" if isinstance(exc, SessionError) else "bad_admin_key"
        state.metrics.errors[reason] += 1
        await socket.send_json({"error": str(exc), "status": 401})
        await socket.close(code=WS_1008_POLICY_VIOLATION, reason="unauthorized")
        return
    try:
        while True:
            raw = await socket.receive_text()
            if len(raw.encode()) > MAX_BODY_BYTES:
                await socket.send_json(
                    {"error": f"frames are limited to {MAX_BODY_BYTES} bytes", "status": 413}
                )
                continue
            try:
                body = MessageIn.model_validate_json(raw)
            except ValidationError as exc:
                await socket.send_json(
                    {
                        "error": "invalid message",
                        "status": 400,
                        "problems": [e["msg"] for e in exc.errors()],
                    }
                )
                continue
            conversation = caller.conversation(body.user_id)
            address = socket.client.host if socket.client else "unknown"
            limited = await _check_limits(state, conversation, body.message, address)
            if limited is not None:
                await socket.send_json({**limited.content, "status": limited.status_code})
                continue
            inbound = InboundMessage(
                user_id=conversation,
                text=body.message,
                client_type=body.client_type,
                locale=body.locale,
                accept_language=socket.headers.get("accept-language"),
                admin=caller.admin,
            )
            try:
                reply = await _answer(state, inbound)
            except UnsupportedLocaleError as exc:
                await socket.send_json({"error": str(exc), "status": 422})
                continue
            await socket.send_json(MessageOut.of(reply).model_dump(by_alias=True))
    except WebSocketDisconnect:
        return


@get("/health", summary="Each MCP server's state, Redis, and the pattern set version")
async def health(state: State) -> Response[dict[str, Any]]:
    pool: McpPool = state.pool
    store: ConversationStore = state.store
    servers = {name: s.as_dict() for name, s in pool.states().items()}
    redis_state = (
        "absent" if isinstance(store, MemoryStore) else ("up" if await store.ping() else "down")
    )
    all_up = all(s["status"] == "up" for s in servers.values())
    status = "ok" if all_up and redis_state != "down" else "degraded"
    return Response(
        {
            "status": status,
            "servers": servers,
            "redis": redis_state,
            "patternSet": state.pattern_set,
        },
        status_code=200 if status == "ok" else 503,
    )


@get("/metrics", media_type="text/plain; version=0.0.4", summary="Prometheus metrics")
async def metrics_route(state: State) -> str:
    metrics: Metrics = state.metrics
    return metrics.render(state.pool, state.settings.data_dir / OUTBOX_FILENAME)


def create_app(
    settings: Settings,
    *,
    pool: McpPool | None = None,
    store: ConversationStore | None = None,
) -> Litestar:
    """The application; `pool` and `store` can be handed in (tests), else built from settings."""
    # redis-py connects on first use, so the client can exist before the app starts
    redis_client = (
        aioredis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
        if settings.redis_url and store is None
        else None
    )
    if store is None:
        if redis_client is not None:
            store = RedisStore(redis_client)
        else:
            logger.warning("REDIS_URL is not set: conversations live in this process only")
            store = MemoryStore()
    conversation_store = store

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        mcp_pool = pool or McpPool(server_parameters(settings))
        # the checkout pages mark orders paid on the backend itself (server/pages.py says why)
        async with mcp_pool, open_backend(settings) as shop:
            app.state.shop = shop
            app.state.link_secret = link_secret(settings)
            app.state.sessions = WebSessions(app.state.link_secret)
            app.state.pool = mcp_pool
            app.state.store = conversation_store
            app.state.orchestrator = Orchestrator(mcp_pool, conversation_store)
            app.state.pattern_set = await _pattern_set(mcp_pool)
            try:
                yield
            finally:
                if redis_client is not None:
                    await redis_client.aclose()

    app_ref: list[Litestar] = []

    async def handle(message: InboundMessage) -> Reply:
        return await _answer(app_ref[0].state, message)

    async def send_reply(channel: str, to: str, text: str, idempotency_key: str) -> None:
        tool = {"whatsapp": "send_whatsapp_message", "instagram": "send_instagram_message"}[channel]
        mcp_pool: McpPool = app_ref[0].state.pool
        result = await mcp_pool.call(
            "notifications", tool, {"to": to, "text": text, "idempotency_key": idempotency_key}
        )
        if result.is_error:
            logger.warning("reply on %s to %s failed: %s", channel, to, result.content)

    webhooks = webhook_router(handle, settings, Dedupe(redis_client), send_reply)
    app = Litestar(
        route_handlers=[post_message, chat_socket, health, metrics_route, webhooks, pages_router()],
        lifespan=[lifespan],
        state=State(
            {
                "settings": settings,
                "metrics": METRICS,
                "pattern_set": None,
                "limiter": RateLimiter(redis_client),
            }
        ),
        request_max_body_size=MAX_BODY_BYTES,
        middleware=[
            DefineMiddleware(
                BodyDeadline, timeout=settings.body_timeout_seconds, max_bytes=MAX_BODY_BYTES
            )
        ],
        openapi_config=OpenAPIConfig(title="shopmcp", version="0.1.0", path="/schema"),
        logging_config=LoggingConfig(
            log_exceptions="always", exception_logging_handler=log_exception
        ),
        exception_handlers={413: _too_large},
        plugins=[ObservabilityPlugin()],
    )
    app_ref.append(observe(app))
    return app


def app_from_env() -> Litestar:
    """The app as a factory, for uvicorn's worker processes: each builds its own from the env.

    `shopmcp serve --workers N` and `uvicorn --factory server.app:app_from_env --workers N` use it.
    """
    settings = Settings.from_env()
    if not logging.getLogger().handlers:  # run by another ASGI server than `shopmcp serve`
        configure(settings.log_format, settings.log_level)
    return create_app(settings)


async def _pattern_set(pool: McpPool) -> str | None:
    try:
        result = await pool.call(
            "intent", "analyze_intent", {"message": "hello"}, safe_to_retry=True
        )
    except Exception as exc:  # health reports it; the app still starts and apologizes per request
        logger.warning("intent server not answering at startup: %s", exc)
        return None
    return (result.structured_content or {}).get("pattern_set")
