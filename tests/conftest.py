"""Shared fixtures: small hand-written articles (our own text, never third-party copy)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Tests of the plumbing (ingest → index → pages) count every coded event, whatever the shipped
# confidence model makes of our small sentences; tests/test_event_threshold.py sets the
# threshold itself and checks that events below it count nowhere.
os.environ.setdefault("PARALLAX_EVENT_THRESHOLD", "0")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"

EN_DRONES = (
    "Tehran and Moscow signed a new agreement on drone production on Tuesday, according to "
    "officials in both capitals. The deal covers the assembly of attack drones at a plant in "
    "Tatarstan and the training of engineers. Western governments said the transfers violate "
    "sanctions and promised a response. Iran's foreign ministry denied that any weapons were "
    "sent for use in Ukraine, while the Kremlin declined to comment on the details of the "
    "agreement. Analysts said the partnership has deepened since 2022."
)
RU_SANCTIONS = (
    "Министерство иностранных дел России заявило, что новые санкции против Ирана являются "
    "незаконными. По словам официального представителя ведомства, Москва продолжит "
    "сотрудничество с Тегераном в области энергетики и транспорта. Стороны обсудили строительство "
    "железной дороги Решт — Астара и расчёты в национальных валютах. Санкциями Запада, по мнению "
    "дипломатов, нельзя остановить развитие связей двух стран."
)
FA_TREATY = (
    "وزیر امور خارجه ایران در سفر به مسکو با همتای روسی خود دیدار کرد. دو طرف درباره اجرای "
    "پیمان مشارکت راهبردی جامع و همکاری‌های اقتصادی گفتگو کردند. به گفته مقام‌ها، تحریم‌ها "
    "مانع گسترش روابط تهران و مسکو نخواهد شد و پروژه‌های انرژی و حمل و نقل ادامه خواهد یافت."
)


def record(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": None,
        "url": None,
        "outlet": None,
        "domain": None,
        "language": None,
        "published": None,
        "date_precision": None,
        "title": None,
        "summary": None,
        "text": None,
        "collection": "test",
        "license": "test fixture",
    }
    base.update(fields)
    return base


def sample_records() -> list[dict[str, Any]]:
    return [
        record(
            url="https://www.reuters.com/world/iran-russia-drones-2023-01-10/?utm_source=x",
            domain="reuters.com",
            language="en",
            published="2023-01-10T08:30:00+00:00",
            date_precision="second",
            title="Iran and Russia sign drone production deal",
            text=EN_DRONES,
        ),
        record(
            url="https://tass.ru/politika/123456",
            domain="tass.ru",
            language="ru",
            published="2024-03-05",
            date_precision="day",
            title="МИД России назвал санкции против Ирана незаконными",
            text=RU_SANCTIONS,
        ),
        record(
            url="https://www.irna.ir/news/85000001/",
            domain="irna.ir",
            language="fa",
            published="2025-01",
            date_precision="month-estimated",
            title="دیدار وزیران خارجه ایران و روسیه در مسکو",
            text=FA_TREATY,
        ),
        # a syndicated copy of the English article on another site, with a short tail added
        record(
            url="https://example-news.com/world/iran-russia-drone-deal",
            domain="example-news.com",
            language="en",
            published="2023-01-10T10:00:00+00:00",
            date_precision="second",
            title="Iran and Russia sign drone production deal",
            text=EN_DRONES + " Reporting by our correspondents.",
        ),
    ]


def write_jsonl(path: Path, records: list[dict[str, Any]], *, gz: bool = False) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


WHERE_READ = ("source", "extra")
"""Columns of batch rows that say where a row was read from (a local path or a URL)."""


def batch_rows(out: str | Path, table: str, *, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every row of ``table`` in a ``parallax batch`` output, minus the ``drop`` columns, in
    a stable order (to compare two outputs)."""
    from newsparallax.scale.batch import read_table, written_partitions

    rows = [
        {k: v for k, v in row.items() if k not in drop}
        for part in written_partitions(out)
        for row in read_table(out, table, part).to_pylist()
    ]
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


@pytest.fixture
def sample_jsonl(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "sample.jsonl", sample_records())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for this test session (see tests/pg_support.py)."""
    configured = os.environ.get("PARALLAX_TEST_POSTGRES")
    if configured:
        yield configured
        return
    try:
        import psycopg  # noqa: F401

        from pg_support import cluster

        server = cluster()
        url = server.__enter__()
    except (ImportError, RuntimeError, OSError, subprocess.CalledProcessError) as err:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a PostgreSQL server for the store tests: {err}")
        pytest.skip(f"no PostgreSQL server: {err}")
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_ref(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new empty store on each backend: a SQLite file path, or a PostgreSQL database URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    from pg_support import fresh_database

    return fresh_database(request.getfixturevalue("pg_server"))


# What enables each kind of skipped test: (pattern in the skip reason, the one command).
_ENABLE = (
    ("chromium", "apt-get install -y chromium   (Debian's browser; never `playwright install`)"),
    ("natasha", ".venv/bin/pip install -e '.[ner]'"),
    ("ruptures", ".venv/bin/pip install -e '.[alerts]'"),
    ("PostgreSQL", "apt-get install -y postgresql   (the tests start a throwaway server)"),
    ("../shared", "clone the repository beside the shared data folder (../shared/data)"),
)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """End the run with what was skipped and the one command that enables it, so a newcomer's
    `make test` says which parts of Parallax it did not check."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    by_command: dict[str, list[str]] = {}
    for report in skipped:
        reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
        command = next((c for key, c in _ENABLE if key.lower() in reason.lower()), None)
        by_command.setdefault(command or f"(no command known) {reason}", []).append(report.nodeid)
    terminalreporter.section("skipped tests and how to enable them")
    for command, tests in by_command.items():
        terminalreporter.write_line(f"{len(tests)} skipped; to run them: {command}")
        for nodeid in tests[:5]:
            terminalreporter.write_line(f"    {nodeid}")
        if len(tests) > 5:
            terminalreporter.write_line(f"    ... and {len(tests) - 5} more")
