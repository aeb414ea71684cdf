"""How a refused request is logged: one warning line, no traceback.

A 4xx is the client's mistake or an attacker's probe (a forged webhook, a wrong key, a path that
does not exist), not a fault of the server: a traceback for each would bury real errors and let a
flood of forged requests fill the disk. Litestar calls `log_exception` inside its exception
handler; server errors (5xx and anything unexpected) keep their full traceback.
"""

from __future__ import annotations

import sys
from logging import Logger
from typing import Any

from litestar.exceptions import HTTPException
from litestar.types import Scope

__all__ = ["log_exception"]

MAX_DETAIL_CHARS = 200
"""A refusal's detail is ours, but it may quote what the client sent; keep the line short."""


def log_exception(logger: Logger, scope: Scope, tb: list[str]) -> None:
    """Litestar's `exception_logging_handler`: 4xx as one warning line, the rest with a traceback."""
    exc = sys.exc_info()[1]
    if isinstance(exc, HTTPException) and exc.status_code < 500:
        method: Any = scope.get("method", "WS")
        logger.warning(
            "refused %s %s: %d %s",
            method,
            scope.get("path", "?"),
            exc.status_code,
            str(exc.detail)[:MAX_DETAIL_CHARS],
        )
        return
    logger.exception(
        "Uncaught exception (connection_type=%s, path=%r):", scope["type"], scope.get("path")
    )
