"""docs/examples/shopmcp.postman_collection.json: a valid v2.1 collection, replayed with httpx.

Each request's test script states its status (`pm.response.to.have.status(N)`), intent and `data`
key the way Postman and newman check them; the replay reads the same expectations from the script.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from tests.docs.conftest import ADMIN_KEY, EXAMPLES, VERIFY_TOKEN, known_bug, run_id
from tests.e2e.conftest import RunningServer

COLLECTION = EXAMPLES / "shopmcp.postman_collection.json"
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
VARIABLE = re.compile(r"\{\{(\w+)\}\}")
RUN = run_id()


def load() -> dict[str, Any]:
    return json.loads(COLLECTION.read_text("utf-8"))


def requests() -> list[dict[str, Any]]:
    """The requests in the order Postman's runner sends them (folders depth first)."""
    out: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]], folder: str) -> None:
        for item in items:
            if "item" in item:
                walk(item["item"], item["name"])
            else:
                out.append({**item, "folder": folder})

    walk(load()["item"], "")
    return out


def script_of(item: dict[str, Any]) -> str:
    return "\n".join(
        line
        for event in item.get("event", [])
        if event["listen"] == "test"
        for line in event["script"]["exec"]
    )


def test_the_collection_is_postman_v2_1_with_a_base_url() -> None:
    collection = load()
    assert collection["info"]["schema"] == SCHEMA
    assert collection["info"]["name"]
    variables = {v["key"]: v["value"] for v in collection["variable"]}
    assert variables["baseUrl"] == "http://localhost:3300"
    used = set()
    for item in requests():
        request = item["request"]
        assert request["method"] in {"GET", "POST"}, item["name"]
        url = request["url"]
        assert url["raw"].startswith("{{baseUrl}}/"), item["name"]
        assert url["host"] == ["{{baseUrl}}"]
        assert "/".join(url["path"]) == url["raw"].split("?")[0].removeprefix("{{baseUrl}}/")
        if request["method"] == "POST":
            assert request["body"]["mode"] == "raw"
            json.loads(VARIABLE.sub("x", request["body"]["raw"]))  # valid JSON once filled in
        assert re.search(r"pm\.response\.to\.have\.status\(\d{3}\)", script_of(item)), item["name"]
        used |= set(VARIABLE.findall(json.dumps(request)))
    assert used <= set(variables), used - set(variables)
    statuses = {int(s) for i in requests() for s in re.findall(r"status\((\d{3})\)", script_of(i))}
    assert statuses >= {200, 400, 401, 413, 422}


def _params() -> list[object]:
    params = []
    for item in requests():
        reason = known_bug(item["name"] + " " + json.dumps(item["request"].get("body", {})))
        marks = [pytest.mark.slow] + (
            [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
        )
        params.append(pytest.param(item, id=f"{item['folder']}/{item['name']}", marks=marks))
    return params


@pytest.mark.parametrize("item", _params())
def test_replay_request(docs_server: RunningServer, item: dict[str, Any]) -> None:
    values = {v["key"]: v["value"] for v in load()["variable"]}
    values |= {
        "baseUrl": docs_server.url,
        "adminKey": ADMIN_KEY,
        "verifyToken": VERIFY_TOKEN,
        "userId": f"{values['userId']}-{RUN}",
        "adminUserId": f"{values['adminUserId']}-{RUN}",
    }

    def fill(text: str) -> str:
        return VARIABLE.sub(lambda m: values[m.group(1)], text)

    request = item["request"]
    headers = {fill(h["key"]): fill(h["value"]) for h in request.get("header", [])}
    body = fill(request["body"]["raw"]).encode() if "body" in request else None
    response = httpx.request(
        request["method"], fill(request["url"]["raw"]), headers=headers, content=body, timeout=30
    )
    script = script_of(item)
    status = int(re.search(r"have\.status\((\d{3})\)", script).group(1))  # type: ignore[union-attr]
    assert response.status_code == status, response.text
    if intent := re.search(r'\.intent\)\.to\.eql\("(\w+)"\)', script):
        assert response.json()["intent"] == intent.group(1), response.text
    if key := re.search(r'\.data\)\.to\.have\.property\("(\w+)"\)', script):
        assert response.json()["data"].get(key.group(1)) not in ([], {}, None), response.text
    if status >= 400:
        assert "error" in response.json()
