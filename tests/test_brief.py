"""``parallax brief``: a briefing built from a small store of hand-written articles (our own
words), ingested for real, with a hand-made story and alert; HTML, Markdown and PDF."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import record, write_jsonl
from newsparallax.cli.brief import register
from newsparallax.cli.main import main
from newsparallax.ingest import ingest
from newsparallax.report import brief
from newsparallax.report.brief import gather, markdown
from newsparallax.report.brief import html as brief_html
from newsparallax.store.database import Store
from newsparallax.watches import load_watch
from relations_support import make_story

HOSTILE = "<script>alert(1)</script>"
HOSTILE_TITLE = f"{HOSTILE} Iran supplied attack drones to Russia"
TEXTS = {
    "drones": "Iran supplied attack drones to Russia. Officials in Kyiv condemned the transfer.",
    "meeting": "Russia's defence minister met his Iranian counterpart. They discussed training.",
    "sanctions": "The United States imposed new sanctions on Iran. The measures target shipping.",
    "treaty": "Iran and Russia signed a strategic partnership treaty. It covers energy and trade.",
}
# (outlet domain, day, title, text key, url path)
ARTICLES = [
    ("reuters.com", "2024-04-24", "Iran and Russia sign partnership treaty", "treaty"),
    ("tass.ru", "2024-04-25", "Moscow and Tehran sign treaty", "treaty"),
    ("reuters.com", "2024-05-02", "Iran sends drones to Russia, officials say", "drones"),
    ("tass.ru", "2024-05-03", "Russian defence minister meets Iranian counterpart", "meeting"),
    ("presstv.ir", "2024-05-03", "Defence ministers of Iran and Russia meet", "meeting"),
    ("apnews.com", "2024-05-04", HOSTILE_TITLE, "drones"),
    ("bbc.com", "2024-05-05", "US announces new sanctions on Iran", "sanctions"),
    ("tass.ru", "2024-05-06", "Russia condemns US sanctions on Iran", "sanctions"),
]


def cli() -> click.Group:
    group = click.Group(name="parallax", commands=dict(main.commands))
    register(group)
    register(group)  # idempotent
    return group


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("brief")
    records = [
        record(
            url=f"https://www.{domain}/news/{n}-{day}",
            domain=domain,
            language="en",
            published=f"{day}T09:00:00+00:00",
            date_precision="second",
            title=title,
            text=TEXTS[key],
        )
        for n, (domain, day, title, key) in enumerate(ARTICLES)
    ]
    db = folder / "brief.db"
    with Store(db) as store:
        ingest(
            [str(write_jsonl(folder / "in.jsonl", records))],
            store=store,
            watch=load_watch("iran-russia"),
            workers=1,
        )
        rows = store.conn.execute(
            "SELECT id, title FROM articles WHERE published_ts >= ? ORDER BY published_ts",
            (1714521600,),  # 2024-05-01
        ).fetchall()
        ids = [r[0] for r in rows]
        hostile_id = next(r[0] for r in rows if r[1] == HOSTILE_TITLE)
        make_story(store, "s-drones", f"Drones {HOSTILE} for Russia", ids[:4])
        with store.transaction():
            store.conn.execute(
                "INSERT INTO alerts(watch, rule, kind, subject, title, summary, first_day,"
                " last_day, count, severity, article_ids, detail, created_at, updated_at)"
                " VALUES ('iran-russia', 'test-rule', 'threshold', 'IRN-RUS', ?, 'a test alert',"
                " '2024-05-04', '2024-05-04', 1, 3.0, ?, '{}', '2024-05-05', '2024-05-05')",
                (f"Spike {HOSTILE}", json.dumps([hostile_id])),
            )
    return db


def _run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli(), ["brief", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_build_data(store_path: Path) -> None:
    with Store(store_path) as store:
        data = brief.build(store, load_watch("iran-russia"), period="week")
    assert (data["start"], data["end"]) == ("2024-04-30", "2024-05-06")
    irn_rus = next(r for r in data["relations"] if r["name"] == "IRN–RUS")
    assert irn_rus["current"]["events"] >= 2
    assert irn_rus["sources"]["total"] >= 2
    assert data["stories"] and data["stories"][0]["id"] == "s-drones"
    assert [a["title"] for a in data["alerts"]] == [f"Spike {HOSTILE}"]
    assert any(m["pair"] == "IRN–RUS" for m in data["milestones"])


def test_html(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    _run(store_path, "--until", "2024-05-06", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    for section in ("relations", "stories", "blindspots", "alerts", "milestones"):
        assert f'id="{section}"' in page
    assert "<svg" in page and "<rect" in page  # the relation chart
    assert 'href="https://www.reuters.com/news/2-2024-05-02"' in page
    assert "<script" not in page  # the hostile title and story label are text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "src=" not in page and "<link" not in page  # no external resource


def test_markdown(store_path: Path) -> None:
    text = _run(store_path, "--format", "md", "--period", "month")
    assert "## What changed in the relations" in text and "## Milestones" in text
    assert "### IRN–RUS" in text
    assert "(<https://www.tass.ru/news/3-2024-05-03>)" in text
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_day_period_and_errors(store_path: Path, tmp_path: Path) -> None:
    text = _run(store_path, "--format", "md", "--period", "day", "--until", "2024-01-01")
    assert "No events in the watch's dyads" in text
    result = CliRunner().invoke(cli(), ["brief", "--db", str(store_path), "--until", "May 4"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    result = CliRunner().invoke(cli(), ["brief", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no store" in result.output


def test_pdf_without_chromium(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(brief, "chromium_path", lambda: None)
    out = tmp_path / "b.pdf"
    result = CliRunner().invoke(
        cli(), ["brief", "--db", str(store_path), "--format", "pdf", "--out", str(out)]
    )
    assert result.exit_code == 1 and "Chromium" in result.output and not out.exists()


@pytest.mark.skipif(brief.chromium_path() is None, reason="no chromium")
def test_pdf(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    _run(store_path, "--format", "pdf", "--out", str(out))
    assert out.read_bytes()[:4] == b"%PDF"


def test_only_http_links_and_markdown_escaping() -> None:
    assert gather._safe_url("javascript:alert(1)") is None
    assert gather._safe_url("https://example.org/a") == "https://example.org/a"
    assert markdown._md("<b>[x](javascript:y)</b>") == "&lt;b&gt;\\[x\\](javascript:y)&lt;/b&gt;"


def test_bidi_controls_are_removed_from_briefings() -> None:
    """Issue 15: the HTML (and so the PDF) and the Markdown drop embedding, override and
    isolate controls; the ZWNJ and RLM of Persian stay."""
    spoof = "Iran \u202eaidem\u202c and \u2066Russia\u2069"
    fa = "تحریم\u200cها\u200f"
    page = (
        brief_html._env()
        .from_string("<title>{{ t }}</title><p>{{ fa }}</p>")
        .render(t=spoof, fa=fa)
    )
    assert page == f"<title>Iran aidem and Russia</title><p>{fa}</p>"
    assert markdown._md(spoof) == "Iran aidem and Russia" and markdown._md(fa) == fa
