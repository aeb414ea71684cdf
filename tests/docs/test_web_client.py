"""docs/examples/web-client.html: the page's client code, run under Node against the real server
(fetch to /api/message, then the /ws WebSocket continuing the same conversation)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.docs.conftest import EXAMPLES, run_id
from tests.e2e.conftest import RunningServer

PAGE = EXAMPLES / "web-client.html"

HARNESS = """
;(async () => {
  const baseUrl = process.env.BASE_URL, userId = process.env.USER_ID;
  const client = createShopClient({ baseUrl, userId });
  const out = { http: await client.send("Do you have iPhone?") };
  try {
    await createShopClient({ baseUrl, userId, locale: "it" }).send("ciao");
  } catch (e) {
    out.error = { status: e.status, body: e.body };
  }
  out.ws = await new Promise((resolve, reject) => {
    const socket = client.connect({ onReply: (r) => { socket.close(); resolve(r); }, onError: reject });
    socket.send("add the first one to my cart");
  });
  out.prices = [formatPrice(95900, "EUR", "en"), formatPrice(500, "JPY", "en")];
  console.log(JSON.stringify(out));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
"""


def script() -> str:
    match = re.search(r"<script>(.*?)</script>", PAGE.read_text("utf-8"), re.S)
    assert match, "the page has one inline <script>"
    return match.group(1)


def test_the_page_posts_to_the_api_and_opens_the_websocket() -> None:
    js = script()
    assert "/api/message" in js and '"POST"' in js
    assert "/ws" in js and "new WebSocket(" in js
    assert "innerHTML" not in js, "shop data must be inserted as text, never as HTML"


def _node() -> list[str] | None:
    node = shutil.which("node")
    if node is None:
        return None
    major = int(
        subprocess.run([node, "--version"], capture_output=True, text=True).stdout[1:].split(".")[0]
    )
    if major < 20:
        return None
    return [node, "--experimental-websocket"] if major < 22 else [node]


@pytest.mark.slow
@pytest.mark.skipif(_node() is None, reason="Node 20+ is needed to run the page's script")
def test_the_client_code_runs_against_the_server(
    docs_server: RunningServer, tmp_path: Path
) -> None:
    program = tmp_path / "client.cjs"
    program.write_text(script() + HARNESS, "utf-8")
    done = subprocess.run(
        [*_node(), str(program)],  # type: ignore[misc]
        env={"BASE_URL": docs_server.url, "USER_ID": f"web-{run_id()}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["http"]["intent"] == "search_products" and out["http"]["data"]["products"]
    assert out["error"]["status"] == 422 and "error" in out["error"]["body"]
    # the socket continues the conversation the fetch began: "the first one" is a search result
    assert out["ws"]["intent"] == "add_to_basket", out["ws"]
    assert (
        out["ws"]["data"]["basket"]["lines"][0]["product_id"]
        == out["http"]["data"]["products"][0]["id"]
    )
    assert out["prices"] == ["€959.00", "¥500"]
