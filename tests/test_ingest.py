"""End to end: inputs → pipeline → store, idempotent, with every bad input recorded."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import EN_DRONES, REPO, record, sample_records, write_jsonl
from newsparallax.annotate.dedupe import MemoryIndex
from newsparallax.annotate.pipeline import BaseStage, Doc, Pipeline
from newsparallax.errors import PipelineOrderError
from newsparallax.ingest import annotate, build_pipeline, ingest
from newsparallax.store.database import Store
from newsparallax.watches import load_watch

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def test_ingest_stores_and_is_idempotent(sample_jsonl: Path, store_ref: str) -> None:
    watch = load_watch("iran-russia")
    with Store(store_ref) as store:
        first = ingest([str(sample_jsonl)], store=store, watch=watch)
        assert (first.read, first.stored, first.duplicates, first.rejected) == (4, 4, 1, 0)
        second = ingest([str(sample_jsonl)], store=store, watch=watch)
        assert (second.read, second.stored, second.unchanged) == (4, 0, 4)
        assert store.count() == 4
        articles = {a.domain: a for a in store.articles()}
    ru = articles["tass.ru"]
    assert ru.language == "ru" and ru.outlet == "tass.com"
    assert ru.published == datetime(2024, 3, 5, tzinfo=UTC)
    copy = articles["example-news.com"]
    assert copy.duplicate_of == articles["reuters.com"].id
    assert copy.duplicate_similarity is not None and copy.duplicate_similarity >= 0.7
    assert articles["reuters.com"].stages[:9] == (
        "extract.v1",
        "identify.v1",
        "dates.v1",
        "quality.v1",
        "language.v1",
        "actors.v2",
        "events.v2",
        "themes.v2",
        "dedupe.v1",
    )
    # The actors stage ran in the pipeline and its mentions were stored with the article.
    assert {m.actor for m in ru.mentions} >= {"RUS"}


def test_bad_inputs_are_recorded_and_nothing_stored_is_lost(tmp_path: Path, store_ref: str) -> None:
    watch = load_watch("iran-russia")
    good = write_jsonl(tmp_path / "good.jsonl", sample_records())
    with Store(store_ref) as store:
        ingest([str(good)], store=store, watch=watch)
    truncated = tmp_path / "cut.jsonl.gz"
    many = [
        record(url=f"https://example.org/{i}", title=f"Item {i}", text=EN_DRONES + str(i))
        for i in range(200)
    ]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in many).encode())
    truncated.write_bytes(data[: len(data) // 2])
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    no_charset = tmp_path / "legacy.html"
    no_charset.write_bytes(
        (
            "<html><body><article><p>"
            + "Москва и Тегеран подписали соглашение о сотрудничестве. " * 12
            + "</p></article></body></html>"
        ).encode("cp1251")
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"title": "", "text": ""}\n')
    future = write_jsonl(
        tmp_path / "future.jsonl",
        [
            record(
                url="https://tass.com/future",
                title="From the future",
                text=EN_DRONES + " future",
                published="2031-01-01",
                date_precision="day",
            )
        ],
    )
    with Store(store_ref) as store:
        summary = ingest(
            [str(p) for p in (truncated, binary, no_charset, empty, future, tmp_path / "gone")],
            store=store,
            watch=watch,
            now=lambda: NOW,
        )
        codes = sorted(p.code for p in summary.errors)
        assert codes == ["binary", "empty", "not-found", "truncated-gzip"]
        assert not summary.failed
        assert 0 < summary.stored < 200
        assert store.count() == 4 + summary.stored
        legacy = next(store.articles(where="source = ?", params=[str(no_charset)]))
        assert "Тегеран" in legacy.text and legacy.language == "ru"
        fut = next(store.articles(where="url = ?", params=["https://tass.com/future"]))
        assert fut.published is None and fut.date_claimed == "2031-01-01"
        assert "date_in_future" in fut.quality.flags
        assert {p.code for p in store.problems(summary.run_id)} == set(codes)


def test_nothing_readable_means_failed(tmp_path: Path, store_ref: str) -> None:
    with Store(store_ref) as store:
        summary = ingest([str(tmp_path / "missing")], store=store, watch=load_watch("iran-russia"))
    assert summary.failed and summary.read == 0


def test_annotate_does_not_store(sample_jsonl: Path) -> None:
    items = list(annotate([str(sample_jsonl)], watch=load_watch("iran-russia")))
    assert len(items) == 4
    first = items[0]
    assert isinstance(first, dict)
    for key in (
        "id",
        "url",
        "outlet",
        "domain",
        "camp",
        "language",
        "published",
        "date_precision",
        "title",
        "text",
        "quality",
        "duplicate_of",
        "mentions",
        "events",
        "themes",
    ):
        assert key in first
    assert first["camp"] == "western" and first["language"] == "en"
    assert items[3]["duplicate_of"] == first["id"]  # type: ignore[index]


def test_pipeline_checks_order_when_built() -> None:
    class NeedsLanguage(BaseStage):
        name = "needs.v1"
        requires = ("language",)
        provides = ()

        def __call__(self, doc: Doc) -> Doc:
            return doc

    with pytest.raises(PipelineOrderError, match=r"needs\.v1 requires language"):
        Pipeline([NeedsLanguage()])
    pipeline = build_pipeline(watch=load_watch("iran-russia"), index=MemoryIndex())
    Pipeline([*pipeline.stages, NeedsLanguage()])  # after the language stage: fine


def _snapshot(db: Path) -> list[tuple[object, ...]]:
    with Store(db) as store:
        return [
            (a.id, a.duplicate_of, a.language, a.quality.flags, a.published, a.stages)
            for a in store.articles()
        ]


def test_parallel_and_serial_ingest_store_the_same(tmp_path: Path) -> None:
    """Worker processes change speed, not results: same ids, links, order and annotations."""
    watch = load_watch("iran-russia")
    records = sample_records() + [
        record(title=f"Post {i}", text=EN_DRONES if i % 7 == 0 else f"{EN_DRONES} {i} " * 2)
        for i in range(150)
    ]
    path = write_jsonl(tmp_path / "many.jsonl", records)
    results = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        with Store(db) as store:
            summary = ingest([str(path)], store=store, watch=watch, workers=workers)
        assert summary.read == len(records) and summary.rejected == 0
        assert summary.stage_counts["language.v1"]["en"] >= 150
        results.append((summary.stored, summary.duplicates, summary.unchanged, _snapshot(db)))
    assert results[0] == results[1]
    assert results[0][1] > 0  # the repeated posts were linked as duplicates


def test_work_per_article_is_bounded(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A huge text is stored whole, but the annotation stages read only its first
    PARALLAX_MAX_ANNOTATE_CHARS characters (flagged), so their work does not grow with it."""
    from conftest import record, write_jsonl
    from newsparallax.store.database import Store

    monkeypatch.setenv("PARALLAX_MAX_ANNOTATE_CHARS", "20000")
    sentence = "Iran and Russia signed an agreement on drones in Tehran on Monday, officials said. "
    small = sentence * (20_000 // len(sentence))
    huge = sentence * (2_000_000 // len(sentence))
    rows = [
        record(url=f"https://example.org/{n}", domain="example.org", language="en",
               published="2025-01-02", title=f"Deal {n}", text=text)
        for n, text in (("small", small), ("huge", huge))
    ]  # fmt: skip
    for row in rows:
        summary = ingest([str(write_jsonl(tmp_path / "one.jsonl", [row]))], store=Store(db_path),
                         watch=load_watch("iran-russia"))  # fmt: skip
        assert summary.stored == 1
    with Store(db_path, readonly=True) as store:
        huge_article = next(a for a in store.articles() if a.url == "https://example.org/huge")
    assert len(huge_article.text) == len(huge.strip())  # stored whole
    assert "annotated_in_part" in huge_article.quality.flags
    assert max(e.sentence_end for e in huge_article.events) <= 20_000
    assert max(m.end for m in huge_article.mentions if m.field == "text") <= 20_000


def test_workers_end_with_a_killed_ingest(tmp_path: Path) -> None:
    """SIGKILL of `parallax ingest --workers 2` takes its worker processes with it, silently
    (they lived on and printed BrokenPipeError tracebacks); the next run marks it interrupted."""
    import signal
    import subprocess
    import sys
    import time

    from newsparallax.store.database import Store

    rows = [
        record(url=f"https://example.org/k{i}", domain="example.org", language="en",
               published="2025-01-02", title=f"Talks {i}", text=EN_DRONES + f" Item {i}.")
        for i in range(3000)
    ]  # fmt: skip
    source = write_jsonl(tmp_path / "many.jsonl", rows)
    db = tmp_path / "kill.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsparallax", "ingest", str(source), "--db", str(db),
         "--workers", "2", "--no-refresh"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip

    def children() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) == proc.pid:
                    found.append(int(entry.name))
        return found

    deadline = time.monotonic() + 60
    while len(workers := children()) < 2:
        assert time.monotonic() < deadline and proc.poll() is None, "workers never started"
        time.sleep(0.1)
    time.sleep(2)  # let them work
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() and _running(pid) for pid in workers):
        assert time.monotonic() < deadline, "worker processes outlived the killed ingest"
        time.sleep(0.1)
    assert proc.stderr is not None
    assert b"Traceback" not in proc.stderr.read()
    with Store(db) as store:
        store.start_run("ingest")
        statuses = [r[0] for r in store.conn.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses[0] == "interrupted"


def _running(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _finished(store: Store, run_id: int | None) -> bool:
    sql = "SELECT finished_at, status FROM runs WHERE id = ?"
    row = store.conn.execute(sql, (run_id,)).fetchone()
    return row is not None and row[0] is not None and row[1] == "finished"


def test_hostile_json_line_is_a_problem_and_the_run_finishes(
    tmp_path: Path, store_ref: str
) -> None:
    """A line nested 5,000 deep used to crash the run (RecursionError) with its runs row left
    unfinished; now it is a bad-json problem, the good lines of the file and of the next file
    are stored, and the run is finished."""
    watch = load_watch("iran-russia")
    deep = tmp_path / "deep.jsonl"
    deep.write_bytes(
        b'{"title": "Iran", "text": "Iran and Russia signed a deal."}\n'
        + b"[" * 5000
        + b"]" * 5000
        + b"\n"
    )
    other = write_jsonl(tmp_path / "other.jsonl", sample_records()[:2])
    with Store(store_ref) as store:
        summary = ingest([str(deep), str(other)], store=store, watch=watch, workers=1)
        assert [(p.input, p.code) for p in summary.errors] == [(f"{deep}:2", "bad-json")]
        assert summary.stored == 3 and store.count() == 3
        assert [p.code for p in store.problems(summary.run_id)] == ["bad-json"]
        assert _finished(store, summary.run_id)


def test_a_crashed_run_is_finished_with_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a run stop on an unexpected error, what it stored stays and its runs row ends as
    failed, with the error, not left looking like a run still going on."""
    import newsparallax.ingest as ingest_module

    store_one = ingest_module._store
    calls = 0

    def failing_store(store: Store, summary: Any, doc: Doc) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk on fire")
        return store_one(store, summary, doc)

    monkeypatch.setattr(ingest_module, "_store", failing_store)
    path = write_jsonl(tmp_path / "a.jsonl", sample_records()[:3])
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(RuntimeError, match="disk on fire"):
            ingest([str(path)], store=store, watch=load_watch("iran-russia"), workers=1)
        assert store.count() == 1
        row = store.conn.execute("SELECT finished_at, summary, status FROM runs").fetchone()
    assert row[0] is not None and row[2] == "failed"
    assert json.loads(row[1])["aborted"] == "RuntimeError: disk on fire"


_PEAK_RSS = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdin=sys.stdin, capture_output=True)
sys.stderr.write(done.stderr.decode(errors="replace"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
print(done.returncode)
print(done.stdout.decode())
"""


def test_ingest_of_a_json_lines_bomb_stays_small(tmp_path: Path) -> None:
    """`parallax ingest bomb.jsonl.gz` (300 MB of zeros after one good record; 1.5 GB took
    3.9 GB of memory) stays under 500 MB: the over-long line is a too-large problem in the
    JSON output and the store, the good record is stored and the run is finished."""
    good = write_jsonl(tmp_path / "g.jsonl", sample_records()[:1]).read_bytes()
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.GzipFile(bomb, "wb") as fh:
        fh.write(good)
        zeros = bytes(1 << 20)
        for _ in range(300):
            fh.write(zeros)
    db = tmp_path / "s.db"
    env = {**os.environ, "PARALLAX_MAX_PAGE_BYTES": "1000000", "PARALLAX_WORKERS": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "newsparallax", "ingest", "--db", str(db), "--json"]
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, *command, str(bomb)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    peak, returncode, output = done.stdout.split("\n", 2)
    assert int(peak) < 500 << 20, f"peak RSS {int(peak) >> 20} MB"
    assert returncode == "0", done.stderr
    summary = json.loads(output)
    assert summary["stored"] == 1
    assert [(e["input"], e["code"]) for e in summary["errors"]] == [(f"{bomb}:2", "too-large")]
    with Store(db) as store:
        assert [p.code for p in store.problems(summary["run_id"])] == ["too-large"]
        assert _finished(store, summary["run_id"])


def test_hostile_inputs_are_recorded_and_the_run_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through ingest and the store: a record over PARALLAX_MAX_PAGE_BYTES and a damaged
    WARC.gz member are problems of the run (the other records are stored), a page nested
    5,000 deep is stored with its text, and the run is finished."""
    from test_warc import make_warc

    monkeypatch.setenv("PARALLAX_MAX_PAGE_BYTES", "100000")
    big = write_jsonl(
        tmp_path / "big.jsonl",
        [record(title="Big", text=EN_DRONES * 300), *sample_records()[:1]],
    )
    warc = make_warc(tmp_path / "a.warc.gz", n=3)
    data = bytearray(warc.read_bytes())
    second = data.index(b"\x1f\x8b\x08", 1)  # the second gzip member: the second record
    data[second + 60 : second + 64] = bytes(4)
    warc.write_bytes(bytes(data))
    deep = tmp_path / "deep.html"
    deep.write_text(
        "<html><head><title>Drone deal</title></head><body>"
        + "<div>" * 5000
        + f"<p>{EN_DRONES}</p>"
        + "</div>" * 5000
        + "</body></html>"
    )
    with Store(tmp_path / "s.db") as store:
        summary = ingest(
            [str(big), str(warc), str(deep)],
            store=store,
            watch=load_watch("iran-russia"),
            workers=1,
        )
        errors = [(p.input, p.code) for p in summary.errors]
        assert errors == [(f"{big}:1", "too-large"), (f"{warc}#{second}", "bad-warc")]
        assert [(p.input, p.code) for p in store.problems(summary.run_id)] == errors
        assert summary.stored == 4  # 1 record, 2 pages of the WARC, the deep page
        page = next(store.articles(where="source = ?", params=[str(deep)]))
        assert "drone production" in page.text
        assert _finished(store, summary.run_id)
