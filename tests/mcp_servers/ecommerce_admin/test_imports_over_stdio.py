"""Imports through the admin server as a real stdio subprocess (issue 11, items 7, 12 and 14).

Each refused file gets `invalid_file` and a reason, never the SDK's bare "Error executing tool";
a long import leaves the server answering; nothing outside `imports/` is ever read.
"""

from __future__ import annotations

import io
import os
import random
import sqlite3
import sys
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import openpyxl
import pytest
from mcp import Client, StdioServerParameters

from commerce.importing import MAX_FILE_BYTES
from shopmcp.settings import PROJECT_ROOT

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

LIMIT = 120
"""Seconds per import: the slow workbook below reads in ~2 s idle, ~20 s on a loaded 2-core box."""
PROBE_LIMIT = 10
"""Seconds for one tools/list while an import runs; before the fix it waited for the whole import."""
SECRET_CSV = "sku,name,price,category\nLEAK-1,Secret,1.00,home\n"
"""What the file outside imports/ holds: a valid catalog, so reading it would visibly import it."""


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the module's one server; each test uses file names of its own."""
    root = tmp_path_factory.mktemp("admin")
    (root / "imports").mkdir()
    (root / "link-secret").write_text(SECRET_CSV)
    return root


@pytest.fixture(scope="module")
async def client(data_dir: Path) -> AsyncIterator[Client]:
    """The server starts once per module: a start takes ~1 s idle, ~15 s on a loaded box."""
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "mcp_servers.ecommerce_admin"],
        env={"SHOPMCP_DATA_DIR": str(data_dir), "SHOPMCP_LINK_SECRET": "stdio-imports"},
        cwd=str(PROJECT_ROOT),
    )
    async with Client(params) as connected:  # each test bounds its own calls
        yield connected


async def refusal(client: Client, **arguments: Any) -> str:
    with anyio.fail_after(LIMIT):
        result = await client.call_tool("create_from_file", arguments)
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert result.is_error, text
    return text


def skus(data_dir: Path) -> set[str]:
    with sqlite3.connect(f"file:{data_dir / 'shop.sqlite3'}?mode=ro", uri=True) as db:
        found = {row[0] for row in db.execute("SELECT sku FROM products")}
    db.close()
    return found


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        pytest.param(
            {
                "file_type": "json",
                "content": '[{"sku": "S-1", "name": "\\ud800", "price": "1", "category": "home"}]',
            },
            "unpaired surrogate",
            id="lone-surrogate-escape-in-json",
        ),
        pytest.param(
            {
                "file_type": "csv",
                "content": "sku,name\\nS-1,\\ud800\\n",
                "encoding": "unicode_escape",
            },
            "unpaired surrogate",
            id="lone-surrogate-from-an-escape-codec",
        ),
        pytest.param({"file_type": "csv", "path": "a" * 5000}, "at most 255", id="5000-char-path"),
        pytest.param({"file_type": "csv", "path": "cat\x00.csv"}, "NUL byte", id="nul-in-path"),
        pytest.param({"file_type": "csv", "path": "/etc/passwd"}, "outside", id="absolute-path"),
        pytest.param({"file_type": "csv", "path": "../link-secret"}, "outside", id="dot-dot"),
    ],
)
async def test_a_refused_import_names_invalid_file_and_the_reason(
    client: Client, arguments: dict[str, Any], reason: str
) -> None:
    text = await refusal(client, **arguments)
    assert "invalid_file: " in text and reason in text, text


@pytest.mark.parametrize(
    ("make", "name"),
    [
        pytest.param(
            lambda d, n: os.link(d / "link-secret", d / "imports" / n), "hard.csv", id="hard-link"
        ),
        pytest.param(
            lambda d, n: os.symlink(d / "link-secret", d / "imports" / n), "sym.csv", id="symlink"
        ),
        pytest.param(
            lambda d, n: os.symlink("../link-secret", d / "imports" / n),
            "relative.csv",
            id="relative-symlink",
        ),
    ],
)
async def test_a_link_in_imports_to_a_file_outside_is_not_read(
    client: Client, data_dir: Path, make: Any, name: str
) -> None:
    make(data_dir, name)
    text = await refusal(client, file_type="csv", path=name)
    assert "invalid_file: " in text and "link" in text, text
    assert "LEAK-1" not in skus(data_dir)


