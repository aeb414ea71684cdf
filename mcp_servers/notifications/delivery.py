"""Getting one message out: claim it in the outbox, then send it with bounded retries.

The outbox claim comes first and the provider call second, so every message is recorded before
anything can fail, and an idempotency key that is already taken short-circuits before any send.
A channel without a provider (no credentials) ends at `stored`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import anyio

from .errors import (
    DeliveryError,
    IdempotencyConflictError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from .models import Channel
from .outbox import Draft, Outbox, OutboxRecord
from .providers import Provider

__all__ = ["Notifier", "RetryPolicy"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: `attempts` in all, waiting `base_delay * 2**n` (capped) between them."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    attempt_timeout: float = 5.0
    """Seconds one attempt may take; past it the attempt counts as a transient failure."""
    total_timeout: float = 10.0
    """Seconds the whole delivery may take, waits included; then it is `failed` with the reason.
    Below the server's MCP call deadline (15 s), so the caller hears "not sent", not a timeout."""

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"RetryPolicy.attempts={self.attempts}; it must be at least 1")

    def delay(self, failed_attempts: int) -> float:
        """Seconds to wait after the `failed_attempts`-th failure."""
        return min(self.max_delay, self.base_delay * 2 ** (failed_attempts - 1))


class Notifier:
    """Sends drafts through the channel's provider, recording everything in the outbox."""

    def __init__(
        self,
        outbox: Outbox,
        providers: Mapping[Channel, Provider],
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        self.outbox = outbox
        self._providers = dict(providers)
        self._retry = retry

    async def deliver(self, draft: Draft, idempotency_key: str) -> tuple[OutboxRecord, bool]:
        """The outbox record of `draft`, and True if the key named an earlier message instead."""
        record, claimed = self.outbox.claim(draft, idempotency_key)
        if not claimed:
            if not draft.same_message(record):
                # the other message's recipient stays out: it may be someone else's address
                raise IdempotencyConflictError(
                    f"idempotency key {idempotency_key!r} already names {draft.channel} message "
                    f"#{record.id} with another recipient or content; use a new key for a new "
                    "message",
                    idempotency_key=idempotency_key,
                    channel=draft.channel,
                )
            return record, True
        provider = self._providers.get(draft.channel)
        if provider is None:
            return self.outbox.finish(record.id, "stored", attempts=0), False
        return await self._send(provider, record), False

    async def _send(self, provider: Provider, record: OutboxRecord) -> OutboxRecord:
        retry = self._retry
        attempt = 0
        last_error: DeliveryError | None = None
        try:
            with anyio.move_on_after(retry.total_timeout) as budget:
                for attempt in range(1, retry.attempts + 1):
                    try:
                        with anyio.fail_after(retry.attempt_timeout):
                            provider_id = await provider.send(record)
                    except PermanentDeliveryError as exc:
                        logger.warning("outbox #%d failed: %s", record.id, exc)
                        return self.outbox.finish(
                            record.id, "failed", attempts=attempt, error=str(exc)
                        )
                    except TransientDeliveryError as exc:
                        last_error = exc
                    except TimeoutError as exc:
                        last_error = TransientDeliveryError(
                            f"no answer from the {record.channel} provider within "
                            f"{retry.attempt_timeout} s"
                        )
                        last_error.__cause__ = exc
                    else:
                        return self.outbox.finish(
                            record.id, "sent", attempts=attempt, provider_message_id=provider_id
                        )
                    logger.warning(
                        "outbox #%d attempt %d/%d failed: %s",
                        record.id,
                        attempt,
                        retry.attempts,
                        last_error,
                    )
                    if attempt < retry.attempts and retry.base_delay > 0:
                        await anyio.sleep(retry.delay(attempt))
        except anyio.get_cancelled_exc_class():
            # The caller gave up (a timeout, a closed session): don't leave the row `sending`.
            self.outbox.finish(
                record.id,
                "failed",
                attempts=attempt,
                error="cancelled during attempt; the provider may or may not have delivered it",
            )
            raise
        if budget.cancelled_caught:
            reason = f"gave up after {retry.total_timeout:g} s ({attempt} attempts): {last_error}"
            if last_error is None:
                reason = (
                    f"no answer from the {record.channel} provider in {retry.total_timeout:g} s"
                )
            return self.outbox.finish(record.id, "failed", attempts=attempt, error=reason)
        return self.outbox.finish(
            record.id,
            "failed",
            attempts=retry.attempts,
            error=f"gave up after {retry.attempts} attempts: {last_error}",
        )
