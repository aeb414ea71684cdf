"""The AI fallback's errors, under the engine's root. Provider SDK errors are mapped to these at the
provider boundary (`engine/ai/_providers.py`), once; nothing above it sees an SDK exception:

EngineError
└── AIError                            something about asking a model went wrong
    ├── ProviderError                  the provider did not answer (status, connection); `retryable`
    │   ├── RateLimitedError           HTTP 429; carries the server's `retry_after` in seconds
    │   └── ProviderTimeoutError       no answer within the time left before the deadline
    └── InvalidAnswerError (ValueError) an answer that is malformed or outside the intent contract
"""

from __future__ import annotations

from engine.errors import EngineError

__all__ = [
    "AIError",
    "InvalidAnswerError",
    "ProviderError",
    "ProviderTimeoutError",
    "RateLimitedError",
]


class AIError(EngineError):
    """Root of the AI fallback's errors."""


class ProviderError(AIError):
    """A provider failed to answer. `retryable` says whether asking again may help."""

    def __init__(self, provider: str, message: str, *, retryable: bool = False) -> None:
        self.provider = provider
        self.retryable = retryable
        super().__init__(f"{provider}: {message}")


class RateLimitedError(ProviderError):
    """HTTP 429. `retry_after` is the wait the provider asked for, or None when it named none."""

    def __init__(self, provider: str, retry_after: float | None) -> None:
        self.retry_after = retry_after
        wait = f"retry after {retry_after:g} s" if retry_after is not None else "no retry-after"
        super().__init__(provider, f"rate limited (429, {wait})", retryable=True)


class ProviderTimeoutError(ProviderError):
    """The request outlived the time left before the fallback's deadline."""

    def __init__(self, provider: str, timeout: float) -> None:
        super().__init__(provider, f"no answer within {timeout:.2f} s", retryable=False)


class InvalidAnswerError(AIError, ValueError):
    """The provider answered, but the answer cannot be used; the message says what is wrong."""

    def __init__(self, provider: str, message: str) -> None:
        self.provider = provider
        super().__init__(f"{provider}: {message}")
