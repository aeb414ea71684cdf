"""Abuse of the real server's resources (issue 11, items 5, 6, 13, 15), each attack as a test.

The server runs with small limits so the attacks cross them quickly, and with FORWARDED_ALLOW_IPS
empty, so the test client at 127.0.0.1 is an ordinary client (by default the loopback address is
a trusted proxy, exempt from the per-address connection cap).
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
import redis

from tests.e2e.conftest import (
    ADMIN_KEY,
    META_SECRET,
    RunningServer,
    smtp,  # noqa: F401
    start_server,
    stop_server,
)

pytestmark = pytest.mark.slow

RATE_PER_IP = 20
PLAYGROUND_RATE_PER_IP = 10
TIMEOUT_SECONDS = 2.0
CONNECTIONS_PER_IP = 100
SLOW_CONNECTIONS = 300
# How long past its deadline the server may take to close a slow connection: the timer fires on a
# loaded 2-core machine, then the close has to reach the client.
CLOSE_SLACK_SECONDS = 3.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, smtp: tuple) -> Iterator[RunningServer]:  # noqa: F811
    inbox, port = smtp
    running = start_server(
        tmp_path_factory.mktemp("limits"),
        port,
        inbox,
        SHOPMCP_RATE_PER_IP=str(RATE_PER_IP),
        SHOPMCP_RATE_GLOBAL="0",
        SHOPMCP_PLAYGROUND_RATE_PER_IP=str(PLAYGROUND_RATE_PER_IP),
        SHOPMCP_HEADER_TIMEOUT=str(TIMEOUT_SECONDS),
        SHOPMCP_BODY_TIMEOUT=str(TIMEOUT_SECONDS),
        SHOPMCP_MAX_CONNECTIONS_PER_IP=str(CONNECTIONS_PER_IP),
        FORWARDED_ALLOW_IPS="",
    )
    yield running
    stop_server(running)


def _open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def _slow(port: int, kind: str) -> socket.socket:
    """A connection that starts a request and never finishes it (or never starts one)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.setblocking(False)
    if kind == "headers":
        s.send(b"POST /api/message HTTP/1.1\r\nHost: shop\r\nContent-Type: appl")
    elif kind == "body":
        s.send(
            b"POST /api/message HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\n"
            b'Content-Length: 500\r\n\r\n{"userId": "slow", "mess'
        )
    return s


def _status(answer: bytes) -> bytes:
    return answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/1.1 ") else answer[:40]


def _until_closed(
    sockets: list[socket.socket], deadline: float, count: int | None = None
) -> dict[socket.socket, bytes]:
    """What the server sent each socket before closing it, once `count` (default all) are closed
    or at the deadline; sockets still open are left out."""
    count = len(sockets) if count is None else count
    answers = {s: b"" for s in sockets}
    closed: dict[socket.socket, bytes] = {}
    with selectors.DefaultSelector() as selector:
        for s in sockets:
            selector.register(s, selectors.EVENT_READ)
        while len(closed) < count and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=max(0.0, deadline - time.monotonic())):
                s = key.fileobj
                assert isinstance(s, socket.socket)
                try:
                    data = s.recv(4096)
                except ConnectionResetError:
                    data = b""
                if data:
                    answers[s] += data
                else:
                    closed[s] = answers[s]
                    selector.unregister(s)
    return closed


def test_slow_connections_are_capped_per_address_and_closed_at_their_deadline(
    server: RunningServer,
) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    pid = server.process.pid
    before = _open_fds(pid)
    started = time.monotonic()
    kinds = ["headers", "body", "idle"]
    sockets = [_slow(port, kinds[i % 3]) for i in range(SLOW_CONNECTIONS)]
    try:
        # before the deadline: those over the cap are refused and closed, the rest are held
        refused = _until_closed(
            sockets, started + TIMEOUT_SECONDS, SLOW_CONNECTIONS - CONNECTIONS_PER_IP
        )
        held = _open_fds(pid)
        rest = _until_closed(
            [s for s in sockets if s not in refused],
            started + TIMEOUT_SECONDS + CLOSE_SLACK_SECONDS,
        )
        elapsed = time.monotonic() - started
        after = _open_fds(pid)
    finally:
        for s in sockets:
            s.close()
    statuses = [_status(answer) for answer in refused.values()]
    assert statuses == [b"503"] * (SLOW_CONNECTIONS - CONNECTIONS_PER_IP), Counter(statuses)
    assert len(rest) == CONNECTIONS_PER_IP, f"{CONNECTIONS_PER_IP - len(rest)} still open"
    assert {_status(answer) for answer in rest.values()} == {b"408"}
    assert elapsed < TIMEOUT_SECONDS + CLOSE_SLACK_SECONDS
    assert held <= before + CONNECTIONS_PER_IP + 10, (before, held)
    assert after <= before + 5, (before, held, after)
    with server.client() as c:  # and the server still answers
        assert c.get("/health").status_code == 200


