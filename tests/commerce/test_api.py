"""The business API matches its published contract and its command line."""

from __future__ import annotations

import re

import pytest
import yaml

from commerce import SQLiteShop, create_business_api
from commerce.cli import business_api_main
from shopmcp.settings import PROJECT_ROOT


def test_every_route_of_the_app_is_in_the_openapi_file(tmp_path: object) -> None:
    spec = yaml.safe_load((PROJECT_ROOT / "docs/openapi/business-api.yaml").read_text())
    documented = {
        (path, method.upper())
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "post", "patch", "delete"}
    }
    shop = SQLiteShop(":memory:", link_secret=b"k", public_base_url="http://x", seed=False)
    try:
        app = create_business_api(shop)
        served = {
            (re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path), method)
            for route in app.routes
            for method in getattr(route, "methods", ())
            if method in {"GET", "POST", "PATCH", "DELETE"}
        }
    finally:
        shop.close()
    assert served == documented


def test_the_command_explains_its_options() -> None:
    with pytest.raises(SystemExit) as caught:
        business_api_main(["--help"])
    assert caught.value.code == 0
