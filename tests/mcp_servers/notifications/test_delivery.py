"""The Notifier on its own, with providers scripted in the test: retries, timeouts, cancellation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from mcp_servers.notifications import PermanentDeliveryError, RetryPolicy, TransientDeliveryError
from mcp_servers.notifications.delivery import Notifier
from mcp_servers.notifications.outbox import Draft, Outbox, OutboxRecord

pytestmark = pytest.mark.anyio

_DRAFT = Draft(channel="sms", recipient="+34612345678", body="Hola")


class _Hangs:
    """A provider that never answers."""

    def __init__(self) -> None:
        self.calls = 0

    async def send(self, record: OutboxRecord) -> str:
        self.calls += 1
        await anyio.sleep_forever()
        raise AssertionError("unreachable")


class _Scripted:
    """A provider that raises the scripted errors in turn, then accepts."""

    def __init__(self, *errors: Exception) -> None:
        self._errors = list(errors)
        self.calls = 0

    async def send(self, record: OutboxRecord) -> str:
        self.calls += 1
        if self._errors:
            raise self._errors.pop(0)
        return f"id-{record.id}"


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    outbox = Outbox.open(tmp_path / "outbox.sqlite3")
    yield outbox
    outbox.close()


def test_backoff_doubles_from_the_base_delay_up_to_the_cap() -> None:
    policy = RetryPolicy(attempts=6, base_delay=0.5, max_delay=3.0)

    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_a_policy_without_attempts_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RetryPolicy(attempts=0)


async def test_transient_errors_are_retried_and_permanent_ones_are_not(outbox: Outbox) -> None:
    provider = _Scripted(TransientDeliveryError("busy"), PermanentDeliveryError("no such number"))
    notifier = Notifier(outbox, {"sms": provider}, RetryPolicy(attempts=3, base_delay=0))

    with anyio.fail_after(5):
        record, duplicate = await notifier.deliver(_DRAFT, "k")

    assert provider.calls == 2
    assert (record.status, record.attempts, record.error) == ("failed", 2, "no such number")
    assert not duplicate


async def test_an_attempt_without_answer_times_out_and_counts_as_transient(
    outbox: Outbox,
) -> None:
    provider = _Hangs()
    policy = RetryPolicy(attempts=2, base_delay=0, attempt_timeout=0.01)
    notifier = Notifier(outbox, {"sms": provider}, policy)

    with anyio.fail_after(5):
        record, _ = await notifier.deliver(_DRAFT, "k")

    assert provider.calls == 2
    assert record.status == "failed"
    assert record.error == (
        "gave up after 2 attempts: no answer from the sms provider within 0.01 s"
    )


async def test_a_cancelled_send_is_not_left_sending(outbox: Outbox) -> None:
    notifier = Notifier(outbox, {"sms": _Hangs()}, RetryPolicy(attempts=1))

    with anyio.fail_after(5), anyio.move_on_after(0.01):
        await notifier.deliver(_DRAFT, "k")

    [record] = outbox.select()
    assert record.status == "failed"
    assert record.error is not None and record.error.startswith("cancelled during attempt")


async def test_a_provider_that_never_answers_is_given_up_within_the_budget_with_the_reason(
    outbox: Outbox,
) -> None:
    # the budget sits below the server's MCP call deadline: the caller hears "failed", not nothing
    notifier = Notifier(outbox, {"sms": _Hangs()}, RetryPolicy(attempts=3, total_timeout=0.05))

    with anyio.fail_after(5):
        record, duplicate = await notifier.deliver(_DRAFT, "k")

    assert (record.status, duplicate) == ("failed", False)
    assert record.error == "no answer from the sms provider in 0.05 s"
    assert RetryPolicy().total_timeout < 15.0  # server.pool.DEFAULT_CALL_TIMEOUT_SECONDS


async def test_asking_again_after_a_failure_sends_again_under_the_same_key(outbox: Outbox) -> None:
    provider = _Scripted(PermanentDeliveryError("the mail server is down"))
    notifier = Notifier(outbox, {"sms": provider}, RetryPolicy(attempts=1))

    failed, _ = await notifier.deliver(_DRAFT, "payment-link:b1")
    again, duplicate = await notifier.deliver(_DRAFT, "payment-link:b1")
    once_more, duplicate_now = await notifier.deliver(_DRAFT, "payment-link:b1")

    assert failed.status == "failed"
    assert (again.id, again.status, duplicate) == (failed.id, "sent", False)
    assert (once_more.status, duplicate_now, provider.calls) == ("sent", True, 2)
    assert [r.status for r in outbox.select()] == ["sent"]
