"""Every setting of the system, read from the environment in this one place.

`Settings.from_env()` builds a frozen dataclass; a bad value fails with the variable's name, the
value and what would be accepted. The server passes the relevant variables on to the MCP
subprocesses explicitly (`Settings.subprocess_env()`), because the SDK starts them with an almost
empty environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PROJECT_ROOT", "Settings", "SettingsError"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_KEY_NAME = re.compile(r"[A-Za-z0-9_-]{1,32}")


class SettingsError(ValueError):
    """An environment variable holds a value that cannot be used."""


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not an integer; set it to a whole number") from None
    if value < minimum:
        raise SettingsError(f"{name}={value} is below the minimum {minimum}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number; set it to e.g. 2.5") from None
    if value <= 0:
        raise SettingsError(f"{name}={value} must be positive")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean; use true or false")


def _api_keys(raw: str | None, admin_key: str | None) -> tuple[tuple[str, str], ...]:
    """SHOPMCP_API_KEYS as (name, key) pairs: names unique, keys unique and not the admin key."""
    found: dict[str, str] = {}
    for number, entry in enumerate((part.strip() for part in (raw or "").split(",")), start=1):
        if not entry:
            continue
        name, sep, key = entry.partition(":")
        name, key = name.strip(), key.strip()
        if not sep or not key or not _KEY_NAME.fullmatch(name):
            # the entry itself is not echoed: it may be a key
            raise SettingsError(
                f"SHOPMCP_API_KEYS entry {number} is not 'name:key'; use e.g. "
                "relay:3f9c...,app:8e21... (names: letters, digits, - and _, up to 32)"
            )
        if name in found:
            raise SettingsError(f"SHOPMCP_API_KEYS names {name!r} twice; give each key its own")
        if key in found.values() or key == admin_key:
            raise SettingsError(
                f"SHOPMCP_API_KEYS key of {name!r} is also another key (or ADMIN_API_KEY); "
                "each caller needs a key of its own"
            )
        found[name] = key
    return tuple(found.items())


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in choices:
        raise SettingsError(f"{name}={raw!r} is not one of {', '.join(choices)}")
    return raw.lower()


def _str(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name)
    return raw if raw else None


@dataclass(frozen=True)
class Settings:
    """The configuration of every part of shopmcp. Field docs name their environment variable."""

    host: str = "0.0.0.0"
    """SHOPMCP_HOST: address the HTTP server binds."""
    port: int = 3300
    """PORT: the HTTP server's port."""
    workers: int = 1
    """SHOPMCP_WORKERS: server processes behind the port, each with its own MCP servers; >1 needs REDIS_URL."""
    data_dir: Path = PROJECT_ROOT / "data"
    """SHOPMCP_DATA_DIR: where the embedded shop, outbox and AI records live."""
    patterns_dir: Path = PROJECT_ROOT / "patterns"
    """SHOPMCP_PATTERNS: the folder of `<locale>/*.intents` pattern files."""
    database_path: Path | None = None
    """SHOPMCP_DB: the embedded SQLite shop; default `<data_dir>/shop.sqlite3`."""
    default_currency: str = "EUR"
    """SHOPMCP_CURRENCY: ISO 4217 currency of the shop, used when a message names none."""
    business_api_url: str | None = None
    """BUSINESS_API_URL: a shop's own HTTP API (docs/business-api.md) instead of the embedded shop."""
    business_api_token: str | None = None
    """BUSINESS_API_TOKEN: bearer token sent to BUSINESS_API_URL."""
    public_base_url: str = ""
    """SHOPMCP_PUBLIC_URL: the address shoppers reach the server at (payment links point here);
    default `local_url`, the bind address and PORT."""
    link_secret: str | None = None
    """SHOPMCP_LINK_SECRET: HMAC key of payment links; default: generated once into the data dir."""
    link_ttl_seconds: int = 86_400
    """SHOPMCP_LINK_TTL: how long a payment link stays valid."""
    admin_api_key: str | None = None
    """ADMIN_API_KEY: bearer key that admin clients must send; admin intents are refused without it."""
    api_keys: tuple[tuple[str, str], ...] = ()
    """SHOPMCP_API_KEYS: trusted back-ends' bearer keys, `name:key,name:key`; each key's userIds
    are a namespace of their own (docs/api-reference.md). Empty: only the open namespace."""
    redis_url: str | None = None
    """REDIS_URL: conversations, rate limits and the AI cache; without it an in-process store serves."""
    smtp_host: str | None = None
    """SMTP_HOST: mail server; without it e-mails go to the outbox only."""
    smtp_port: int = 587
    """SMTP_PORT."""
    smtp_username: str | None = None
    """SMTP_USERNAME."""
    smtp_password: str | None = None
    """SMTP_PASSWORD."""
    smtp_from: str = "shop@localhost"
    """SMTP_FROM: sender address."""
    smtp_starttls: bool = False
    """SMTP_STARTTLS: upgrade the connection with STARTTLS."""
    twilio_account_sid: str | None = None
    """TWILIO_ACCOUNT_SID: without it SMS go to the outbox only."""
    twilio_auth_token: str | None = None
    """TWILIO_AUTH_TOKEN: also verifies X-Twilio-Signature on the SMS webhook."""
    twilio_from_number: str | None = None
    """TWILIO_FROM_NUMBER: the shop's SMS sender number."""
    twilio_base_url: str | None = None
    """TWILIO_BASE_URL: override of Twilio's API address (tests point it at a local server)."""
    whatsapp_token: str | None = None
    """WHATSAPP_TOKEN: WhatsApp Cloud API token; without it WhatsApp messages go to the outbox."""
    whatsapp_phone_number_id: str | None = None
    """WHATSAPP_PHONE_NUMBER_ID: the business phone number id of the Cloud API."""
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    """WHATSAPP_API_URL: Graph API base (tests point it at a local server)."""
    instagram_token: str | None = None
    """INSTAGRAM_TOKEN: the shop's Page access token for Instagram replies (not the WhatsApp one)."""
    meta_app_secret: str | None = None
    """META_APP_SECRET: verifies X-Hub-Signature-256 on WhatsApp and Instagram webhooks."""
    meta_verify_token: str | None = None
    """META_VERIFY_TOKEN: answers the webhook verification handshake."""
    anthropic_api_key: str | None = None
    """ANTHROPIC_API_KEY: enables Claude as an AI fallback provider."""
    anthropic_model: str = "claude-haiku-4-5"
    """ANTHROPIC_MODEL."""
    anthropic_base_url: str | None = None
    """ANTHROPIC_BASE_URL: override of the API address (tests point it at a local server)."""
    groq_api_key: str | None = None
    """GROQ_API_KEY: enables Groq as an AI fallback provider."""
    groq_model: str = "llama-3.3-70b-versatile"
    """GROQ_MODEL."""
    groq_base_url: str | None = None
    """GROQ_BASE_URL: override of the API address (tests point it at a local server)."""
    ai_providers: tuple[str, ...] = ("anthropic", "groq")
    """AI_PROVIDERS: comma-separated order in which configured providers are asked."""
    ai_timeout_seconds: float = 4.0
    """AI_TIMEOUT: deadline of one AI fallback answer, retries included."""
    max_message_chars: int = 2000
    """SHOPMCP_MAX_MESSAGE_CHARS: longer messages are refused with a 413."""
    rate_per_user: int = 30
    """SHOPMCP_RATE_PER_USER: messages per user in any 60 s (sliding window); 0 switches it off."""
    rate_per_ip: int = 120
    """SHOPMCP_RATE_PER_IP: messages per client address in any 60 s, whatever the user ids; 0 = off."""
    rate_global: int = 6000
    """SHOPMCP_RATE_GLOBAL: messages to the whole deployment in any 60 s; 0 = off."""
    playground_rate_per_ip: int = 60
    """SHOPMCP_PLAYGROUND_RATE_PER_IP: playground analyses per client address in any 60 s; 0 = off."""
    playground_rate_global: int = 600
    """SHOPMCP_PLAYGROUND_RATE_GLOBAL: playground analyses in any 60 s, all clients; 0 = off."""
    header_timeout_seconds: float = 10.0
    """SHOPMCP_HEADER_TIMEOUT: time a client has to send a request's headers; then 408 and closed."""
    body_timeout_seconds: float = 10.0
    """SHOPMCP_BODY_TIMEOUT: time a client has to send a whole request body; then 408 and closed."""
    keep_alive_seconds: int = 5
    """SHOPMCP_KEEP_ALIVE: how long an idle keep-alive connection stays open."""
    max_connections: int = 1000
    """SHOPMCP_MAX_CONNECTIONS: open connections per server process; more are answered 503."""
    max_connections_per_ip: int = 50
    """SHOPMCP_MAX_CONNECTIONS_PER_IP: open connections per client address; 0 = off (trusted proxies are exempt)."""
    forwarded_allow_ips: str = "127.0.0.1"
    """FORWARDED_ALLOW_IPS: proxies whose X-Forwarded-For names the client (comma-separated, `*` = any)."""

    log_format: str = "plain"
    """SHOPMCP_LOG_FORMAT: `plain` lines for people or `json` objects for machines (shopmcp/logs.py)."""
    log_level: str = "info"
    """SHOPMCP_LOG_LEVEL: debug, info, warning or error; applies to shopmcp's own loggers."""

    def __post_init__(self) -> None:
        if not self.public_base_url:  # a frozen dataclass sets a derived default this way
            object.__setattr__(self, "public_base_url", self.local_url)

    @property
    def database(self) -> Path:
        return self.database_path or self.data_dir / "shop.sqlite3"

    @property
    def local_url(self) -> str:
        """Where this machine reaches the server: `http://localhost:PORT` when it binds every
        address, else `http://SHOPMCP_HOST:PORT`. Client commands default to it."""
        host = self.host
        if host in {"", "0.0.0.0", "::"}:
            host = "localhost"
        elif ":" in host:  # an IPv6 address goes in brackets
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        data_dir = Path(e.get("SHOPMCP_DATA_DIR") or cls.data_dir)
        currency = (e.get("SHOPMCP_CURRENCY") or "EUR").upper()
        if len(currency) != 3 or not currency.isalpha():
            raise SettingsError(
                f"SHOPMCP_CURRENCY={currency!r} is not an ISO 4217 code; use e.g. EUR or USD"
            )
        providers = tuple(
            p.strip().lower() for p in (e.get("AI_PROVIDERS") or "anthropic,groq").split(",")
        )
        unknown = [p for p in providers if p not in {"anthropic", "groq"}]
        if unknown:
            raise SettingsError(
                f"AI_PROVIDERS names {', '.join(unknown)}; the providers are anthropic and groq"
            )
        return cls(
            host=e.get("SHOPMCP_HOST") or cls.host,
            port=_int(e, "PORT", cls.port, minimum=1),
            workers=_int(e, "SHOPMCP_WORKERS", cls.workers, minimum=1),
            data_dir=data_dir,
            patterns_dir=Path(e.get("SHOPMCP_PATTERNS") or cls.patterns_dir),
            database_path=Path(e["SHOPMCP_DB"]) if e.get("SHOPMCP_DB") else None,
            default_currency=currency,
            business_api_url=_str(e, "BUSINESS_API_URL"),
            business_api_token=_str(e, "BUSINESS_API_TOKEN"),
            public_base_url=(e.get("SHOPMCP_PUBLIC_URL") or "").rstrip("/"),
            link_secret=_str(e, "SHOPMCP_LINK_SECRET"),
            link_ttl_seconds=_int(e, "SHOPMCP_LINK_TTL", cls.link_ttl_seconds, minimum=60),
            admin_api_key=_str(e, "ADMIN_API_KEY"),
            api_keys=_api_keys(e.get("SHOPMCP_API_KEYS"), _str(e, "ADMIN_API_KEY")),
            redis_url=_str(e, "REDIS_URL"),
            smtp_host=_str(e, "SMTP_HOST"),
            smtp_port=_int(e, "SMTP_PORT", cls.smtp_port, minimum=1),
            smtp_username=_str(e, "SMTP_USERNAME"),
            smtp_password=_str(e, "SMTP_PASSWORD"),
            smtp_from=e.get("SMTP_FROM") or cls.smtp_from,
            smtp_starttls=_bool(e, "SMTP_STARTTLS", cls.smtp_starttls),
            twilio_account_sid=_str(e, "TWILIO_ACCOUNT_SID"),
            twilio_auth_token=_str(e, "TWILIO_AUTH_TOKEN"),
            twilio_from_number=_str(e, "TWILIO_FROM_NUMBER"),
            twilio_base_url=_str(e, "TWILIO_BASE_URL"),
            whatsapp_token=_str(e, "WHATSAPP_TOKEN"),
            whatsapp_phone_number_id=_str(e, "WHATSAPP_PHONE_NUMBER_ID"),
            whatsapp_api_url=(e.get("WHATSAPP_API_URL") or cls.whatsapp_api_url).rstrip("/"),
            instagram_token=_str(e, "INSTAGRAM_TOKEN"),
            meta_app_secret=_str(e, "META_APP_SECRET"),
            meta_verify_token=_str(e, "META_VERIFY_TOKEN"),
            anthropic_api_key=_str(e, "ANTHROPIC_API_KEY"),
            anthropic_model=e.get("ANTHROPIC_MODEL") or cls.anthropic_model,
            anthropic_base_url=_str(e, "ANTHROPIC_BASE_URL"),
            groq_api_key=_str(e, "GROQ_API_KEY"),
            groq_model=e.get("GROQ_MODEL") or cls.groq_model,
            groq_base_url=_str(e, "GROQ_BASE_URL"),
            ai_providers=providers,
            ai_timeout_seconds=_float(e, "AI_TIMEOUT", cls.ai_timeout_seconds),
            max_message_chars=_int(
                e, "SHOPMCP_MAX_MESSAGE_CHARS", cls.max_message_chars, minimum=1
            ),
            rate_per_user=_int(e, "SHOPMCP_RATE_PER_USER", cls.rate_per_user),
            rate_per_ip=_int(e, "SHOPMCP_RATE_PER_IP", cls.rate_per_ip),
            rate_global=_int(e, "SHOPMCP_RATE_GLOBAL", cls.rate_global),
            playground_rate_per_ip=_int(
                e, "SHOPMCP_PLAYGROUND_RATE_PER_IP", cls.playground_rate_per_ip
            ),
            playground_rate_global=_int(
                e, "SHOPMCP_PLAYGROUND_RATE_GLOBAL", cls.playground_rate_global
            ),
            header_timeout_seconds=_float(e, "SHOPMCP_HEADER_TIMEOUT", cls.header_timeout_seconds),
            body_timeout_seconds=_float(e, "SHOPMCP_BODY_TIMEOUT", cls.body_timeout_seconds),
            keep_alive_seconds=_int(e, "SHOPMCP_KEEP_ALIVE", cls.keep_alive_seconds, minimum=1),
            max_connections=_int(e, "SHOPMCP_MAX_CONNECTIONS", cls.max_connections, minimum=1),
            max_connections_per_ip=_int(
                e, "SHOPMCP_MAX_CONNECTIONS_PER_IP", cls.max_connections_per_ip
            ),
            forwarded_allow_ips=e.get("FORWARDED_ALLOW_IPS", cls.forwarded_allow_ips),
            log_format=_choice(e, "SHOPMCP_LOG_FORMAT", cls.log_format, ("plain", "json")),
            log_level=_choice(
                e, "SHOPMCP_LOG_LEVEL", cls.log_level, ("debug", "info", "warning", "error")
            ),
        )

    def subprocess_env(self) -> dict[str, str]:
        """The variables an MCP subprocess needs, as strings, for `StdioServerParameters(env=...)`."""
        names = {
            "SHOPMCP_DATA_DIR": self.data_dir,
            "SHOPMCP_PATTERNS": self.patterns_dir,
            "SHOPMCP_DB": self.database,
            "SHOPMCP_CURRENCY": self.default_currency,
            "BUSINESS_API_URL": self.business_api_url,
            "BUSINESS_API_TOKEN": self.business_api_token,
            "SHOPMCP_PUBLIC_URL": self.public_base_url,
            "SHOPMCP_LINK_SECRET": self.link_secret,
            "SHOPMCP_LINK_TTL": self.link_ttl_seconds,
            "SMTP_HOST": self.smtp_host,
            "SMTP_PORT": self.smtp_port,
            "SMTP_USERNAME": self.smtp_username,
            "SMTP_PASSWORD": self.smtp_password,
            "SMTP_FROM": self.smtp_from,
            "SMTP_STARTTLS": "true" if self.smtp_starttls else "false",
            "TWILIO_ACCOUNT_SID": self.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": self.twilio_auth_token,
            "TWILIO_FROM_NUMBER": self.twilio_from_number,
            "TWILIO_BASE_URL": self.twilio_base_url,
            "WHATSAPP_TOKEN": self.whatsapp_token,
            "WHATSAPP_PHONE_NUMBER_ID": self.whatsapp_phone_number_id,
            "WHATSAPP_API_URL": self.whatsapp_api_url,
            "INSTAGRAM_TOKEN": self.instagram_token,
            "ANTHROPIC_API_KEY": self.anthropic_api_key,
            "ANTHROPIC_MODEL": self.anthropic_model,
            "ANTHROPIC_BASE_URL": self.anthropic_base_url,
            "GROQ_API_KEY": self.groq_api_key,
            "GROQ_MODEL": self.groq_model,
            "GROQ_BASE_URL": self.groq_base_url,
            "AI_PROVIDERS": ",".join(self.ai_providers),
            "AI_TIMEOUT": self.ai_timeout_seconds,
            "REDIS_URL": self.redis_url,
            "SHOPMCP_LOG_FORMAT": self.log_format,
            "SHOPMCP_LOG_LEVEL": self.log_level,
        }
        return {k: str(v) for k, v in names.items() if v is not None}
