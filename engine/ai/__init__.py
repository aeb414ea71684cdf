"""The AI fallback: messages the patterns and the fuzzy stage miss go to Claude or Groq.

Answers are held to the intent contract (engine.contract), cached by normalized text and locale,
and recorded, so `shopmcp patterns suggest` can turn them into patterns and the next such message
costs nothing. Synchronous like the rest of the engine; the provider SDKs are imported only when a
provider is configured. docs/ai-fallback.md describes the routing, the costs and the settings.
"""

from engine.ai._answer import AIAnswer, locate_slots, validate_answer
from engine.ai._cache import NO_ANSWER, AnswerCache, MemoryCache, RedisCache, cache_key
from engine.ai._fallback import AIFallback, fallback_from_settings
from engine.ai._prompt import TOOL_NAME, Question, answer_schema, build_question
from engine.ai._providers import AnthropicProvider, GroqProvider, Provider
from engine.ai._records import RECORDS_FILE, AnswerLog, read_records
from engine.ai._resilience import CircuitBreaker, Deadline
from engine.ai._suggest import Suggestion, suggest, suggest_main
from engine.ai.errors import (
    AIError,
    InvalidAnswerError,
    ProviderError,
    ProviderTimeoutError,
    RateLimitedError,
)

__all__ = [
    "NO_ANSWER",
    "RECORDS_FILE",
    "TOOL_NAME",
    "AIAnswer",
    "AIError",
    "AIFallback",
    "AnswerCache",
    "AnswerLog",
    "AnthropicProvider",
    "CircuitBreaker",
    "Deadline",
    "GroqProvider",
    "InvalidAnswerError",
    "MemoryCache",
    "Provider",
    "ProviderError",
    "ProviderTimeoutError",
    "Question",
    "RateLimitedError",
    "RedisCache",
    "Suggestion",
    "answer_schema",
    "build_question",
    "cache_key",
    "fallback_from_settings",
    "locate_slots",
    "read_records",
    "suggest",
    "suggest_main",
    "validate_answer",
]