async def test_a_symlinked_folder_in_imports_is_not_followed(
    client: Client, data_dir: Path
) -> None:
    (data_dir / "outside").mkdir()
    (data_dir / "outside" / "c.csv").write_text(SECRET_CSV)
    os.symlink(data_dir / "outside", data_dir / "imports" / "shared")
    text = await refusal(client, file_type="csv", path="shared/c.csv")
    assert "invalid_file: " in text and "symbolic link" in text, text
    assert "LEAK-1" not in skus(data_dir)


async def test_a_fifo_in_imports_is_refused_without_blocking(
    client: Client, data_dir: Path
) -> None:
    os.mkfifo(data_dir / "imports" / "pipe.csv")
    text = await refusal(client, file_type="csv", path="pipe.csv")
    assert "invalid_file: " in text and "not a regular file" in text, text


async def test_a_file_in_a_subfolder_of_imports_is_read(client: Client, data_dir: Path) -> None:
    (data_dir / "imports" / "2025").mkdir()
    (data_dir / "imports" / "2025" / "c.csv").write_text(SECRET_CSV.replace("LEAK", "OK"))
    with anyio.fail_after(LIMIT):
        result = await client.call_tool(
            "create_from_file", {"file_type": "csv", "path": "2025/c.csv"}
        )
    assert not result.is_error and result.structured_content is not None, result.content
    assert result.structured_content["created"] == 1


def padded_workbook(unpacked: int) -> bytes:
    """A real workbook whose sheet is padded with low-entropy text: it packs about 7x, well under
    the zip-bomb ratio, and stays under the upload cap while unpacking to `unpacked` bytes."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["sku", "name", "price", "category"])
    source = io.BytesIO()
    book.save(source)
    noise = random.Random(11).randbytes(unpacked)
    text = noise.translate(bytes(ord("b") if i % 16 == 0 else ord("a") for i in range(256)))
    cells = b"".join(
        b'<row r="%d"><c r="B%d" t="inlineStr"><is><t>%s</t></is></c></row>'
        % (n + 2, n + 2, text[start : start + 30_000])
        for n, start in enumerate(range(0, len(text), 30_000))
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as padded,
    ):
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", cells + b"</sheetData>")
            padded.writestr(info.filename, data)
    return out.getvalue()


async def test_a_padded_workbook_that_unpacks_too_large_is_refused_at_once(
    client: Client, data_dir: Path
) -> None:
    book = padded_workbook(52 * 1024 * 1024)
    assert len(book) < MAX_FILE_BYTES  # under the upload cap and the 100x ratio: only the
    assert 52 * 1024 * 1024 / len(book) < 100  # bound on the unpacked size can refuse it
    (data_dir / "imports" / "padded.xlsx").write_bytes(book)
    with anyio.fail_after(10):  # refused before openpyxl parses anything
        text = await refusal(client, file_type="xlsx", path="padded.xlsx")
    assert "invalid_file: " in text and "unpacks to" in text, text


def slow_workbook(rows: int) -> bytes:
    """A valid catalog of `rows` products, 20 columns wide: a few seconds of parsing."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["sku", "name", "price", "stock", "category"] + [f"note {i}" for i in range(15)])
    for n in range(rows):
        sheet.append([f"SLOW-{n}", f"Lamp {n}", "9.99", 1, "home"] + [f"text {n}"] * 15)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_a_long_import_leaves_the_server_answering_and_reports_progress(
    client: Client, data_dir: Path
) -> None:
    rows = 2000
    (data_dir / "imports" / "slow.xlsx").write_bytes(slow_workbook(rows))
    progress: list[float] = []
    answered_during_import = 0
    done = anyio.Event()
    report: dict[str, Any] = {}

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    async def run_import() -> None:
        result = await client.call_tool(
            "create_from_file",
            {"file_type": "xlsx", "path": "slow.xlsx"},
            progress_callback=on_progress,
        )
        assert not result.is_error and result.structured_content is not None, result.content
        report.update(result.structured_content)
        done.set()

    async def probe() -> None:  # the pool's liveness probe, at a faster cadence
        nonlocal answered_during_import
        while not done.is_set():
            with anyio.fail_after(PROBE_LIMIT):
                await client.list_tools(cache_mode="bypass")
            if not done.is_set():
                answered_during_import += 1
            await anyio.sleep(0.1)

    with anyio.fail_after(LIMIT):
        async with anyio.create_task_group() as tg:
            tg.start_soon(run_import)
            tg.start_soon(probe)
    assert report["created"] == rows
    assert answered_during_import >= 2
    assert progress and progress == sorted(progress)
