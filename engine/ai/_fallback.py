"""The AI fallback: what answers a message the patterns and the fuzzy stage could not.

`resolve()` sees only results with status none or ambiguous. It looks in the cache, then asks the
providers in order under one deadline (AI_TIMEOUT, every retry and wait included): a provider
whose circuit is open is skipped without a request; a 429 is retried after its retry-after when
that fits before the deadline, otherwise the next provider is asked; 5xx and connection errors get
the small retry budget; a malformed or out-of-contract answer goes to the next provider. The first
valid answer becomes a matched Result with source "ai"; when none comes, the original result is
returned unchanged, so the caller sees exactly what it would have seen without the fallback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from engine._compile import CompiledLocale
from engine._result import Match, Result, Slot
from engine.ai._answer import AIAnswer, locate_slots, validate_answer
from engine.ai._cache import NO_ANSWER, AnswerCache, CacheEntry, MemoryCache, RedisCache, cache_key
from engine.ai._prompt import Question, build_question
from engine.ai._providers import AnthropicProvider, GroqProvider, Provider
from engine.ai._records import RECORDS_FILE, AnswerLog
from engine.ai._resilience import CircuitBreaker, Clock, Deadline
from engine.ai.errors import InvalidAnswerError, ProviderError, RateLimitedError
from engine.contract import INTENTS
from engine.errors import EngineError

if TYPE_CHECKING:
    from engine._engine import IntentEngine
    from engine._reload import LiveEngine
    from shopmcp.settings import Settings

__all__ = ["AIFallback", "fallback_from_settings"]

logger = logging.getLogger(__name__)

DEFAULT_RETRIES = 1
"""Extra attempts per provider after a retryable failure: one, because the deadline is short and
the next provider is usually a better bet than a third try."""
BACKOFF_SECONDS = 0.2
"""First wait before retrying a 5xx or connection error (doubled per retry)."""
FAILURE_THRESHOLD = 3
COOLDOWN_SECONDS = 30.0
"""An open circuit stays open this long: long enough to stop hammering an outage, short enough
to notice its end within a minute."""
MIN_CONFIDENCE = 0.5
"""Answers the model itself rates below this are treated as "unknown": a wrong action costs more
than a "did you mean" question."""
DEFAULT_ANTHROPIC_URL = "https://api.anthropic.com"
DEFAULT_GROQ_URL = "https://api.groq.com"


class AIFallback:
    """Asks AI providers about messages the patterns missed; caches and records their answers."""

    def __init__(
        self,
        engine: IntentEngine | LiveEngine,
        providers: Sequence[Provider],
        *,
        cache: AnswerCache | None = None,
        log: AnswerLog | None = None,
        timeout: float = 4.0,
        retries: int = DEFAULT_RETRIES,
        failure_threshold: int = FAILURE_THRESHOLD,
        cooldown: float = COOLDOWN_SECONDS,
        min_confidence: float = MIN_CONFIDENCE,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._engine = engine
        self.providers = tuple(providers)
        self.cache = cache if cache is not None else MemoryCache()
        self.log = log
        self.timeout = timeout
        self.retries = retries
        self.min_confidence = min_confidence
        self._clock = clock
        self._sleep = sleep
        self.breakers = {
            p.name: CircuitBreaker(failure_threshold, cooldown, clock) for p in self.providers
        }

    def close(self) -> None:
        """Close the providers' clients and the cache's connection (call it at shutdown)."""
        for provider in self.providers:
            provider.close()
        close_cache = getattr(self.cache, "close", None)
        if close_cache is not None:
            close_cache()

    def __enter__(self) -> AIFallback:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _compiled(self, locale: str) -> CompiledLocale | None:
        # A LiveEngine swaps its engine on reload: read the current one at every call.
        engine = getattr(self._engine, "engine", self._engine)
        try:
            return engine.compiled(locale)
        except EngineError:
            return None

    def resolve(self, result: Result, history: Sequence[Mapping[str, Any]] | None = None) -> Result:
        """An AI answer for an unmatched or ambiguous result, or the result itself."""
        if result.status == "matched" or not self.providers or not result.text.strip():
            return result
        started = self._clock()
        compiled = self._compiled(result.locale)
        key = cache_key(result.text, result.locale)
        entry = self.cache.get(key)
        cached = entry is not None
        if entry is None:
            question = build_question(result, history, compiled)
            entry = self._ask(question, compiled, Deadline(self.timeout, self._clock))
            if entry is not None:
                self.cache.set(key, entry)
        if not isinstance(entry, AIAnswer) or entry.intent == "unknown":
            return result
        if entry.confidence < self.min_confidence:
            return result
        answer = self._with_spans(result.text, entry, compiled)
        if self.log is not None:
            self.log.record(result.text, result.locale, answer, cached=cached)
        return self._matched(result, answer, started)

    def _ask(
        self, question: Question, compiled: CompiledLocale | None, deadline: Deadline
    ) -> CacheEntry | None:
        """The first valid answer; NO_ANSWER when all answered unusably; None after any failure."""
        failed = False
        for provider in self.providers:
            breaker = self.breakers[provider.name]
            if deadline.expired:
                return None
            if not breaker.allow():
                failed = True
                continue
            try:
                answer = self._ask_one(provider, breaker, question, compiled, deadline)
            except InvalidAnswerError as exc:
                logger.warning("AI answer rejected: %s", exc)
                continue
            if answer is not None:
                return answer
            failed = True
        return None if failed else NO_ANSWER

    def _ask_one(
        self,
        provider: Provider,
        breaker: CircuitBreaker,
        question: Question,
        compiled: CompiledLocale | None,
        deadline: Deadline,
    ) -> AIAnswer | None:
        """One provider's answer, retried within the budget; None when it failed."""
        for attempt in range(self.retries + 1):
            remaining = deadline.remaining()
            if remaining <= 0:
                return None
            try:
                raw = provider.ask(question, remaining)
            except InvalidAnswerError:
                breaker.record_success()  # it is up and answering, however badly
                raise
            except ProviderError as exc:
                breaker.record_failure()
                logger.warning("AI provider failed (attempt %d): %s", attempt + 1, exc)
                if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
                    wait = exc.retry_after
                else:
                    wait = BACKOFF_SECONDS * 2**attempt
                if not exc.retryable or attempt == self.retries or wait >= deadline.remaining():
                    return None
                self._sleep(wait)
                continue
            breaker.record_success()  # it answered; whether the answer is usable is another matter
            return validate_answer(
                raw,
                provider=provider.name,
                model=provider.model,
                compiled=compiled,
                intents=question.intents,
            )
        return None

    @staticmethod
    def _with_spans(text: str, answer: AIAnswer, compiled: CompiledLocale | None) -> AIAnswer:
        spans = locate_slots(text, answer.slots, INTENTS.get(answer.intent, {}), compiled)
        return AIAnswer(
            answer.intent, answer.slots, answer.confidence, answer.provider, answer.model, spans
        )

    def _matched(self, result: Result, answer: AIAnswer, started: float) -> Result:
        types = INTENTS.get(answer.intent, {})
        slots = []
        for name, value in answer.slots.items():
            start, end = answer.spans.get(name, (0, 0))
            slots.append(Slot(name, value, result.text[start:end], start, end, types[name]))
        match = Match(
            intent=answer.intent,
            slots=tuple(slots),
            rule=f"ai:{answer.provider}:{answer.model}",
            score=answer.confidence,
            source="ai",
            end=len(result.text),
        )
        return Result(
            status="matched",
            locale=result.locale,
            text=result.text,
            matches=(match,),
            micros=result.micros + (self._clock() - started) * 1e6,
            locale_detected=result.locale_detected,
            courtesy=result.courtesy,
        )


