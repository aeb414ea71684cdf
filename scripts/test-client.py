#!/usr/bin/env python3
"""Send the seed's example messages to a running server and print what comes back.

    .venv/bin/python scripts/test-client.py [--url URL]   (default http://localhost:$PORT)

Each line shows the channel, the message, the intent, the slots and the answer's first line.
"""

from __future__ import annotations

import argparse
import sys
import uuid

import httpx

from shopmcp.settings import Settings

EXAMPLES = [
    ("web-storefront", "en", "Do you have iPhone?"),
    ("web-storefront", "en", "add the second one to my cart"),
    ("web-storefront", "en", "what's in my cart?"),
    ("whatsapp", "es", "Agregar iPhone al carrito"),
    ("whatsapp", "es", "¿tienen auriculares por menos de 100 euros?"),
    ("instagram", "fr", "vous avez des casques ?"),
    ("sms", "de", "habt ihr Kopfhörer?"),
    ("mobile", "en", "checkout"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    local_url = Settings.from_env().local_url
    parser.add_argument(
        "--url",
        default=local_url,
        help=f"the server's address (default {local_url}, from SHOPMCP_HOST and PORT)",
    )
    args = parser.parse_args()
    user = f"test-client-{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=args.url, timeout=30) as client:
        try:
            health = client.get("/health").json()
        except httpx.HTTPError as exc:
            print(
                f"cannot reach {args.url}: {exc}; start the server with `make run`", file=sys.stderr
            )
            return 1
        print(f"server {health['status']}; pattern set {health.get('patternSet')}")
        for channel, locale, message in EXAMPLES:
            response = client.post(
                "/api/message",
                json={"userId": f"{user}-{locale}", "message": message, "clientType": channel},
            )
            data = response.json()
            if response.status_code != 200:
                print(f"[{channel}] {message!r} -> {response.status_code} {data.get('error')}")
                continue
            first = data["response"].splitlines()[0] if data["response"] else ""
            print(
                f"[{channel}/{data['locale']}] {message!r} -> {data['intent']} {data['slots']}: {first}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
