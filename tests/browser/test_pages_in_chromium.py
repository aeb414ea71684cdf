"""A shopper in a real browser: chat, product cards, basket, payment link, pay, confirmation; and
the playground answering as one types."""

from __future__ import annotations

import re
from typing import Any

import pytest

from shopmcp.settings import PROJECT_ROOT
from tests.browser.conftest import ARTIFACTS
from tests.e2e.conftest import ADMIN_KEY, RunningServer

pytestmark = pytest.mark.slow


def _say(page: Any, text: str) -> None:
    page.fill("#message", text)
    page.click("#send")


def test_a_shopper_searches_adds_to_the_basket_opens_the_link_and_pays(
    server: RunningServer, page: Any
) -> None:
    from playwright.sync_api import expect

    page.goto(server.url + "/")
    expect(page.locator("#status")).to_have_attribute("data-state", "online")
    _say(page, "Do you have iPhone?")
    cards = page.locator(".card")
    expect(cards.first).to_be_visible()
    expect(cards.first.locator(".price")).to_have_text(re.compile(r"€\d"))
    first_name = cards.first.locator(".name").inner_text()
    cards.first.get_by_role("button").click()
    expect(page.locator("#basket-lines li")).to_have_count(1)
    expect(page.locator("#basket-lines")).to_contain_text(first_name)
    page.screenshot(path=str(ARTIFACTS / "chat-with-basket.png"), full_page=True)
    page.click("#get-link")
    link = page.locator("#pay-link")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator('section[data-state="open"]')).to_be_visible()
    expect(page.locator("table.lines")).to_contain_text(first_name)
    page.screenshot(path=str(ARTIFACTS / "checkout.png"), full_page=True)
    page.fill('input[name="email"]', "shopper@example.com")
    page.click("#pay")
    expect(page.locator('section[data-state="paid"]')).to_be_visible()
    expect(page.locator("h1")).to_have_text("Thank you!")
    assert page.locator("section.paid").get_attribute("data-order", timeout=1000)


def test_the_chat_speaks_the_chosen_language_and_formats_prices_for_it(
    server: RunningServer, page: Any
) -> None:
    from playwright.sync_api import expect

    page.goto(server.url + "/")
    page.select_option("#locale", "de")
    expect(page.locator("#send")).to_have_text("Senden")
    expect(page.locator("#get-link")).to_be_hidden()  # nothing to pay for yet
    _say(page, "habt ihr Kopfhörer?")
    expect(page.locator(".card").first).to_be_visible()
    expect(page.locator(".card .price").first).to_have_text(re.compile(r"\d,\d\d\s€"))


def test_the_playground_shows_the_intent_as_one_types(server: RunningServer, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(server.url + "/playground")
    page.locator("#text").press_sequentially("agrega 2 iphone al carrito porfa", delay=15)
    expect(page.locator("#intent")).to_have_text("add_to_basket")
    expect(page.locator("#public-view")).to_be_visible()
    expect(page.locator("#result")).not_to_contain_text("patterns/es/")
    page.locator("#admin-key").fill(ADMIN_KEY)
    page.locator("#admin-key").press("Enter")
    page.locator("#text").press("End")
    page.locator("#text").press_sequentially("!", delay=15)
    expect(page.locator("#result")).to_contain_text("patterns/es/")
    expect(page.locator("#result mark.slot").first).to_have_text("2")
    expect(page.locator("#version")).to_have_text(re.compile(r"patterns [0-9a-f]+"))
    assert (PROJECT_ROOT / ".gitignore").read_text().count("test-artifacts/") == 1
