"""Payment link tokens: genuine ones verify, anything altered or late is refused."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from commerce import ExpiredLinkError, PaymentClaims, TamperedLinkError, verify_payment_token
from commerce.links import load_or_create_link_secret, sign_payment_token

CLAIMS = PaymentClaims("b1", 1250, "EUR", "state", 2_000)


def test_a_genuine_token_verifies_to_its_claims() -> None:
    token = sign_payment_token(b"k", CLAIMS)
    assert verify_payment_token(b"k", token, now=1_999) == CLAIMS


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda t: t[:-2] + ("A" if t[-2] != "A" else "B") + t[-1], id="signature"),
        pytest.param(lambda t: "x" + t, id="payload"),
        pytest.param(lambda t: t.split(".")[0], id="no-signature"),
        pytest.param(lambda t: "not a token", id="garbage"),
    ],
)
def test_a_tampered_token_is_refused(mutate: object) -> None:
    token = sign_payment_token(b"k", CLAIMS)
    with pytest.raises(TamperedLinkError):
        verify_payment_token(b"k", mutate(token), now=1_000)  # type: ignore[operator]


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _stray_bits(part: str) -> str:
    """The same bytes spelled with the unused low bits of the last character set."""
    last = _ALPHABET.index(part[-1])
    return part[:-1] + _ALPHABET[last | 0b11 if len(part) % 4 == 3 else last | 0b1111]


def _standard_alphabet(token: str) -> str:
    return token.replace("-", "+").replace("_", "/")


@pytest.mark.parametrize(
    "respell",
    [
        pytest.param(lambda t: t + "==", id="padding-appended"),
        pytest.param(lambda t: t + "=", id="one-pad"),
        pytest.param(lambda t: t.replace(".", "==.", 1), id="padded-claims"),
        pytest.param(_standard_alphabet, id="standard-base64-alphabet"),
        pytest.param(
            lambda t: t.split(".")[0] + "." + _stray_bits(t.split(".")[1]), id="stray-bits"
        ),
        pytest.param(lambda t: t + " ", id="trailing-space"),
        pytest.param(lambda t: t + "\n", id="trailing-newline"),
    ],
)
def test_a_token_has_one_spelling_and_every_other_is_refused(respell: object) -> None:
    # a token whose signature has '-' or '_', so the alphabet case really changes something
    token = next(
        t
        for amount in range(1, 500)
        if set("-_")
        & set(t := sign_payment_token(b"k", dataclasses.replace(CLAIMS, amount=amount)))
    )
    other = respell(token)  # type: ignore[operator]
    assert other != token
    with pytest.raises(TamperedLinkError):
        verify_payment_token(b"k", other, now=1_000)


def test_a_token_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(TamperedLinkError):
        verify_payment_token(b"other", sign_payment_token(b"k", CLAIMS), now=1_000)


def test_an_expired_token_is_refused() -> None:
    with pytest.raises(ExpiredLinkError):
        verify_payment_token(b"k", sign_payment_token(b"k", CLAIMS), now=2_000)


def test_the_link_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_or_create_link_secret(tmp_path)
    assert load_or_create_link_secret(tmp_path) == first and len(first) >= 32
    assert (tmp_path / "link-secret").stat().st_mode & 0o077 == 0
    assert load_or_create_link_secret(tmp_path, "configured") == b"configured"


def _secret_of_one_process(data_dir: str) -> bytes:
    return load_or_create_link_secret(Path(data_dir))


def test_processes_starting_at_once_all_sign_with_the_same_secret(tmp_path: Path) -> None:
    # the web server's workers and the storefront server all create the secret at startup
    with ProcessPoolExecutor(max_workers=8) as pool:
        secrets = list(pool.map(_secret_of_one_process, [str(tmp_path)] * 32))
    assert len(set(secrets)) == 1 and len(secrets[0]) >= 32
    assert [p.name for p in tmp_path.iterdir()] == ["link-secret"]  # nothing left aside
