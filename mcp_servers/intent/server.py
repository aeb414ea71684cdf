"""The intent MCP server: the engine behind three tools, with patterns that hot-reload.

The lifespan starts a `LiveEngine` watching the pattern directory, so a saved pattern file is live
in the running server; a broken save keeps the last good patterns serving. `analyze_intent` runs
the engine (and the AI fallback, when one is configured) on a worker thread: the engine is
synchronous and takes microseconds, the fallback may take a network round trip. Failures are
returned as data (`mcp_servers.errors`): `unknown_locale`, `analysis_failed`, `unknown_intent`,
`unknown_slot`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.types import ToolAnnotations
from pydantic import Field

from engine import EngineError, LiveEngine, Match, Result, UnknownLocaleError, suggest
from engine.contract import ADMIN_INTENTS, INTENTS
from mcp_servers.errors import CodedMCPServer, ToolFailure
from shopmcp.settings import Settings

from .mapping import map_intent
from .models import (
    ConversationContext,
    IntentAnalysis,
    IntentMatch,
    MappingResult,
    SlotValue,
    Suggestion,
    Suggestions,
    ToolCall,
)

__all__ = ["IntentState", "create_server"]

logger = logging.getLogger(__name__)

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True)
MAX_MESSAGE_CHARS = 4000


@dataclass(frozen=True, slots=True)
class IntentState:
    live: LiveEngine
    fallback: Any | None
    """engine.ai.AIFallback when an AI provider is configured."""


def _fallback(settings: Settings, live: LiveEngine) -> Any | None:
    try:
        from engine.ai import fallback_from_settings
    except ImportError:
        return None
    return fallback_from_settings(settings, live)  # the live engine: list values follow reloads


def _mapping(
    intent: str, slots: dict[str, Any], locale: str, available_tools: set[str] | None
) -> MappingResult:
    """The tool call `intent` with `slots` maps to (the intent and slots are in the contract)."""
    mapping = map_intent(intent, slots, locale)

    def call(target: Any, arguments: dict[str, Any]) -> ToolCall | None:
        return (
            None
            if target is None
            else ToolCall(server=target.server, tool=target.tool, arguments=arguments)
        )

    names = [t.tool for t in (mapping.target, mapping.then) if t is not None]
    return MappingResult(
        intent=intent,
        call=call(mapping.target, mapping.arguments),
        then=call(mapping.then, mapping.then_arguments),
        missing=mapping.missing,
        from_context=mapping.from_context,
        admin=mapping.admin,
        needs_confirmation=mapping.needs_confirmation,
        available=available_tools is None or all(n in available_tools for n in names),
    )


def _match_model(m: Match, available_tools: set[str] | None, locale: str) -> IntentMatch:
    slots = m.values()
    mapping = _mapping(m.intent, slots, locale, available_tools) if m.intent in INTENTS else None
    tool = mapping.call.tool if mapping and mapping.call else None
    return IntentMatch(
        intent=m.intent,
        slots=slots,
        spans=[
            SlotValue(name=s.name, value=s.value, text=s.text, start=s.start, end=s.end)
            for s in m.slots
        ],
        source=m.source,
        score=m.score,
        rule=m.rule,
        corrections=[
            {"from": c.original, "to": c.corrected, "start": c.start, "end": c.end}
            for c in m.corrections
        ],
        tool_available=available_tools is None or tool is None or tool in available_tools,
        mapping=mapping,
    )


def _analysis(result: Result, version: str, available: set[str] | None) -> IntentAnalysis:
    requests = (
        [_match_model(m, available, result.locale) for m in result.matches]
        if result.status == "matched"
        else []
    )
    best = requests[0] if requests else None
    return IntentAnalysis(
        status=result.status,
        intent=best.intent if best else "unknown",
        slots=best.slots if best else {},
        locale=result.locale,
        locale_detected=result.locale_detected,
        source=best.source if best else "none",
        score=best.score if best else 0.0,
        rule=best.rule if best else None,
        requests=requests,
        candidates=[_match_model(m, available, result.locale) for m in result.matches]
        if result.status == "ambiguous"
        else [],
        courtesy=[m.intent for m in result.courtesy],
        micros=round(result.micros, 1),
        pattern_set=version,
    )


def _unknown_locale(exc: UnknownLocaleError) -> ToolFailure:
    return ToolFailure("unknown_locale", str(exc), locale=exc.locale, supported=list(exc.supported))


def _state(ctx: Context) -> IntentState:
    return ctx.request_context.lifespan_context  # type: ignore[no-any-return]


def create_server(settings: Settings | None = None) -> MCPServer[IntentState]:
    resolved = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(_: MCPServer[IntentState]) -> AsyncIterator[IntentState]:
        live = LiveEngine(
            resolved.patterns_dir,
            default_currency=resolved.default_currency,
            cache_dir=resolved.data_dir / "pattern-cache",
        )
        for error in live.errors:
            logger.error("pattern error (the last good version serves): %s", error)
        live.start()
        live.warm()
        fallback = _fallback(resolved, live)
        try:
            yield IntentState(live, fallback)
        finally:
            live.stop()
            if fallback is not None:
                fallback.close()

    server: MCPServer[IntentState] = CodedMCPServer(
        "shopmcp-intent",
        version="0.1.0",
        instructions=(
            "Understands shoppers' and shop admins' messages in en, es, fr and de: the intent, "
            "its slots, the tool that serves it and what is still missing."
        ),
        lifespan=lifespan,
    )

    @server.tool(annotations=READ_ONLY)
    async def analyze_intent(
        ctx: Context,
        message: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE_CHARS)],
        conversation_context: ConversationContext | None = None,
        available_tools: list[str] | None = None,
        locale: Annotated[str | None, Field(max_length=16)] = None,
        explain: Annotated[
            bool, Field(description="also list near misses and pattern reload errors")
        ] = False,
    ) -> IntentAnalysis:
        """The intents and slots of a message; the locale is detected when not given."""
        state = _state(ctx)
        engine = state.live.engine

        def ask_the_ai(result: Result) -> Result:
            assert state.fallback is not None
            history = (
                [t.model_dump() for t in conversation_context.history]
                if conversation_context
                else []
            )
            return state.fallback.resolve(result, history=history)

        try:
            # the engine answers in tens of microseconds, less than a hop to a worker thread
            # costs; only the AI fallback waits on the network, so only it leaves the loop
            result = engine.recognize(message, locale, explain=explain)
            if state.fallback is not None and result.status != "matched":
                result = await anyio.to_thread.run_sync(ask_the_ai, result)
        except UnknownLocaleError as exc:
            raise _unknown_locale(exc) from exc
        except EngineError as exc:
            raise ToolFailure(
                "analysis_failed", f"the message could not be analyzed: {exc}"
            ) from exc
        tools = set(available_tools) if available_tools is not None else None
        analysis = _analysis(result, engine.version, tools)
        if explain:
            analysis.near_misses = list(result.near_misses)
            analysis.pattern_errors = [str(e) for e in state.live.errors]
        return analysis

    @server.tool(annotations=READ_ONLY)
    async def validate_mapping(
        intent: str,
        slots: dict[str, Any] | None = None,
        available_tools: list[str] | None = None,
        locale: str = "en",
    ) -> MappingResult:
        """The tool call an intent maps to, its arguments, and which are still missing."""
        if intent not in INTENTS:
            raise ToolFailure(
                "unknown_intent",
                f"unknown intent {intent!r}; the intents are: {', '.join(sorted(INTENTS))}",
                intent=intent,
                intents=sorted(INTENTS),
            )
        values = slots or {}
        allowed = INTENTS[intent]
        extra = sorted(set(values) - set(allowed))
        if extra:
            raise ToolFailure(
                "unknown_slot",
                f"intent {intent!r} has no slot {', '.join(extra)}; its slots are: "
                + (", ".join(allowed) or "none"),
                intent=intent,
                slots=extra,
                allowed=list(allowed),
            )
        tools = set(available_tools) if available_tools is not None else None
        return _mapping(intent, values, locale, tools)

    @server.tool(annotations=READ_ONLY)
    async def get_suggestions(
        ctx: Context,
        message: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE_CHARS)],
        locale: Annotated[str | None, Field(max_length=16)] = None,
        limit: Annotated[int, Field(ge=1, le=10)] = 3,
        admin: Annotated[
            bool, Field(description="include admin intents (create, update, delete products)")
        ] = False,
    ) -> Suggestions:
        """The intents closest to a message and example phrasings of each ("did you mean");
        a shopper (admin false) is never offered an admin command."""
        engine = _state(ctx).live.engine
        try:
            code = locale or engine.detect_locales(message)[0]
            engine.compiled(code)
        except UnknownLocaleError as exc:
            raise _unknown_locale(exc) from exc
        # ask for enough to fill `limit` after the admin intents are left out
        wanted = limit if admin else limit + len(ADMIN_INTENTS)
        # the first call per locale builds the examples' index (about a second): off the loop,
        # so the server keeps answering meanwhile (the pool's liveness probe among others)
        nearest = await anyio.to_thread.run_sync(suggest, engine, message, code, wanted)
        found = [s for s in nearest if admin or s.intent not in ADMIN_INTENTS]
        found = found[:limit]
        return Suggestions(
            locale=code,
            suggestions=[
                Suggestion(intent=s.intent, score=s.score, examples=list(s.examples)) for s in found
            ],
        )

    return server
