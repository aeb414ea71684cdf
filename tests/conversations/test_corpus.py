"""The whole conversation corpus against the real server (Redis, SQLite, MCP subprocesses, SMTP).

Every turn and every goal is judged by `shopmcp.evaluation`; the turns that fail today are listed in
`known_failures.json`. A failure not on the list fails the suite, and so does a listed failure that
now passes (remove it from the list): the list can only shrink.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shopmcp.evaluation import compare_known, figures, load_corpus, read_known, run_conversation
from shopmcp.evaluation.corpus import CLIENTS, LOCALES
from shopmcp.evaluation.report import render_failures, render_table
from shopmcp.evaluation.runner import REQUEST_TIMEOUT, ConversationResult
from tests.e2e import conftest as e2e
from tests.e2e.conftest import _Inbox, smtp_server, start_server, stop_server

HERE = Path(__file__).parent
KNOWN = HERE / "known_failures.json"
CORPUS = load_corpus([HERE])
CORPUS_STARTUP_SECONDS = 240.0

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ConversationResult]]:
    inbox = _Inbox()
    with smtp_server(inbox) as port:
        with pytest.MonkeyPatch.context() as patch:
            # one server for the whole corpus: on a loaded machine its intent server takes longer
            # than the e2e default to compile and answer /health; a late start would void the run
            patch.setattr(e2e, "STARTUP_SECONDS", CORPUS_STARTUP_SECONDS)
            server = start_server(
                tmp_path_factory.mktemp("corpus-shop"),
                port,
                inbox,
                ANTHROPIC_API_KEY="",
                GROQ_API_KEY="",  # the rules alone answer: results must repeat
            )
        try:
            run = uuid.uuid4().hex[:8]
            recipients = lambda: [str(m["To"]) for m in inbox.messages]  # noqa: E731
            with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as client:
                yield [run_conversation(client, c, run, recipients) for c in CORPUS]
        finally:
            stop_server(server)


def test_the_corpus_has_fifty_conversations_per_locale_over_every_client() -> None:
    for locale in LOCALES:
        conversations = [c for c in CORPUS if c.locale == locale]
        assert len(conversations) >= 50
        assert {c.client for c in conversations} == set(CLIENTS)
        assert all(3 <= len(c.turns) <= 8 for c in conversations)


def test_the_known_failures_name_turns_of_the_corpus() -> None:
    turns = {f"{c.id}#{n}" for c in CORPUS for n in range(1, len(c.turns) + 1)}
    goals = {f"{c.id}#done" for c in CORPUS}
    assert read_known(KNOWN) <= turns | goals


def test_the_server_answered_every_turn(results: list[ConversationResult]) -> None:
    """An apology for a backend outage says nothing about the assistant: the run is void."""
    down = [i for r in results for i in r.failure_ids() if r.unavailable()]
    assert not sum(r.unavailable() for r in results), f"service unavailable during: {down[:20]}"


def test_no_turn_fails_that_is_not_a_known_failure(results: list[ConversationResult]) -> None:
    new, _ = compare_known(results, read_known(KNOWN))
    failing = [r for r in results if any(i in new for i in r.failure_ids())]
    assert not new, (
        f"{len(new)} new failure(s): {new}\n{render_failures(failing)}\n\n"
        f"{render_table(figures(results))}"
    )


def test_every_known_failure_still_fails(results: list[ConversationResult]) -> None:
    _, fixed = compare_known(results, read_known(KNOWN))
    assert not fixed, (
        f"these now pass; remove them from {KNOWN.name} (the list only shrinks): {fixed}\n\n"
        f"{render_table(figures(results))}"
    )
