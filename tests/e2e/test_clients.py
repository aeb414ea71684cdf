"""The terminal chat and the seed's test client, run as a user would against the real server."""

from __future__ import annotations

import subprocess
import sys

import pytest

from shopmcp.settings import PROJECT_ROOT
from tests.e2e.conftest import RunningServer

pytestmark = pytest.mark.slow


def test_shopmcp_chat_shows_the_answer_intent_and_timing_per_turn(server: RunningServer) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "shopmcp", "chat", "--url", server.url, "--client", "whatsapp"],
        input="Do you have iPhone?\nadd the second one\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
        check=True,
    )
    assert "shop> Here's what I found" in done.stdout
    assert "[search_products" in done.stdout and "[add_to_basket" in done.stdout
    assert " ms]" in done.stdout


def test_shopmcp_chat_finds_the_server_from_port_and_host_alone(server: RunningServer) -> None:
    env = {k: v for k, v in server.env.items() if k in {"PATH", "HOME", "PORT", "SHOPMCP_HOST"}}
    done = subprocess.run(
        [sys.executable, "-m", "shopmcp", "chat"],
        input="Do you have iPhone?\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
    )
    assert done.stdout.startswith(f"chatting with {server.url} as ")
    assert "[search_products" in done.stdout


def test_the_test_client_sends_the_seed_examples(server: RunningServer) -> None:
    done = subprocess.run(
        [sys.executable, "scripts/test-client.py"],  # the address from PORT and SHOPMCP_HOST
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
        check=True,
    )
    assert "'Do you have iPhone?' -> search_products" in done.stdout
    assert "'Agregar iPhone al carrito' -> add_to_basket" in done.stdout
