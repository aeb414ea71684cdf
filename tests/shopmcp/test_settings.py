"""Settings that derive from others: where this machine reaches the server, and where payment
links point when SHOPMCP_PUBLIC_URL is not set."""

from __future__ import annotations

import pytest

from shopmcp.settings import Settings


@pytest.mark.parametrize(
    ("env", "local_url"),
    [
        pytest.param({}, "http://localhost:3300", id="defaults"),
        pytest.param({"PORT": "3310"}, "http://localhost:3310", id="port"),
        pytest.param(
            {"SHOPMCP_HOST": "0.0.0.0", "PORT": "8080"}, "http://localhost:8080", id="any"
        ),
        pytest.param(
            {"SHOPMCP_HOST": "127.0.0.1", "PORT": "3310"}, "http://127.0.0.1:3310", id="ip"
        ),
        pytest.param({"SHOPMCP_HOST": "::1", "PORT": "3310"}, "http://[::1]:3310", id="ipv6"),
        pytest.param(
            {"SHOPMCP_HOST": "::", "PORT": "3310"}, "http://localhost:3310", id="any-ipv6"
        ),
    ],
)
def test_the_local_url_is_the_bind_address_and_port(env: dict[str, str], local_url: str) -> None:
    settings = Settings.from_env(env)

    assert settings.local_url == local_url
    assert settings.public_base_url == local_url


def test_payment_links_follow_the_port_unless_a_public_url_is_set() -> None:
    assert Settings(port=3310).public_base_url == "http://localhost:3310"
    public = Settings.from_env({"PORT": "3310", "SHOPMCP_PUBLIC_URL": "https://shop.example/"})
    assert public.public_base_url == "https://shop.example"


def test_the_mcp_servers_receive_the_derived_public_url() -> None:
    assert Settings.from_env({"PORT": "3310"}).subprocess_env()["SHOPMCP_PUBLIC_URL"] == (
        "http://localhost:3310"
    )
