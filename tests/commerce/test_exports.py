"""The package's public surface is its sorted `__all__`."""

import commerce


def test_all_is_sorted_and_every_name_exists() -> None:
    assert commerce.__all__ == sorted(commerce.__all__, key=lambda n: (not n.isupper(), n))
    for name in commerce.__all__:
        assert hasattr(commerce, name), name
