"""Every ```sh block of docs/examples/curl-examples.md, run in order against the real server.

A block's first line says what it answers: `# → STATUS[, intent NAME][, data.KEY]`. The block runs
under bash with `localhost:3300` replaced by the test server's address and `curl` wrapped to report
each response's status; the last response must have the documented status (earlier ones, in a
loop, must be 200), and for a chat message the documented intent and a non-empty `data` key.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest

from tests.docs.conftest import ADMIN_KEY, EXAMPLES, VERIFY_TOKEN, known_bug, run_id, unique_users
from tests.e2e.conftest import RunningServer

DOC = EXAMPLES / "curl-examples.md"
EXPECT = re.compile(r"^# → (\d{3})(?:, intent (\w+))?(?:, data\.(\w+))?$")
STATUS = "@@status="
WRAPPER = (
    f"curl() {{ command curl -sS --max-time 30 \"$@\" -w '\\n{STATUS}%{{http_code}}@@\\n'; }}\n"
)
RUN = run_id()


@dataclass(frozen=True)
class Block:
    line: int
    script: str
    status: int
    intent: str | None
    data_key: str | None

    @property
    def expectation(self) -> str:
        return self.script.splitlines()[0]


def blocks() -> list[Block]:
    found = []
    lines = DOC.read_text("utf-8").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            start = i + 1
            end = lines.index("```", start)
            script = "\n".join(lines[start:end])
            match = EXPECT.match(lines[start])
            assert match, f"{DOC.name}:{start + 1}: a sh block must start with '# → STATUS'"
            status, intent, key = match.groups()
            found.append(Block(start + 1, script, int(status), intent, key))
            i = end
        i += 1
    return found


def test_the_examples_cover_a_conversation_admin_actions_and_every_error() -> None:
    found = blocks()
    assert all("curl " in b.script for b in found)
    assert {b.status for b in found} >= {200, 400, 401, 413, 422, 429}
    assert any("Authorization: Bearer $ADMIN_API_KEY" in b.script for b in found)
    intents = {b.intent for b in found}
    assert {"search_products", "add_to_basket", "get_basket", "get_payment_link"} <= intents


def _params() -> list[object]:
    params = []
    for b in blocks():
        reason = known_bug(b.script)
        marks = [pytest.mark.slow] + (
            [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
        )
        params.append(pytest.param(b, id=f"line{b.line}", marks=marks))
    return params


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("block", _params())
def test_curl_example(docs_server: RunningServer, block: Block) -> None:
    address = docs_server.url.removeprefix("http://")
    script = WRAPPER + unique_users(block.script, RUN).replace("localhost:3300", address)
    env = {**os.environ, "ADMIN_API_KEY": ADMIN_KEY, "META_VERIFY_TOKEN": VERIFY_TOKEN}
    done = subprocess.run(
        ["bash", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    parts = re.split(rf"\n?{STATUS}(\d{{3}})@@\n", done.stdout)
    bodies, statuses = parts[0:-1:2], [int(s) for s in parts[1::2]]
    assert statuses, done.stdout
    assert statuses[-1] == block.status, f"{block.expectation}\n{done.stdout[-2000:]}"
    assert all(s == 200 for s in statuses[:-1]), statuses
    if block.intent or block.data_key:
        answer = json.loads(bodies[-1])
        assert answer["intent"] == block.intent, answer
        if block.data_key:
            assert block.data_key in answer["data"], answer
            assert answer["data"][block.data_key] not in ([], {}, None), answer  # found something
    elif block.status >= 400:
        assert "error" in json.loads(bodies[-1] or "{}") or block.status == 429
