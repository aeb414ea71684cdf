"""The outbox: every message the server was asked to send, one SQLite row each.

A row is claimed (`sending`) before any provider is called, so a crash or a provider outage loses
nothing, and a developer without provider credentials sees exactly what would have gone out
(`stored`). `UNIQUE(channel, idempotency_key)` makes the claim the idempotency check: the insert
that wins sends, every later one gets the existing row back.

The connection is used from the event loop's thread only; each statement is a sub-millisecond
write to a local file, cheaper than a hop to a worker thread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .models import Channel, Locale, Status

__all__ = ["Draft", "Outbox", "OutboxRecord"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id                  INTEGER PRIMARY KEY,
    channel             TEXT NOT NULL,
    recipient           TEXT NOT NULL,
    subject             TEXT,
    body                TEXT NOT NULL,
    template            TEXT,
    locale              TEXT,
    idempotency_key     TEXT NOT NULL,
    status              TEXT NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    provider_message_id TEXT,
    error               TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (channel, idempotency_key)
);
CREATE INDEX IF NOT EXISTS outbox_status ON outbox (status, id);
"""

_COLUMNS = (
    "id, channel, recipient, subject, body, template, locale, idempotency_key, status, attempts,"
    " provider_message_id, error, created_at, updated_at"
)


@dataclass(frozen=True, slots=True)
class Draft:
    """A message built and validated, not yet in the outbox."""

    channel: Channel
    recipient: str
    body: str
    subject: str | None = None
    template: str | None = None
    locale: Locale | None = None

    def same_message(self, record: OutboxRecord) -> bool:
        return (self.recipient, self.subject, self.body) == (
            record.recipient,
            record.subject,
            record.body,
        )


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    """One outbox row."""

    id: int
    channel: Channel
    recipient: str
    subject: str | None
    body: str
    template: str | None
    locale: Locale | None
    idempotency_key: str
    status: Status
    attempts: int
    provider_message_id: str | None
    error: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> OutboxRecord:
        values = dict(row)
        values["created_at"] = datetime.fromisoformat(values["created_at"])
        values["updated_at"] = datetime.fromisoformat(values["updated_at"])
        return cls(**values)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Outbox:
    """The outbox table of one SQLite file."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._db.row_factory = sqlite3.Row
        self._db.executescript(_SCHEMA)

    @classmethod
    def open(cls, path: Path) -> Outbox:
        """Open (and create, with its folder) the outbox file at `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: every statement is its own transaction; WAL lets a reader (a developer's
        # sqlite3 shell, another process) look while the server writes.
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA busy_timeout=5000")
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    def claim(self, draft: Draft, idempotency_key: str) -> tuple[OutboxRecord, bool]:
        """Insert `draft` as `sending` (or take back the failed row of the same message under this
        key); if the key names a message sent, stored or being sent, return it and False."""
        now = _now()
        row = self._db.execute(
            f"""INSERT INTO outbox (channel, recipient, subject, body, template, locale,
                                    idempotency_key, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?)
                ON CONFLICT (channel, idempotency_key) DO NOTHING
                RETURNING {_COLUMNS}""",
            (
                draft.channel,
                draft.recipient,
                draft.subject,
                draft.body,
                draft.template,
                draft.locale,
                idempotency_key,
                now,
                now,
            ),
        ).fetchone()
        if row is not None:
            return OutboxRecord.from_row(row), True
        # A message that failed was never delivered as far as we know: asking again with the same
        # key tries again (one caller wins the row back from `failed`; others see it `sending`).
        row = self._db.execute(
            f"""UPDATE outbox SET status = 'sending', error = NULL, updated_at = ?
                WHERE channel = ? AND idempotency_key = ? AND status = 'failed'
                  AND recipient = ? AND body = ?
                RETURNING {_COLUMNS}""",
            (now, draft.channel, idempotency_key, draft.recipient, draft.body),
        ).fetchone()
        if row is not None:
            return OutboxRecord.from_row(row), True
        existing = self._db.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE channel = ? AND idempotency_key = ?",
            (draft.channel, idempotency_key),
        ).fetchone()
        return OutboxRecord.from_row(existing), False

    def finish(
        self,
        record_id: int,
        status: Status,
        *,
        attempts: int,
        provider_message_id: str | None = None,
        error: str | None = None,
    ) -> OutboxRecord:
        """Record the outcome of a claimed message."""
        row = self._db.execute(
            f"""UPDATE outbox
                SET status = ?, attempts = ?, provider_message_id = ?, error = ?, updated_at = ?
                WHERE id = ?
                RETURNING {_COLUMNS}""",
            (status, attempts, provider_message_id, error, _now(), record_id),
        ).fetchone()
        return OutboxRecord.from_row(row)

    def select(
        self,
        *,
        channel: Channel | None = None,
        status: Status | None = None,
        recipient: str | None = None,
        limit: int = 50,
    ) -> list[OutboxRecord]:
        """Rows matching every given filter, newest first."""
        filters = {"channel": channel, "status": status, "recipient": recipient}
        where = [f"{column} = ?" for column, value in filters.items() if value is not None]
        args = [value for value in filters.values() if value is not None]
        sql = f"SELECT {_COLUMNS} FROM outbox"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [OutboxRecord.from_row(row) for row in rows]
