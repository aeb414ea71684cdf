"""The intent server's published schemas: pydantic at the wire."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    text: str = Field(max_length=4000)


class ConversationContext(BaseModel):
    """What the caller knows about the conversation; used by the AI fallback for references."""

    history: list[Turn] = Field(default_factory=list, max_length=50)
    last_intent: str | None = None
    pending_slot: str | None = None


class SlotValue(BaseModel):
    name: str
    value: Any
    text: str = Field(description="what the shopper wrote for it ('' when fixed by the pattern)")
    start: int
    end: int


class ToolCall(BaseModel):
    server: str
    tool: str
    arguments: dict[str, Any]


class MappingResult(BaseModel):
    intent: str
    call: ToolCall | None = Field(description="None: the orchestrator answers this intent itself")
    then: ToolCall | None = None
    missing: list[str] = Field(description="arguments the shopper still has to give")
    from_context: list[str] = Field(
        description="arguments the conversation supplies (basket id, the product an ordinal means)"
    )
    admin: bool
    needs_confirmation: bool
    available: bool = Field(description="false when the mapped tool is not among available_tools")


class IntentMatch(BaseModel):
    intent: str
    slots: dict[str, Any]
    spans: list[SlotValue]
    source: Literal["pattern", "fuzzy", "ai"]
    score: float
    rule: str
    corrections: list[dict[str, Any]] = Field(default_factory=list)
    tool_available: bool = True
    mapping: MappingResult | None = Field(
        default=None,
        description="the tool call these slots map to, as validate_mapping would answer it: a "
        "caller that keeps the slots as they are needs no second call",
    )


class IntentAnalysis(BaseModel):
    status: Literal["matched", "ambiguous", "none"]
    intent: str = Field(description="the first request's intent, or 'unknown'")
    slots: dict[str, Any]
    locale: str
    locale_detected: bool
    source: Literal["pattern", "fuzzy", "ai", "none"]
    score: float
    rule: str | None
    requests: list[IntentMatch] = Field(
        description="every request in the message, in order (two for 'add 2 shirts and pay')"
    )
    candidates: list[IntentMatch] = Field(
        default_factory=list, description="ambiguous: the tied intents; the caller should ask"
    )
    courtesy: list[str] = Field(default_factory=list, description="greetings or thanks around it")
    micros: float
    pattern_set: str
    near_misses: list[str] = Field(
        default_factory=list,
        description="explain: rules (file:line) whose words are there but whose pattern failed",
    )
    pattern_errors: list[str] = Field(
        default_factory=list,
        description="explain: why the last pattern reload failed (the last good version serves)",
    )


class Suggestion(BaseModel):
    intent: str
    score: float
    examples: list[str]


class Suggestions(BaseModel):
    locale: str
    suggestions: list[Suggestion]
