"""The real server for end-to-end tests: `shopmcp serve` as a subprocess on a free port, with its
four MCP subprocesses, the session's real Redis (tests/redis_server.py), and a real SMTP server (aiosmtpd) that receives the e-mails."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from shopmcp.settings import PROJECT_ROOT
from tests.redis_server import redis_url

STARTUP_SECONDS = 60.0
ADMIN_KEY = "test-admin-key"
META_SECRET = "meta-app-secret"
TWILIO_TOKEN = "twilio-auth-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@dataclass
class RunningServer:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    inbox: _Inbox
    env: dict[str, str]
    log: Any

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, headers=headers)

    def say(
        self,
        client: httpx.Client,
        user: str,
        text: str,
        channel: str = "web-storefront",
        **extra: str,
    ) -> dict:
        response = client.post(
            "/api/message", json={"userId": user, "message": text, "clientType": channel, **extra}
        )
        assert response.status_code == 200, response.text
        return response.json()


@contextmanager
def smtp_server(inbox: _Inbox) -> Iterator[int]:
    """An aiosmtpd server handing what it receives to `inbox`, on a free port (yielded)."""
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    with smtp_server(inbox) as port:
        yield inbox, port


def start_server(
    tmp: Path, smtp_port: int, inbox: _Inbox, *args: str, **overrides: str
) -> RunningServer:
    """`shopmcp serve *args` on a free port; `overrides` replace environment variables."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "SHOPMCP_HOST": "127.0.0.1",
        "SHOPMCP_DATA_DIR": str(tmp),
        # no SHOPMCP_PUBLIC_URL: payment links follow SHOPMCP_HOST and PORT by default
        "REDIS_URL": redis_url(),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "ADMIN_API_KEY": ADMIN_KEY,
        "META_APP_SECRET": META_SECRET,
        "META_VERIFY_TOKEN": "verify-me",
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        # every test shopper comes from 127.0.0.1: per-address and global message limits would
        # count a whole load run as one client (tests/e2e/test_limits.py sets its own)
        "SHOPMCP_RATE_PER_IP": "0",
        "SHOPMCP_RATE_GLOBAL": "0",
        **overrides,
    }
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "shopmcp", "serve", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            raise RuntimeError((tmp / "server.log").read_text())
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return RunningServer(url, tmp, process, inbox, env, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)  # polling a subprocess's readiness, not waiting on the code under test
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:  # a loaded machine: do not leave it running
        process.kill()
        process.wait()
    log.close()
    raise RuntimeError("the server did not become healthy:\n" + (tmp / "server.log").read_text())


def stop_server(server: RunningServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.log.close()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, smtp: tuple[_Inbox, int]
) -> Iterator[RunningServer]:
    inbox, port = smtp
    running = start_server(tmp_path_factory.mktemp("shop"), port, inbox)
    yield running
    stop_server(running)


@pytest.fixture
def user() -> str:
    return f"user-{uuid.uuid4().hex[:10]}"
