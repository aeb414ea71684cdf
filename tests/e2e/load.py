"""Many shoppers at once, each holding a whole conversation, over POST and the WebSocket.

A conversation is the one a shopper has on the way to paying, in their own language: search,
"add the second one", look at the basket, ask for the payment link by e-mail, say thanks. Each
conversation has a fresh user id, so the per-user rate limit never trips and every answer can be
checked against what that shopper did: the intent of each turn, the product added, and, after the
run, what survived (`survivors`): the stored turns, the basket line and the e-mail.

Used by the load benchmark (benchmarks/test_load.py) and by the faults-under-load tests.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import anyio
import httpx
import redis
from websockets.asyncio.client import ClientConnection, connect

from server.identity import OPEN
from tests.server.procs import child_pids, rss, server_pids

__all__ = [
    "CONVERSATIONS",
    "Conversation",
    "LoadReport",
    "Survivors",
    "drive",
    "memory",
    "survivors",
    "warm_up",
]

Transport = Literal["http", "ws"]


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str


CONVERSATIONS: dict[str, tuple[Turn, ...]] = {
    "en": (
        Turn("hi! do you have headphones?", "search_products"),
        Turn("add the second one to my cart", "add_to_basket"),
        Turn("what's in my cart?", "get_basket"),
        Turn("send me the payment link by email to {email}", "get_payment_link"),
        Turn("thanks!", "thanks"),
    ),
    "es": (
        Turn("hola, ¿tienen auriculares?", "search_products"),
        Turn("agrega el segundo al carrito", "add_to_basket"),
        Turn("ver mi carrito", "get_basket"),
        Turn("mándame el link de pago a {email}", "get_payment_link"),
        Turn("gracias", "thanks"),
    ),
    "fr": (
        Turn("vous avez des casques ?", "search_products"),
        Turn("ajoute le deuxième au panier", "add_to_basket"),
        Turn("mon panier", "get_basket"),
        Turn("envoie-moi le lien de paiement à {email}", "get_payment_link"),
        Turn("merci", "thanks"),
    ),
    "de": (
        Turn("habt ihr Kopfhörer?", "search_products"),
        Turn("leg den zweiten in den Warenkorb", "add_to_basket"),
        Turn("zeig mir meinen Warenkorb", "get_basket"),
        Turn("schick mir den Zahlungslink an {email}", "get_payment_link"),
        Turn("danke", "thanks"),
    ),
}
LOCALES = tuple(CONVERSATIONS)
HTTP_CHANNELS = ("whatsapp", "web-storefront", "instagram", "sms")
WS_CHANNELS = ("web-storefront", "mobile")
WARM_MEDIAN_SECONDS = 0.05


@dataclass
class Conversation:
    """One shopper's conversation and everything the server answered in it."""

    user_id: str
    locale: str
    transport: Transport
    channel: str
    latencies: list[float] = field(default_factory=list)
    replies: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(what the shopper said, the answer) for each turn answered as expected."""
    failures: list[str] = field(default_factory=list)
    """One line per turn that was not answered as expected: status, error or wrong intent."""
    wanted: int | None = None
    """The second search result: what "add the second one" should add."""
    added: int | None = None
    """The product id the answer to "add the second one" showed in the basket."""
    link_sent: bool = False

    @property
    def email(self) -> str:
        return f"{self.user_id}@example.com"

    @property
    def answered(self) -> int:
        return len(self.replies)


@dataclass
class LoadReport:
    conversations: list[Conversation]
    elapsed: float

    @property
    def latencies(self) -> list[float]:
        return [s for c in self.conversations for s in c.latencies]

    def of(self, transport: Transport) -> list[float]:
        return [s for c in self.conversations if c.transport == transport for s in c.latencies]

    @property
    def failures(self) -> list[str]:
        return [f"{c.user_id}: {f}" for c in self.conversations for f in c.failures]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def summary(self) -> str:
        def figures(samples: list[float]) -> str:
            if not samples:
                return "no samples"
            ordered = sorted(samples)
            p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
            return f"median {statistics.median(ordered) * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms"

        kinds = Counter(f.split(":", 1)[0] for c in self.conversations for f in c.failures)
        return (
            f"{len(self.conversations)} conversations, {len(self.latencies)} messages in "
            f"{self.elapsed:.1f} s = {self.throughput:.1f} messages/s; all: "
            f"{figures(self.latencies)}; POST: {figures(self.of('http'))}; WebSocket: "
            f"{figures(self.of('ws'))}; failures: {sum(kinds.values())} {dict(kinds)}"
        )


class _Http:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def send(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        response = await self._client.post("/api/message", json=body)
        return response.status_code, response.json()


class _Socket:
    def __init__(self, socket: ClientConnection) -> None:
        self._socket = socket

    async def send(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        await self._socket.send(json.dumps(body))
        answer = json.loads(await self._socket.recv())
        return int(answer.get("status", 200)), answer


async def _hold(
    conversation: Conversation, channel: _Http | _Socket, timeout: float, pause: float
) -> None:
    for turn in CONVERSATIONS[conversation.locale]:
        text = turn.text.format(email=conversation.email)
        body = {"userId": conversation.user_id, "message": text, "clientType": conversation.channel}
        started = time.perf_counter()
        try:
            with anyio.fail_after(timeout):
                status, answer = await channel.send(body)
        except TimeoutError:
            conversation.failures.append(f"hang: no answer to {text!r} in {timeout} s")
            return  # a WebSocket answer arriving late would be read as the next turn's
        except (httpx.HTTPError, OSError, ValueError) as exc:
            conversation.failures.append(f"transport: {type(exc).__name__}: {exc}")
            return
        conversation.latencies.append(time.perf_counter() - started)
        error = answer.get("error") or answer.get("data", {}).get("error")
        if status != 200 or error or answer.get("intent") != turn.intent:
            kind = f"status {status}" if status != 200 else "answer"
            conversation.failures.append(
                f"{kind}: {text!r} got {answer.get('intent')} {error or ''}".rstrip()
            )
        else:
            conversation.replies.append((text, answer))
            _note(conversation, turn.intent, answer.get("data", {}))
        if pause:
            await anyio.sleep(pause)


def _note(conversation: Conversation, intent: str, data: dict[str, Any]) -> None:
    """Remember what this answer should leave behind, and flag a wrong product."""
    if intent == "search_products" and len(data.get("products", [])) >= 2:
        conversation.wanted = data["products"][1]["id"]
    elif intent == "add_to_basket" and conversation.wanted is not None:
        lines = [line["product_id"] for line in data.get("basket", {}).get("lines", [])]
        if conversation.wanted in lines:
            conversation.added = conversation.wanted
        else:
            conversation.failures.append(f"answer: added {lines}, not {conversation.wanted}")
    elif intent == "get_payment_link" and "delivery" in data:
        conversation.link_sent = True  # not "you have no basket yet" after an earlier fault


async def drive(
    url: str,
    *,
    users: int,
    conversations_per_user: int = 1,
    timeout: float = 30.0,
    pause: float = 0.0,
    stop: anyio.Event | None = None,
    fresh: bool = False,
) -> LoadReport:
    """`users` shoppers at once, each holding `conversations_per_user` conversations in a row.

    Odd users talk over the WebSocket, even ones over POST; locales and channels rotate. Each
    user's turns are sequential (a shopper waits for the answer), `pause` seconds apart. With
    `stop`, users keep starting new conversations until it is set. With `fresh`, each POST opens
    its own connection (so several server workers share each conversation).
    """
    run = uuid.uuid4().hex[:6]
    done: list[Conversation] = []
    ws_url = url.replace("http://", "ws://", 1) + "/ws"

    async def user(n: int, client: httpx.AsyncClient) -> None:
        k = 0
        while k < conversations_per_user or (stop is not None and not stop.is_set()):
            transport: Transport = "ws" if n % 2 else "http"
            channels = WS_CHANNELS if transport == "ws" else HTTP_CHANNELS
            conversation = Conversation(
                user_id=f"load-{run}-{n}-{k}",
                locale=LOCALES[(n // 2 + k) % len(LOCALES)],
                transport=transport,
                channel=channels[(n // 2 + k) % len(channels)],
            )
            done.append(conversation)
            if transport == "http":
                await _hold(conversation, _Http(client), timeout, pause)
            else:
                try:
                    async with connect(ws_url, open_timeout=timeout) as socket:
                        await _hold(conversation, _Socket(socket), timeout, pause)
                except (OSError, TimeoutError) as exc:
                    conversation.failures.append(f"transport: {type(exc).__name__}: {exc}")
            k += 1
            if stop is not None and stop.is_set():
                break

    limits = httpx.Limits(max_connections=users, max_keepalive_connections=0 if fresh else users)
    async with httpx.AsyncClient(base_url=url, timeout=timeout + 5, limits=limits) as client:
        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for n in range(users):
                tg.start_soon(user, n, client)
        elapsed = time.perf_counter() - started
    return LoadReport(done, elapsed)


def warm_up(url: str, *, minimum: float = 0.0, limit: float = 60.0, users: int = 4) -> None:
    """Converse until a round of conversations answers at speed (median under 50 ms), after at
    least `minimum` seconds and at most `limit`: benchmarks measure a shop that has been running,
    not one whose intent servers still build their RE2 programs in the background."""
    began = time.monotonic()
    while True:
        warm = asyncio.run(drive(url, users=users))
        assert not warm.failures, warm.failures[:5]
        now = time.monotonic()
        quick = statistics.median(warm.latencies) < WARM_MEDIAN_SECONDS
        if (quick and now - began >= minimum) or now - began > limit:
            return


@dataclass
class Survivors:
    """What each answered turn should have left behind, counted after the run."""

    turns_expected: int = 0
    turns_lost: list[str] = field(default_factory=list)
    basket_lines_expected: int = 0
    basket_lines_lost: list[str] = field(default_factory=list)
    emails_expected: int = 0
    emails_lost: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return len(self.turns_lost) + len(self.basket_lines_lost) + len(self.emails_lost)


def survivors(report: LoadReport, redis_url: str, data_dir: Path, mailed_to: set[str]) -> Survivors:
    """Count what every answered turn left behind: the stored turn (Redis), the basket line (the
    shop's database) and the e-mail (received by the SMTP server, or kept in the outbox)."""
    found = Survivors()
    store = redis.Redis.from_url(redis_url)
    shop = sqlite3.connect(f"file:{data_dir / 'shop.sqlite3'}?mode=ro", uri=True)
    outbox = sqlite3.connect(f"file:{data_dir / 'outbox.sqlite3'}?mode=ro", uri=True)
    try:
        kept = {row[0] for row in outbox.execute("SELECT recipient FROM outbox")}
        for conversation in report.conversations:
            raw = store.get(f"shopmcp:conv:{OPEN.conversation(conversation.user_id)}")
            stored = json.loads(raw) if raw else {}
            said = {t["text"] for t in stored.get("history", []) if t["role"] == "user"}
            for asked, _ in conversation.replies:
                found.turns_expected += 1
                if asked not in said:
                    found.turns_lost.append(f"{conversation.user_id}: {asked!r}")
            if conversation.added is not None:
                found.basket_lines_expected += 1
                row = shop.execute(
                    "SELECT quantity FROM basket_lines WHERE basket_id = ? AND product_id = ?",
                    (stored.get("dialogue", stored).get("basket_id"), conversation.added),
                ).fetchone()
                if not row:
                    found.basket_lines_lost.append(f"{conversation.user_id}: {conversation.added}")
            if conversation.link_sent:
                found.emails_expected += 1
                if conversation.email not in mailed_to | kept:
                    found.emails_lost.append(conversation.email)
    finally:
        shop.close()
        outbox.close()
        store.close()
    return found


def memory(data_dir: Path, server_pid: int, redis_url: str) -> dict[str, int]:
    """Resident memory in bytes of the server (and its workers), each MCP server, and Redis."""
    out: dict[str, int] = {}
    workers = child_pids(server_pid, b"spawn_main")  # uvicorn --workers: the supervisor's children
    out["server" if not workers else "server (uvicorn supervisor)"] = rss(server_pid)
    for i, pid in enumerate(workers):
        out[f"server worker {i + 1}"] = rss(pid)
    for name in ("intent", "ecommerce_storefront", "ecommerce_admin", "notifications"):
        for i, pid in enumerate(sorted(server_pids(data_dir, name))):
            out[name if i == 0 else f"{name} #{i + 1}"] = rss(pid)
    info = redis.Redis.from_url(redis_url).info("memory")
    out["redis (used_memory)"] = int(info["used_memory"])
    return out


if __name__ == "__main__":  # a quick look against a running server: python -m tests.e2e.load URL
    import sys

    print(asyncio.run(drive(sys.argv[1], users=8)).summary())