def test_a_body_that_stops_arriving_gets_a_408_and_the_route_never_runs(
    server: RunningServer,
) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    s = _slow(port, "body")
    try:
        closed = _until_closed([s], time.monotonic() + TIMEOUT_SECONDS + CLOSE_SLACK_SECONDS)
    finally:
        s.close()
    answer = closed[s]
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"connection: close" in answer.lower()
    assert b'"error": "the request body took more than 2 s to arrive"' in answer


def test_a_new_user_id_per_message_is_limited_per_address_and_leaves_short_lived_keys(
    server: RunningServer,
) -> None:
    users = [f"throwaway-{uuid.uuid4().hex[:12]}" for _ in range(RATE_PER_IP + 10)]
    with server.client() as c:
        responses = [
            c.post("/api/message", json={"userId": u, "message": "hi", "clientType": "sms"})
            for u in users
        ]
    codes = [r.status_code for r in responses]
    assert codes == [200] * RATE_PER_IP + [429] * 10, codes
    refused = responses[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.json()
    assert (body["code"], body["scope"], body["limit"]) == ("rate_limited", "ip", RATE_PER_IP)
    assert body["retryAfter"] == int(refused.headers["Retry-After"])
    assert "too many messages from this address" in body["error"]
    # what the accepted ones left in Redis expires within the hour, not in 7 days
    client = redis.Redis.from_url(server.env["REDIS_URL"])
    try:
        ttls = [client.ttl(k) for u in users[:RATE_PER_IP] for k in client.scan_iter(f"*{u}*")]
    finally:
        client.close()
    assert ttls and all(0 < ttl <= 3600 for ttl in ttls), ttls


def test_the_playground_is_rate_limited_per_address_without_the_admin_key(
    server: RunningServer,
) -> None:
    with server.client() as c:
        codes = [
            c.post("/api/playground", json={"text": "hello"}).status_code
            for _ in range(PLAYGROUND_RATE_PER_IP + 5)
        ]
        refused = c.post("/api/playground", json={"text": "hello"})
    with server.client(authorization=f"Bearer {ADMIN_KEY}") as admin:
        author = admin.post("/api/playground", json={"text": "hello"})
    assert codes == [200] * PLAYGROUND_RATE_PER_IP + [429] * 5
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["scope"] == "playground-ip"
    assert author.status_code == 200  # pattern authors with the key are not counted


def test_refused_requests_are_one_warning_line_and_the_favicon_is_served(
    server: RunningServer,
) -> None:
    log = server.data_dir / "server.log"
    start = log.stat().st_size
    with server.client() as c:
        favicon = c.get("/favicon.ico")
        missing = c.get("/no-such-page")
        forged = [
            c.post(
                "/webhooks/whatsapp",
                content=b'{"object": "whatsapp_business_account", "entry": []}',
                headers={
                    "content-type": "application/json",
                    "X-Hub-Signature-256": "sha256=" + "0" * 64,
                },
            )
            for _ in range(20)
        ]
    assert favicon.status_code == 200 and favicon.headers["content-type"].startswith("image/svg")
    assert missing.status_code == 404
    assert {r.status_code for r in forged} == {403}
    assert META_SECRET not in "".join(r.text for r in forged)
    written = _log_since(log, start, expect="/no-such-page")
    assert "Traceback" not in written
    warnings = [line for line in written.splitlines() if "refused POST /webhooks/whatsapp" in line]
    assert len(warnings) == 20 and all("warning" in line.lower() for line in warnings)
    assert all(len(line) < 300 for line in warnings)
    favicon_lines = [line for line in written.splitlines() if "favicon" in line]
    assert all(" INFO " in line and '" 200' in line for line in favicon_lines), favicon_lines
    assert "Traceback" not in written


def _log_since(log: os.PathLike[str], start: int, expect: str) -> str:
    """The server log written after `start`, once it mentions `expect` (logging is buffered)."""
    deadline = time.monotonic() + 10
    while True:
        with open(log, "rb") as f:
            f.seek(start)
            written = f.read().decode("utf-8", "replace")
        if expect in written or time.monotonic() > deadline:
            return written
        time.sleep(0.05)  # polling the subprocess's log file, not waiting on the code under test


def test_the_health_check_is_not_rate_limited(server: RunningServer) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        assert {c.get("/health").status_code for _ in range(50)} == {200}


def test_a_websocket_outlives_the_header_deadline_and_still_chats(server: RunningServer) -> None:
    from websockets.sync.client import connect

    with connect(server.url.replace("http://", "ws://") + "/ws", open_timeout=10) as socket_:
        with pytest.raises(TimeoutError):  # quiet past the header deadline: nobody closes it
            socket_.recv(timeout=TIMEOUT_SECONDS + 1)
        socket_.send(
            json.dumps(
                {
                    "userId": f"ws-{uuid.uuid4().hex[:8]}",
                    "message": "hi",
                    "clientType": "web-storefront",
                }
            )
        )
        answer = json.loads(socket_.recv(timeout=30))
    # the address's message budget may be spent by the test above: a 429 frame is an answer too
    assert "response" in answer or answer.get("status") == 429, answer
