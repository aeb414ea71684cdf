"""docs/grafana-dashboard.json asks only for metrics /metrics serves, with labels they have."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mcp.types import CallToolResult, TextContent

from mcp_servers.notifications.outbox import Outbox
from server.metrics import OUTBOX_FILENAME, Metrics
from server.pool import SERVER_NAMES, ServerState
from server.types import InboundMessage, Reply
from shopmcp.settings import PROJECT_ROOT

DASHBOARD = json.loads((PROJECT_ROOT / "docs" / "grafana-dashboard.json").read_text("utf-8"))
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


class Pool:
    def states(self) -> dict[str, ServerState]:
        return {name: ServerState(name) for name in SERVER_NAMES}


def served(tmp_path: Path) -> dict[str, set[str]]:
    """Each metric family /metrics serves -> its label names, with one of everything counted."""
    metrics = Metrics()
    with metrics.message(InboundMessage(user_id="u", text="hola", client_type="sms")) as seen:
        analysis = CallToolResult(content=[], structured_content={"source": "pattern"})
        metrics.mcp_result("intent", "analyze_intent", analysis)
        seen.reply = Reply(response="", intent="greet", locale="es", conversation_id="c")
    failed = CallToolResult(
        content=[TextContent(type="text", text="out_of_stock: 0")], is_error=True
    )
    metrics.mcp_result("ecommerce_storefront", "add_to_basket", failed)
    metrics.mcp_seconds.observe(("intent", "analyze_intent"), 0.001)
    metrics.errors["invalid"] += 1
    metrics.redis_errors["load"] += 1
    Outbox.open(tmp_path / OUTBOX_FILENAME).close()
    text = metrics.render(Pool(), tmp_path / OUTBOX_FILENAME)
    families: dict[str, set[str]] = {
        m: set() for m in re.findall(r"^# TYPE (\S+) ", text, re.MULTILINE)
    }
    for name, labels in re.findall(r"^(shopmcp_[a-z_]+)\{([^}]*)\}", text, re.MULTILINE):
        family = next(f for f in families if name.removeprefix(f) in ("", *HISTOGRAM_SUFFIXES))
        families[family] |= set(re.findall(r'([a-z_]+)="', labels))
    return families


def expressions() -> list[str]:
    return [t["expr"] for p in DASHBOARD["panels"] for t in p.get("targets", [])]


def test_every_panel_queries_a_served_metric_by_its_labels(tmp_path: Path) -> None:
    families = served(tmp_path)
    used = set()
    for expr in expressions():
        for name in re.findall(r"shopmcp_[a-z_]+", expr):
            family = name if name in families else name.rsplit("_", 1)[0]
            assert family in families, f"{name} in {expr!r} is not served by /metrics"
            used.add(family)
            grouped = re.findall(r"by \(([^)]*)\)", expr)
            selected = re.findall(rf"{name}\{{([a-z_]+)=", expr)
            labels = {label.strip() for g in grouped for label in g.split(",")} | set(selected)
            assert labels <= families[family], (expr, labels - families[family])
    # the histogram's _sum says the same as this older counter, which stays for existing queries
    unused = set(families) - used - {"shopmcp_message_seconds_total"}
    assert not unused, f"not on the dashboard: {unused}"


def test_panels_have_unique_ids_and_use_the_chosen_prometheus() -> None:
    ids = [p["id"] for p in DASHBOARD["panels"]]
    assert len(ids) == len(set(ids))
    assert DASHBOARD["templating"]["list"][0]["type"] == "datasource"
    for panel in DASHBOARD["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
