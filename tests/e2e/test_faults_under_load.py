"""Faults under load: while shoppers hold whole conversations, kill each MCP server in turn, restart
Redis, and make the AI provider and the SMTP server hang.

Each scenario runs `load.drive` and the fault side by side, then counts what failed, hung or was
lost (`load.survivors`: stored turns, basket lines, e-mails) and how many seconds passed between the
fault and the next answer that needed the faulty part. The load is time-based by nature: the
`anyio.sleep` calls below pace the fault against running traffic, they do not wait for the code
under test.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from tests.e2e.conftest import (
    ADMIN_KEY,
    RunningServer,
    _Inbox,
    free_port,
    smtp_server,
    start_server,
    stop_server,
)
from tests.e2e.load import CONVERSATIONS, Conversation, LoadReport, drive, survivors
from tests.fakes.llm_servers import FakeAnthropic, Reply
from tests.redis_server import start_redis
from tests.server.procs import kill, server_pids

pytestmark = [pytest.mark.slow, pytest.mark.anyio]

USERS = 10
# A turn that takes longer than this is counted as a hang.
TURN_TIMEOUT = 20.0
# Load before the fault, so it strikes calls in flight, and after recovery, so new conversations
# prove the service is back.
BEFORE_SECONDS = 2.0
AFTER_SECONDS = 3.0
# The pool restarts a dead server at once and it is up in about a second; five is the promise.
RECOVERY_SECONDS = 5.0
INTENT_RECOVERY_SECONDS = 12.0
"""The intent server compiles its patterns before it answers again: 0.7-3.2 s before 2026-12-04,
about 9 s since the larger pattern set (human_agent, veto lists, more examples). A regression
to win back (issue 13's compile target), named here rather than hidden in RECOVERY_SECONDS."""
# A turn caught by a crash gets one apology; a shopper has at most one turn in flight.
MAX_APOLOGIES_PER_KILL = USERS
# A turn arriving during a restart waits for it (the pool's READY_WAIT_SECONDS, 5 s) at most.
SLOWEST_TURN_SECONDS = 2 * RECOVERY_SECONDS
APOLOGY = "service_unavailable"
AI_TIMEOUT = 2.0
# The AI deadline plus the rest of the turn (suggestions, Redis, formatting) on a loaded 2-core box.
AI_MARGIN = 2.0
# Redis that writes every command to its append-only file before answering: a restart loses nothing.
DURABLE_REDIS = ("--appendonly", "yes", "--appendfsync", "always")
REDIS_DOWN_SECONDS = 1.5
# The MCP pool's default call timeout: what a send stuck on SMTP costs the shopper at most.
POOL_CALL_TIMEOUT = 15.0
SEND_BUDGET = 10.0
"""mcp_servers.notifications.RetryPolicy.total_timeout: a send gives up before the MCP call does."""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class _SwitchableSmtp(_Inbox):
    """The e2e inbox, which can be told to hang at DATA (and then to answer 451 when released)."""

    def __init__(self) -> None:
        super().__init__()
        self.hanging = False
        self.hung = 0

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.hanging:
            self.hung += 1
            while self.hanging:  # a stuck mail server: no answer until the test lets go
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"  # the client gave up long ago; never count it
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(scope="module")
def mail() -> Iterator[tuple[_SwitchableSmtp, int]]:
    inbox = _SwitchableSmtp()
    with smtp_server(inbox) as port:
        yield inbox, port
        inbox.hanging = False


@pytest.fixture(scope="module")
def shop(
    tmp_path_factory: pytest.TempPathFactory, mail: tuple[_SwitchableSmtp, int]
) -> Iterator[RunningServer]:
    inbox, port = mail
    running = start_server(tmp_path_factory.mktemp("shop"), port, inbox)
    yield running
    stop_server(running)


async def _under_load(
    url: str, fault: Callable[[], Awaitable[float]], *, limit: float = 90.0
) -> tuple[LoadReport, float]:
    """Run the load and `fault` together; the load stops when `fault` returns its figure."""
    stop = anyio.Event()
    out: dict[str, Any] = {}

    async def load() -> None:
        out["report"] = await drive(url, users=USERS, timeout=TURN_TIMEOUT, stop=stop)

    async def inject() -> None:
        try:
            out["figure"] = await fault()
        finally:
            stop.set()

    with anyio.fail_after(limit):
        async with anyio.create_task_group() as tg:
            tg.start_soon(load)
            tg.start_soon(inject)
    return out["report"], out["figure"]


async def _say(
    client: httpx.AsyncClient, user: str, text: str, **headers: str
) -> tuple[int, dict[str, Any]]:
    response = await client.post(
        "/api/message",
        json={"userId": user, "message": text, "clientType": "web-storefront"},
        headers=headers,
    )
    return response.status_code, response.json()


def _probe_user() -> str:
    return f"probe-{uuid.uuid4().hex[:10]}"


def _answered(status: int, answer: dict[str, Any], intent: str) -> bool:
    return status == 200 and answer.get("intent") == intent and "error" not in answer["data"]


async def _searched(client: httpx.AsyncClient) -> bool:
    status, answer = await _say(client, _probe_user(), "do you have headphones?")
    return _answered(status, answer, "search_products") and bool(answer["data"]["products"])


async def _thanked(client: httpx.AsyncClient) -> bool:
    return _answered(*await _say(client, _probe_user(), "thanks!"), "thanks")


async def _listed(client: httpx.AsyncClient) -> bool:
    auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
    status, answer = await _say(client, _probe_user(), "list all products", **auth)
    return _answered(status, answer, "list_products") and bool(answer["data"]["products"])


async def _mailed(client: httpx.AsyncClient) -> bool:
    """A payment link by e-mail that the SMTP server accepted: it needs notifications."""
    user = _probe_user()
    await _say(client, user, "do you have headphones?")
    await _say(client, user, "add the second one to my cart")
    status, answer = await _say(
        client, user, f"send me the payment link by email to {user}@example.com"
    )
    delivery = answer.get("data", {}).get("delivery", {})
    return _answered(status, answer, "get_payment_link") and delivery.get("status") == "sent"


NEEDS: dict[str, Callable[[httpx.AsyncClient], Awaitable[bool]]] = {
    "intent": _thanked,
    "ecommerce_storefront": _searched,
    "ecommerce_admin": _listed,
    "notifications": _mailed,
}


async def _seconds_until(
    url: str, works: Callable[[httpx.AsyncClient], Awaitable[bool]], since: float
) -> float:
    """Seconds from `since` to the first probe answered as it should be (polled every 0.1 s)."""
    async with httpx.AsyncClient(base_url=url, timeout=TURN_TIMEOUT) as client:
        while time.monotonic() - since < 3 * RECOVERY_SECONDS:
            if await works(client):
                return time.monotonic() - since
            await anyio.sleep(0.1)
    return float("inf")


def _kinds(report: LoadReport) -> tuple[list[str], list[str]]:
    """The failures split into clear apologies and everything else (hangs, errors, wrong answers)."""
    apologies = [
        f for f in report.failures if f.split(": ", 2)[1].startswith("answer") and APOLOGY in f
    ]
    return apologies, [f for f in report.failures if f not in apologies]


def _mailed_to(inbox: _Inbox) -> set[str]:
    return {str(m["To"]) for m in inbox.messages}


def _health(url: str) -> dict[str, Any]:
    return httpx.get(f"{url}/health", timeout=10).json()


@pytest.mark.parametrize(
    "victim", ["intent", "ecommerce_storefront", "ecommerce_admin", "notifications"]
)
async def test_a_killed_mcp_server_under_load_costs_a_few_apologies_and_loses_nothing(
    shop: RunningServer, mail: tuple[_SwitchableSmtp, int], victim: str
) -> None:
    restarts = _health(shop.url)["servers"][victim]["restarts"]
    pids = server_pids(shop.data_dir, victim)
    assert pids, f"no {victim} process found"

    async def fault() -> float:
        await anyio.sleep(BEFORE_SECONDS)
        killed = time.monotonic()
        await anyio.to_thread.run_sync(kill, pids)
        recovered = await _seconds_until(shop.url, NEEDS[victim], killed)
        await anyio.sleep(AFTER_SECONDS)
        return recovered

    report, recovery = await _under_load(shop.url, fault)
    apologies, others = _kinds(report)
    found = survivors(report, shop.env["REDIS_URL"], shop.data_dir, _mailed_to(mail[0]))
    health = _health(shop.url)["servers"][victim]
    print(
        f"\n{victim} killed: {report.summary()}; slowest {max(report.latencies):.2f} s; "
        f"back in {recovery:.2f} s; "
        f"lost {found.lost} of {found.turns_expected} turns, {found.basket_lines_expected} "
        f"lines, {found.emails_expected} e-mails"
    )
    assert others == []
    assert len(apologies) <= MAX_APOLOGIES_PER_KILL, apologies
    assert found.turns_expected >= 5 * USERS, report.summary()
    assert found.lost == 0, (found.turns_lost, found.basket_lines_lost, found.emails_lost)
    allowed = INTENT_RECOVERY_SECONDS if victim == "intent" else RECOVERY_SECONDS
    assert recovery <= allowed
    assert max(report.latencies) <= 2 * allowed
    assert health["status"] == "up"
    assert health["restarts"] > restarts
    assert set(server_pids(shop.data_dir, victim)).isdisjoint(pids)


@pytest.fixture
def persistent_redis(tmp_path: Path) -> Iterator[tuple[int, list[subprocess.Popen[bytes]]]]:
    """A private Redis on a free port, persisting to `tmp_path`."""
    port = free_port()
    processes = [start_redis(port, tmp_path, *DURABLE_REDIS)]
    yield port, processes
    for p in processes:
        p.terminate()
        p.wait(timeout=10)


async def test_a_redis_restart_under_load_gives_apologies_then_service_and_loses_nothing(
    persistent_redis: tuple[int, list[subprocess.Popen[bytes]]],
    tmp_path: Path,
    mail: tuple[_SwitchableSmtp, int],
) -> None:
    port, processes = persistent_redis
    inbox, smtp_port = mail
    redis_url = f"redis://127.0.0.1:{port}/0"
    running = start_server(tmp_path / "shop", smtp_port, inbox, REDIS_URL=redis_url)

    def restart() -> float:
        processes[0].send_signal(signal.SIGTERM)  # a clean stop: the AOF is flushed
        processes[0].wait(timeout=10)
        time.sleep(REDIS_DOWN_SECONDS)  # on a worker thread: the outage the load runs into
        processes.append(start_redis(port, tmp_path, *DURABLE_REDIS))
        return time.monotonic()

    async def fault() -> float:
        await anyio.sleep(BEFORE_SECONDS)
        back = await anyio.to_thread.run_sync(restart)
        recovered = await _seconds_until(running.url, _thanked, back)
        await anyio.sleep(AFTER_SECONDS)
        return recovered

    try:
        report, recovery = await _under_load(running.url, fault)
        found = survivors(report, redis_url, running.data_dir, _mailed_to(inbox))
        health = _health(running.url)
    finally:
        stop_server(running)
    apologies, others = _kinds(report)
    last = _last_conversation_of_each_user(report)
    print(
        f"\nredis restarted ({REDIS_DOWN_SECONDS} s down): {report.summary()}; back in "
        f"{recovery:.2f} s after it returned; lost {found.lost} of {found.turns_expected} turns, "
        f"{found.basket_lines_expected} lines, {found.emails_expected} e-mails"
    )
    assert others == []
    assert apologies, "the outage was not felt: the test did not test it"
    assert found.lost == 0, (found.turns_lost, found.basket_lines_lost, found.emails_lost)
    assert recovery <= RECOVERY_SECONDS
    assert [c.failures for c in last if c.failures] == []
    assert health["redis"] == "up"


def _last_conversation_of_each_user(report: LoadReport) -> list[Conversation]:
    """Each shopper's last conversation: it started after the fault was over."""
    by_user: dict[str, list[Conversation]] = defaultdict(list)
    for conversation in report.conversations:
        by_user[conversation.user_id.rsplit("-", 1)[0]].append(conversation)
    return [conversations[-1] for conversations in by_user.values()]


CHATTER = "what's the meaning of life"


async def test_a_hanging_ai_provider_answers_chatter_by_the_deadline_and_leaves_shopping_alone(
    tmp_path: Path, mail: tuple[_SwitchableSmtp, int]
) -> None:
    inbox, smtp_port = mail
    fake = FakeAnthropic([Reply.hanging()])
    chatter: list[tuple[float, int, dict[str, Any]]] = []
    with fake.running() as base_url:
        running = start_server(
            tmp_path / "shop",
            smtp_port,
            inbox,
            ANTHROPIC_API_KEY="test-key",
            ANTHROPIC_BASE_URL=base_url,
            AI_PROVIDERS="anthropic",
            AI_TIMEOUT=str(AI_TIMEOUT),
        )

        async def chat(client: httpx.AsyncClient, until: anyio.Event) -> None:
            while not until.is_set():
                started = time.monotonic()
                status, answer = await _say(client, _probe_user(), CHATTER)
                chatter.append((time.monotonic() - started, status, answer))

        async def fault() -> float:
            done = anyio.Event()
            async with (
                httpx.AsyncClient(base_url=running.url, timeout=TURN_TIMEOUT) as client,
                anyio.create_task_group() as tg,
            ):
                for _ in range(3):
                    tg.start_soon(chat, client, done)
                await anyio.sleep(BEFORE_SECONDS + AI_TIMEOUT * 2)
                done.set()
            return 0.0

        try:
            report, _ = await _under_load(running.url, fault)
            found = survivors(report, running.env["REDIS_URL"], running.data_dir, _mailed_to(inbox))
        finally:
            stop_server(running)
    slowest = max(seconds for seconds, _, _ in chatter)
    print(
        f"\nAI provider hanging ({AI_TIMEOUT} s deadline): {report.summary()}; {len(chatter)} "
        f"chatter messages, slowest {slowest:.2f} s; {fake.calls} provider calls; slowest "
        f"shopping turn {max(report.latencies):.2f} s"
    )
    assert fake.calls >= 1, "the provider was never asked: the test did not test the hang"
    assert slowest <= AI_TIMEOUT + AI_MARGIN
    assert {(s, a["intent"], "error" in a["data"]) for _, s, a in chatter} == {
        (200, "unknown", False)
    }
    assert report.failures == []
    # the AI call runs off the intent server's loop: shopping never waits for it
    assert max(report.latencies) < AI_TIMEOUT
    assert found.lost == 0


async def test_a_hanging_smtp_server_under_load_bounds_the_payment_link_and_keeps_every_email(
    shop: RunningServer, mail: tuple[_SwitchableSmtp, int]
) -> None:
    inbox, _ = mail

    async def fault() -> float:
        await anyio.sleep(BEFORE_SECONDS)
        inbox.hanging = True
        # long enough for every shopper to reach the payment link and get an answer
        await anyio.sleep(POOL_CALL_TIMEOUT + 3)
        inbox.hanging = False
        released = time.monotonic()
        recovered = await _seconds_until(shop.url, _mailed, released)
        await anyio.sleep(AFTER_SECONDS)
        return recovered

    try:
        report, recovery = await _under_load(shop.url, fault)
    finally:
        inbox.hanging = False
    found = survivors(report, shop.env["REDIS_URL"], shop.data_dir, _mailed_to(inbox))
    link_turns = [c.latencies[3] for c in report.conversations if len(c.latencies) > 3]
    outbox = _outbox(shop.data_dir, {c.email for c in report.conversations})
    print(
        f"\nSMTP hanging ({inbox.hung} DATA commands held): {report.summary()}; payment link "
        f"slowest {max(link_turns):.2f} s; outbox {dict(_count(outbox))}; back in "
        f"{recovery:.2f} s; lost {found.lost} of {found.emails_expected} e-mails"
    )
    apologies, others = _kinds(report)
    assert inbox.hung >= 1, "no send reached the hanging server: the test did not test it"
    # the send gives up inside its budget: the shopper gets the link and hears the e-mail did
    # not go out, instead of a 15 s wait for the service apology
    assert others == [] and apologies == []
    assert max(link_turns) <= SEND_BUDGET + 3
    assert found.lost == 0, (found.turns_lost, found.basket_lines_lost, found.emails_lost)
    mailed = _mailed_to(inbox)
    not_sent = []
    for conversation in report.conversations:
        for _, answer in conversation.replies:
            delivery = answer["data"].get("delivery")
            if delivery is None:
                continue
            assert conversation.email in mailed or outbox.get(conversation.email), conversation
            if delivery["status"] == "failed":
                not_sent.append(conversation)
                assert answer["data"]["payment_link"]["url"].startswith(shop.url)
                assert delivery["error"], delivery
    for rows in outbox.values():
        for status, error in rows:
            assert status in {"sent", "failed"} and (status == "sent" or error), rows
    assert not_sent, "no payment link fell in the hang: the test did not test it"
    assert recovery <= RECOVERY_SECONDS
    # asking again once the mail server answers sends it: a failed message is tried again
    cut = not_sent[0]
    with shop.client() as client:
        again = shop.say(
            client,
            cut.user_id,
            CONVERSATIONS[cut.locale][3].text.format(email=cut.email),
            cut.channel,
        )
    assert again["data"]["delivery"]["status"] == "sent"
    assert cut.email in _mailed_to(inbox)


def _outbox(data_dir: Path, recipients: set[str]) -> dict[str, list[tuple[str, str | None]]]:
    rows: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    db = sqlite3.connect(f"file:{data_dir / 'outbox.sqlite3'}?mode=ro", uri=True)
    try:
        for recipient, status, error in db.execute("SELECT recipient, status, error FROM outbox"):
            if recipient in recipients:
                rows[recipient].append((status, error))
    finally:
        db.close()
    return rows


def _count(outbox: dict[str, list[tuple[str, str | None]]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for rows in outbox.values():
        for status, _ in rows:
            counts[status] += 1
    return counts
