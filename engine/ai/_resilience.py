"""Deadline and circuit breaker: what keeps a slow or failing provider from slowing every message.

Both read time from an injected monotonic clock, so tests move time forward instead of sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

__all__ = ["CircuitBreaker", "Clock", "Deadline"]

Clock = Callable[[], float]
"""Seconds from a monotonic origin (`time.monotonic`)."""


class Deadline:
    """A point in time every attempt and every wait of one answer must fit before."""

    def __init__(self, seconds: float, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self.at = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self.at - self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0


class CircuitBreaker:
    """Closed → (N consecutive failures) → open → (cool-down) → half-open → one trial call.

    While open, `allow()` is False and the provider is skipped without a request. After the
    cool-down one caller gets a trial: its success closes the circuit, its failure opens it again
    for another cool-down. Thread-safe: the intent server resolves messages on worker threads.
    """

    def __init__(
        self, failure_threshold: int = 3, cooldown: float = 30.0, clock: Clock = time.monotonic
    ) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold={failure_threshold} must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_out = False

    @property
    def state(self) -> Literal["closed", "open", "half-open"]:
        with self._lock:
            return self._state()

    def _state(self) -> Literal["closed", "open", "half-open"]:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.cooldown:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        """Whether a request may be sent now; in half-open, only the first caller's may."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half-open" and not self._trial_out:
                self._trial_out = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_out = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_out or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()
                self._trial_out = False
