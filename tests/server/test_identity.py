"""Who is speaking: keys, namespaces and the web session, as pure functions (server/identity.py).

The attacks themselves run against the real server in tests/e2e/test_ownership.py.
"""

from __future__ import annotations

import pytest

from server.identity import (
    SESSION_COOKIE,
    Caller,
    CredentialsError,
    SessionError,
    WebSessions,
    authenticate,
    channel_user,
    same_origin,
    socket_caller,
)
from shopmcp.settings import Settings

SETTINGS = Settings(
    admin_api_key="the-admin-key",
    api_keys=(("relay", "the-relay-key"), ("app", "the-app-key")),
    public_base_url="https://shop.example",
)
SECRET = b"identity-test-link-secret"
NOW = 1_800_000_000


def test_no_key_is_the_open_namespace_without_admin_rights() -> None:
    assert authenticate(None, SETTINGS) == Caller("api")
    assert authenticate("", SETTINGS).admin is False


def test_the_admin_key_is_an_admin_in_a_namespace_of_its_own() -> None:
    caller = authenticate("Bearer the-admin-key", SETTINGS)
    assert caller.admin and caller.conversation("ana") == "admin:ana"


def test_each_api_key_is_a_namespace_of_its_own_without_admin_rights() -> None:
    relay, app = (
        authenticate("Bearer the-relay-key", SETTINGS),
        authenticate("bearer the-app-key", SETTINGS),
    )
    assert relay.conversation("ana") == "key:relay:ana"
    assert app.conversation("ana") == "key:app:ana"
    assert not relay.admin and not app.admin


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Bearer wrong", id="wrong-key"),
        pytest.param("Basic the-admin-key", id="wrong-scheme"),
        pytest.param("Bearer", id="scheme-only"),
        pytest.param("Bearer the-admin-keyx", id="admin-key-plus-one"),
        pytest.param("Bearer the-relay-key ,the-app-key", id="two-keys"),
        pytest.param("Bearer \xe9t\xe9", id="non-ascii"),
        pytest.param("Bearer \udcff", id="lone-surrogate"),
    ],
)
def test_a_key_that_is_not_ours_is_refused_never_a_shopper(authorization: str) -> None:
    with pytest.raises(CredentialsError, match="admin key"):
        authenticate(authorization, SETTINGS)


def test_without_any_key_configured_every_bearer_is_refused() -> None:
    with pytest.raises(CredentialsError):
        authenticate("Bearer anything", Settings())


@pytest.mark.parametrize(
    ("caller", "user_id"),
    [
        pytest.param(Caller("api"), "whatsapp:34612345678", id="open-api-names-a-whatsapp-id"),
        pytest.param(Caller("api"), "sms:+34612345678", id="open-api-names-an-sms-id"),
        pytest.param(Caller("api"), "instagram:1254459154682919", id="open-api-names-an-igsid"),
        pytest.param(Caller("key:relay"), "whatsapp:34612345678", id="back-end-names-a-channel"),
        pytest.param(Caller("api"), "key:relay:ana", id="open-api-spells-a-back-ends-key"),
        pytest.param(Caller("api"), "admin:ana", id="open-api-spells-the-admins-key"),
        pytest.param(Caller("api"), "web:0123", id="open-api-spells-a-web-session"),
    ],
)
def test_no_user_id_reaches_a_conversation_of_another_namespace(
    caller: Caller, user_id: str
) -> None:
    theirs = {
        channel_user("whatsapp", "34612345678"),
        channel_user("sms", "+34612345678"),
        channel_user("instagram", "1254459154682919"),
        Caller("key:relay").conversation("ana"),
        Caller("admin", admin=True).conversation("ana"),
        Caller("web", subject="0123").conversation("anything"),
    }
    assert caller.conversation(user_id) not in theirs
    assert caller.conversation(user_id).startswith(caller.namespace + ":")


def test_a_web_session_fixes_the_conversation_whatever_user_id_a_frame_names() -> None:
    caller = Caller("web", subject="s1")
    assert caller.conversation("ana") == caller.conversation("bob") == "web:s1"


def test_a_session_token_verifies_to_its_id_until_it_expires() -> None:
    sessions = WebSessions(SECRET, ttl_seconds=100)
    token = sessions.issue("s1", now=NOW)
    assert sessions.verify(token, now=NOW + 99) == "s1"
    with pytest.raises(SessionError, match="expired"):
        sessions.verify(token, now=NOW + 100)


def test_new_sessions_get_distinct_unguessable_ids() -> None:
    sessions = WebSessions(SECRET)
    ids = {sessions.verify(sessions.issue()) for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 32 for i in ids)


def _variants(token: str) -> list[str]:
    version, session_id, expires, mac = token.split(".")
    return [
        token + "=",
        token + "00",
        " " + token,
        token.upper(),
        f"{version}.{session_id}.{int(expires) + 1}.{mac}",
        f"{version}.{'0' * 32}.{expires}.{mac}",
        f"v2.{session_id}.{expires}.{mac}",
        f"{version}.{session_id}.{expires}",
        f"{version}.{session_id}.{'9' * 5000}.{mac}",
        "",
        "\udcff",
    ]


def test_a_changed_or_re_encoded_token_is_refused() -> None:
    sessions = WebSessions(SECRET)
    token = sessions.issue("s1")
    for variant in _variants(token):
        with pytest.raises(SessionError):
            sessions.verify(variant)


def test_a_token_of_another_secret_is_refused() -> None:
    token = WebSessions(b"another secret").issue("s1")
    with pytest.raises(SessionError, match="not one this server issued"):
        WebSessions(SECRET).verify(token)


@pytest.mark.parametrize(
    ("origin", "host", "expected"),
    [
        pytest.param(None, "127.0.0.1:3300", True, id="no-origin-is-no-page"),
        pytest.param("http://127.0.0.1:3300", "127.0.0.1:3300", True, id="the-host"),
        pytest.param("https://shop.example", "10.0.0.5:3300", True, id="the-public-url"),
        pytest.param("https://evil.example", "127.0.0.1:3300", False, id="another-site"),
        pytest.param("https://shop.example.evil.example", "x", False, id="a-lookalike"),
        pytest.param("null", "127.0.0.1:3300", False, id="an-opaque-origin"),
    ],
)
def test_only_our_own_pages_are_same_origin(origin: str | None, host: str, expected: bool) -> None:
    assert same_origin(origin, host, SETTINGS.public_base_url) is expected


def test_a_socket_with_a_key_is_that_keys_caller_even_with_a_session_cookie() -> None:
    sessions = WebSessions(SECRET)
    cookies = {SESSION_COOKIE: sessions.issue("s1")}
    headers = {"authorization": "Bearer the-relay-key", "host": "shop.example"}
    assert socket_caller(headers, cookies, SETTINGS, sessions) == Caller("key:relay")


def test_a_socket_with_our_session_cookie_is_that_browsers_caller() -> None:
    sessions = WebSessions(SECRET)
    cookies = {SESSION_COOKIE: sessions.issue("s1")}
    headers = {"origin": "https://shop.example", "host": "shop.example"}
    assert socket_caller(headers, cookies, SETTINGS, sessions) == Caller("web", subject="s1")
    assert socket_caller({}, {}, SETTINGS, sessions) == Caller("api")


def test_a_socket_from_another_sites_page_cannot_use_the_session() -> None:
    sessions = WebSessions(SECRET)
    cookies = {SESSION_COOKIE: sessions.issue("s1")}
    headers = {"origin": "https://evil.example", "host": "shop.example"}
    with pytest.raises(SessionError, match="another site"):
        socket_caller(headers, cookies, SETTINGS, sessions)