def fallback_from_settings(
    settings: Settings, engine: IntentEngine | LiveEngine
) -> AIFallback | None:
    """The fallback the settings describe, or None when no provider has a key."""
    providers: list[Provider] = []
    for name in settings.ai_providers:
        if name == "anthropic" and settings.anthropic_api_key:
            import anthropic

            claude = anthropic.Anthropic(
                api_key=settings.anthropic_api_key,
                base_url=settings.anthropic_base_url or DEFAULT_ANTHROPIC_URL,
                max_retries=0,
                timeout=settings.ai_timeout_seconds,
            )
            providers.append(AnthropicProvider(claude, settings.anthropic_model))
        elif name == "groq" and settings.groq_api_key:
            import groq

            client = groq.Groq(
                api_key=settings.groq_api_key,
                base_url=settings.groq_base_url or DEFAULT_GROQ_URL,
                max_retries=0,
                timeout=settings.ai_timeout_seconds,
            )
            providers.append(GroqProvider(client, settings.groq_model))
    if not providers:
        return None
    cache: AnswerCache
    if settings.redis_url:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # Short timeouts and no retries (redis-py retries with backoff by default, seconds in
        # all): a Redis that is down or hangs must not eat the AI deadline; it reads as a miss.
        client = redis.Redis.from_url(
            settings.redis_url,
            socket_timeout=0.25,
            socket_connect_timeout=0.25,
            retry=Retry(NoBackoff(), 0),
        )
        cache = RedisCache(client)
    else:
        cache = MemoryCache()
    return AIFallback(
        engine,
        providers,
        cache=cache,
        log=AnswerLog(settings.data_dir / RECORDS_FILE),
        timeout=settings.ai_timeout_seconds,
    )
