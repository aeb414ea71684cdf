"""SHOPMCP_API_KEYS read from the environment: `name:key` pairs, or a clear error naming it."""

from __future__ import annotations

import pytest

from shopmcp.settings import Settings, SettingsError


def test_api_keys_are_read_as_named_pairs() -> None:
    settings = Settings.from_env({"SHOPMCP_API_KEYS": "relay:k-one, app:k:two,"})
    assert settings.api_keys == (("relay", "k-one"), ("app", "k:two"))


def test_no_api_keys_is_the_open_api_alone() -> None:
    assert Settings.from_env({}).api_keys == ()
    assert Settings.from_env({"SHOPMCP_API_KEYS": ""}).api_keys == ()


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        pytest.param("just-a-secret-key", "entry 1 is not 'name:key'", id="no-name"),
        pytest.param("relay:", "entry 1 is not 'name:key'", id="no-key"),
        pytest.param("relay:a,re lay:b", "entry 2 is not 'name:key'", id="space-in-name"),
        pytest.param("rélay:a", "entry 1 is not 'name:key'", id="non-ascii-name"),
        pytest.param("relay:a,relay:b", "names 'relay' twice", id="same-name-twice"),
        pytest.param("relay:a,app:a", "key of 'app' is also another key", id="same-key-twice"),
        pytest.param("relay:admin-key", "ADMIN_API_KEY", id="the-admin-key"),
    ],
)
def test_a_malformed_api_keys_value_names_the_variable_and_hides_the_keys(
    value: str, complaint: str
) -> None:
    with pytest.raises(SettingsError, match="SHOPMCP_API_KEYS") as error:
        Settings.from_env({"SHOPMCP_API_KEYS": value, "ADMIN_API_KEY": "admin-key"})
    assert complaint in str(error.value)
    assert "just-a-secret-key" not in str(error.value)
