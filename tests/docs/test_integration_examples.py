"""The "try it locally" commands of the WhatsApp and Instagram guides (docs/examples), run as
written against the docs' real server: the handshake answers the challenge and the signed event
is accepted. The block that exports the variables and runs `make run` is what the docs' server
already is (its secret is handed to the commands as the reader's exported one)."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.docs.conftest import EXAMPLES, VERIFY_TOKEN
from tests.e2e.conftest import RunningServer

pytestmark = pytest.mark.slow

GUIDES = ["whatsapp-integration.md", "instagram-integration.md"]


def sh_blocks(name: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", (EXAMPLES / name).read_text("utf-8"), re.M | re.S)


def _run(script: str, server: RunningServer) -> str:
    done = subprocess.run(
        ["bash", "-c", script.replace("localhost:3300", server.url.removeprefix("http://"))],
        env={"PATH": server.env["PATH"], "META_APP_SECRET": server.env["META_APP_SECRET"]},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("guide", GUIDES)
def test_a_guide_has_the_setup_the_handshake_and_a_signed_event(guide: str) -> None:
    setup, handshake, event = sh_blocks(guide)
    assert "make run" in setup and f"META_VERIFY_TOKEN={VERIFY_TOKEN}" in setup
    assert "hub.challenge=42" in handshake
    assert "X-Hub-Signature-256" in event


@pytest.mark.parametrize("guide", GUIDES)
def test_the_handshake_answers_the_challenge(guide: str, docs_server: RunningServer) -> None:
    _, handshake, _ = sh_blocks(guide)
    assert _run(handshake, docs_server) == "42"


@pytest.mark.parametrize("guide", GUIDES)
def test_the_signed_event_is_accepted(guide: str, docs_server: RunningServer) -> None:
    _, _, event = sh_blocks(guide)
    status = _run(event, docs_server).splitlines()[0]
    assert status.startswith("HTTP/1.1 200"), status
