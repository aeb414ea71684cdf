"""Signed, expiring payment links: `<public_base_url>/checkout/<token>`.

A token is `base64url(json claims) + "." + base64url(HMAC-SHA256(secret, first part))`, both parts
unpadded base64url with one accepted spelling (a token is never malleable). The claims
name the basket, its amount and currency, a digest of its lines and the expiry, so a link cannot be
moved to another basket or amount. The route that serves `/checkout/<token>` calls
`verify_payment_token` with the same secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from commerce.errors import ExpiredLinkError, TamperedLinkError
from commerce.models import PaymentClaims

__all__ = [
    "basket_state",
    "load_or_create_link_secret",
    "payment_url",
    "sign_payment_token",
    "verify_payment_token",
]

_SECRET_FILE = "link-secret"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_B64URL = re.compile(r"[A-Za-z0-9_-]+")


def _unb64(text: str) -> bytes:
    """Decode unpadded base64url, accepting only its one canonical spelling: no padding, no
    standard-alphabet characters, no stray bits in the last character (else ValueError)."""
    if not _B64URL.fullmatch(text):
        raise ValueError("not unpadded base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:
        raise ValueError("not the canonical base64url spelling")
    return data


def basket_state(lines: Iterable[tuple[str, int, int]], currency: str) -> str:
    """Digest of (product_id, quantity, unit_price) lines: equal for equal baskets."""
    text = currency + ";" + ";".join(f"{p}:{q}:{u}" for p, q, u in sorted(lines))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def sign_payment_token(secret: bytes, claims: PaymentClaims) -> str:
    payload = {
        "b": claims.basket_id,
        "a": claims.amount,
        "c": claims.currency,
        "s": claims.state,
        "e": claims.expires_at,
    }
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    signature = hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(signature)}"


def verify_payment_token(secret: bytes, token: str, *, now: float | None = None) -> PaymentClaims:
    """The claims of a genuine, unexpired token; TamperedLinkError or ExpiredLinkError otherwise."""
    body, _, signature = token.partition(".")
    try:
        expected = hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()
        genuine = hmac.compare_digest(expected, _unb64(signature))
        payload = json.loads(_unb64(body)) if genuine else None
        claims = (
            PaymentClaims(
                basket_id=str(payload["b"]),
                amount=int(payload["a"]),
                currency=str(payload["c"]),
                state=str(payload["s"]),
                expires_at=int(payload["e"]),
            )
            if payload
            else None
        )
    except (ValueError, TypeError, KeyError, UnicodeError):
        claims = None
    if claims is None:
        raise TamperedLinkError("the payment link is not genuine; ask the shop for a new one")
    if (time.time() if now is None else now) >= claims.expires_at:
        raise ExpiredLinkError(
            "the payment link has expired; ask the shop for a new one",
            expires_at=claims.expires_at,
        )
    return claims


def payment_url(public_base_url: str, token: str) -> str:
    return f"{public_base_url.rstrip('/')}/checkout/{token}"


def load_or_create_link_secret(data_dir: Path, configured: str | None = None) -> bytes:
    """The configured secret, else the one generated into `data_dir` on first use (mode 0600).

    The web server, its workers and the storefront server all call this at startup, at once: the
    file appears whole or not at all (written aside, then hard-linked into place, which fails if
    another process got there first), so every process ends up signing with the same secret.
    """
    if configured:
        return configured.encode()
    path = data_dir / _SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        aside = data_dir / f".{_SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32))
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process won the race; its secret is the one
        finally:
            aside.unlink()
    return path.read_text().strip().encode()
