"""``parallax reannotate``: a store annotated by older stage versions is brought to the current
ones without re-ingesting — replaced rows, new stage names, cascade, resumable, idempotent, one
article's failure reported — and the relation index follows."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import sample_records, write_jsonl
from newsparallax.analyze import relations
from newsparallax.annotate.events.stage import STAGE as EVENTS
from newsparallax.annotate.events.stage import EventsStage
from newsparallax.cli.main import main
from newsparallax.ingest import ingest
from newsparallax.reannotate import pending, reannotate
from newsparallax.records import Event
from newsparallax.store.annotations import replace_annotations, stored_articles
from newsparallax.store.database import Store
from newsparallax.watches import load_watch
from relations_support import add, ev

OLD_EVENTS = "events.v0"
_TEMPLATE: list[Path] = []


def _fresh(tmp_path: Path) -> Path:
    """A store ingested by today's stages (built once, then copied)."""
    db = tmp_path / "s.db"
    if not _TEMPLATE:
        built = tmp_path / "template.db"
        source = write_jsonl(tmp_path / "in.jsonl", sample_records())
        with Store(built) as store:
            ingest([str(source)], store=store, watch=load_watch("iran-russia"), workers=1)
        _TEMPLATE.append(built)
    shutil.copyfile(_TEMPLATE[0], db)
    return db


def _snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    for _, article in stored_articles(store, _rowids(store)):
        out[article.id] = sorted(
            (e.type, e.source or "", e.target or "", e.field, e.sentence_start, e.confidence)
            for e in article.events
        )
    return out


def _rowids(store: Store) -> list[int]:
    return [int(r[0]) for r in store.conn.execute("SELECT rowid FROM articles ORDER BY rowid")]


def _age(store: Store) -> int:
    """Make every pipeline-annotated article look coded by an older events stage, with a wrong
    event of that older coder; returns how many."""
    aged = 0
    bogus = Event(
        type="ASSAULT", source="IRN", target="RUS", sentence_start=0, sentence_end=5,
        coder="old", confidence=1.0,
    )  # fmt: skip
    for rowid, article in stored_articles(store, _rowids(store)):
        if EVENTS not in article.stages:
            continue
        stages = tuple(OLD_EVENTS if s == EVENTS else s for s in article.stages)
        old = replace(article, events=(bogus,), stages=stages)
        replace_annotations(store, rowid, old, tables=["events"])
        aged += 1
    return aged


def test_old_events_are_recoded_in_place_and_a_second_run_does_nothing(tmp_path: Path) -> None:
    watch = load_watch("iran-russia")
    with Store(_fresh(tmp_path)) as store:
        expected = _snapshot(store)
        # an imported record (no pipeline stages) keeps its events whatever happens
        imported = add(store, "reuters.com", "2024-01-02", "Imported", [ev("AID", "IRN", "RUS")])
        aged = _age(store)
        assert aged >= 4
        assert pending(store, watch, stages=["events"]) == {EVENTS: aged, "themes.v2": 0}
        summary = reannotate(store, watch, stages=["events"], batch=2)
        assert summary.stages == [EVENTS, "themes.v2"]  # themes read events: they run too
        assert summary.pending == aged and summary.articles == aged and not summary.failed
        assert summary.before["events"] == aged  # one bogus event each
        after = _snapshot(store)
        imported_events = after.pop(imported)
        assert after == expected  # the same events a fresh ingest codes, bogus ones gone
        assert [e[0] for e in imported_events] == ["AID"]
        for _, article in stored_articles(store, _rowids(store)):
            assert OLD_EVENTS not in article.stages
            if article.id != imported:
                assert article.stages.count(EVENTS) == 1
                assert article.stages.index(EVENTS) < article.stages.index("themes.v2")
        assert summary.refresh is not None and not relations.pending(store)
        again = reannotate(store, watch, stages=["events"])
        assert again.pending == 0 and again.articles == 0


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path: Path) -> None:
    watch = load_watch("iran-russia")
    with Store(_fresh(tmp_path)) as store:
        expected = _snapshot(store)
        aged = _age(store)

        def stop_after_two(rowids):  # type: ignore[no-untyped-def]
            for i, rowid in enumerate(rowids):
                if i == 2:
                    raise KeyboardInterrupt
                yield rowid

        with pytest.raises(KeyboardInterrupt):
            reannotate(store, watch, stages=["events"], batch=1, progress=stop_after_two)
        assert pending(store, watch, stages=["events"])[EVENTS] == aged - 2
        rest = reannotate(store, watch, stages=["events"])
        assert rest.articles == aged - 2
        assert _snapshot(store) == expected


def test_an_article_a_stage_fails_on_keeps_its_annotations_and_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = load_watch("iran-russia")
    with Store(_fresh(tmp_path)) as store:
        aged = _age(store)
        [(_, victim)] = list(stored_articles(store, _rowids(store)[:1]))
        real = EventsStage.__call__

        def flaky(self, doc):  # type: ignore[no-untyped-def]
            if doc.id == victim.id:
                raise RuntimeError("coder crashed")
            return real(self, doc)

        monkeypatch.setattr(EventsStage, "__call__", flaky)
        summary = reannotate(store, watch, stages=["events"])
        assert summary.articles == aged - 1
        assert summary.failed == [{"id": victim.id, "error": "RuntimeError: coder crashed"}]
        kept = store.get(victim.id)
        assert kept is not None and OLD_EVENTS in kept.stages
        assert [e.coder for e in kept.events] == ["old"]


def test_cli_dry_run_then_run(tmp_path: Path) -> None:
    db = _fresh(tmp_path)
    with Store(db) as store:
        aged = _age(store)
    runner = CliRunner()
    dry = runner.invoke(main, ["reannotate", "--db", str(db), "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["pending"]["actors.v2"] == 0
    assert json.loads(dry.stdout)["pending"][EVENTS] == aged
    done = runner.invoke(main, ["reannotate", "--db", str(db), "--stage", "events"])
    assert done.exit_code == 0, done.output
    assert f"{aged} of {aged} articles annotated again" in done.stdout
    bad = runner.invoke(main, ["reannotate", "--db", str(db), "--since", "yesterday"])
    assert bad.exit_code == 2
