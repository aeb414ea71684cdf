from __future__ import annotations

import pytest

from mcp_servers.notifications import InvalidRecipientError
from mcp_servers.notifications.recipients import normalize_email, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("ana@example.com", "ana@example.com", id="plain"),
        pytest.param(" Ana.Ruiz+shop@Example.COM ", "Ana.Ruiz+shop@example.com", id="domain-case"),
    ],
)
def test_valid_email_is_normalized(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize("raw", ["ana", "ana@", "@example.com", "ana@example", "a b@example.com"])
def test_invalid_email_names_the_value(raw: str) -> None:
    with pytest.raises(InvalidRecipientError, match="not a valid e-mail address"):
        normalize_email(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("+34612345678", "+34612345678", id="e164"),
        pytest.param("+34 612 34 56 78", "+34612345678", id="spaced"),
        pytest.param("+1 (415) 555-2671", "+14155552671", id="us-formatted"),
    ],
)
def test_valid_phone_becomes_e164(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("612345678", id="no-country-code"),
        pytest.param("+34 123", id="too-short"),
        pytest.param("call me", id="not-a-number"),
    ],
)
def test_invalid_phone_asks_for_international_form(raw: str) -> None:
    with pytest.raises(InvalidRecipientError, match=r"international form"):
        normalize_phone(raw)
