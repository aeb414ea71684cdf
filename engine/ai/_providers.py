"""The Provider protocol and its two implementations, Claude (anthropic) and Groq.

A provider takes its SDK client in the constructor (tests hand in clients aimed at local servers)
and turns a `Question` into the raw answer object, nothing more: retries, deadlines, circuit
breaking and validation are the fallback's job. Each SDK is imported only when its provider asks
(importing anthropic costs over a second, which `patterns suggest` should not pay), and its errors
are mapped to ours in `_sdk_errors`, once. The client is re-bound with `max_retries=0`, so the
fallback's retry budget is the only one.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from engine.ai._prompt import TOOL_NAME, Question
from engine.ai.errors import (
    InvalidAnswerError,
    ProviderError,
    ProviderTimeoutError,
    RateLimitedError,
)

if TYPE_CHECKING:
    import anthropic
    import groq

__all__ = ["AnthropicProvider", "GroqProvider", "Provider", "retry_after_seconds"]

MAX_ANSWER_TOKENS = 300
"""An answer is one small JSON object; a cap keeps a confused model from running up the bill."""
_TOOL_DESCRIPTION = "Record the intent, slots and confidence of the shopper's message."


@runtime_checkable
class Provider(Protocol):
    """Something that answers a Question with a raw {intent, slots, confidence} object."""

    name: str
    """`anthropic` or `groq`: the AI_PROVIDERS name, used in rules and records."""
    model: str

    def ask(self, question: Question, timeout: float) -> object:
        """The raw answer; raises ProviderError or InvalidAnswerError (malformed output)."""
        ...

    def close(self) -> None:
        """Release the client's connections."""
        ...


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The wait a 429 asks for: `retry-after-ms`, then `retry-after` in seconds or as a date."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@contextmanager
def _sdk_errors(provider: str, sdk: ModuleType, timeout: float) -> Iterator[None]:
    """Re-raise the SDK's errors as ours; both SDKs share the stainless error classes' names."""
    try:
        yield
    except sdk.APITimeoutError as exc:
        raise ProviderTimeoutError(provider, timeout) from exc
    except sdk.RateLimitError as exc:
        raise RateLimitedError(provider, retry_after_seconds(exc.response.headers)) from exc
    except sdk.APIStatusError as exc:
        retryable = exc.status_code >= 500 or exc.status_code in (408, 409)
        raise ProviderError(provider, f"HTTP {exc.status_code}", retryable=retryable) from exc
    except sdk.APIConnectionError as exc:
        raise ProviderError(provider, f"connection failed: {exc}", retryable=True) from exc
    except sdk.APIError as exc:
        raise ProviderError(provider, str(exc)) from exc
    except ValueError as exc:  # a body that is not JSON, or not the shape the SDK expects
        raise InvalidAnswerError(provider, f"the response could not be read: {exc}") from exc


class AnthropicProvider:
    """Claude through the Messages API, answering through one forced tool."""

    name = "anthropic"

    def __init__(self, client: anthropic.Anthropic, model: str) -> None:
        self._client = client.with_options(max_retries=0)
        self.model = model

    def close(self) -> None:
        self._client.close()

    def ask(self, question: Question, timeout: float) -> object:
        import anthropic

        with _sdk_errors(self.name, anthropic, timeout):
            message = self._client.messages.create(
                model=self.model,
                max_tokens=MAX_ANSWER_TOKENS,
                system=question.system,
                messages=[{"role": "user", "content": question.user}],
                tools=[
                    {
                        "name": TOOL_NAME,
                        "description": _TOOL_DESCRIPTION,
                        "input_schema": question.schema,
                    }
                ],
                tool_choice={"type": "tool", "name": TOOL_NAME, "disable_parallel_tool_use": True},
                timeout=timeout,
            )
        for block in message.content:
            if block.type == "tool_use" and block.name == TOOL_NAME:
                return block.input
        kinds = ", ".join(block.type for block in message.content) or "nothing"
        raise InvalidAnswerError(self.name, f"expected a {TOOL_NAME} tool call, got {kinds}")


class GroqProvider:
    """Groq's OpenAI-compatible chat completions, answering through one forced function call.

    A forced function works on every Groq model with tool use; `response_format: json_schema`
    only on some, so the function is the portable choice.
    """

    name = "groq"

    def __init__(self, client: groq.Groq, model: str) -> None:
        self._client = client.with_options(max_retries=0)
        self.model = model

    def close(self) -> None:
        self._client.close()

    def ask(self, question: Question, timeout: float) -> object:
        import groq

        with _sdk_errors(self.name, groq, timeout):
            completion = self._client.chat.completions.create(
                model=self.model,
                max_tokens=MAX_ANSWER_TOKENS,
                temperature=0.0,
                messages=[
                    {"role": "system", "content": question.system},
                    {"role": "user", "content": question.user},
                ],
                tools=[
                    {
                        "type": "function",
                        "function": {
                            "name": TOOL_NAME,
                            "description": _TOOL_DESCRIPTION,
                            "parameters": question.schema,
                        },
                    }
                ],
                tool_choice={"type": "function", "function": {"name": TOOL_NAME}},
                timeout=timeout,
            )
        if not completion.choices:
            raise InvalidAnswerError(self.name, "the completion has no choices")
        calls = completion.choices[0].message.tool_calls or []
        call = next((c for c in calls if c.function.name == TOOL_NAME), None)
        if call is None:
            raise InvalidAnswerError(self.name, f"expected a {TOOL_NAME} function call, got none")
        return _json_arguments(self.name, call.function.arguments)


def _json_arguments(provider: str, arguments: str) -> Any:
    try:
        return json.loads(arguments)
    except ValueError as exc:
        raise InvalidAnswerError(
            provider, f"the function arguments are not JSON ({exc}): {arguments[:200]!r}"
        ) from exc
