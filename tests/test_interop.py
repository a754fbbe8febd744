"""Export (GDELT 2.0 layout, CSV, JSON Lines, Parquet) and GDELT import, with a round trip."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparallax.acquire.gdelt import GDELT_COLUMNS, import_gdelt, parse_gdelt_row
from newsparallax.analyze import relations
from newsparallax.report.interop import ExportFilter, export_events, gdelt_rows
from newsparallax.store.database import Store
from relations_support import add, cli, ev, open_store

D0 = date(2025, 1, 14)


def _corpus(path: Path) -> Store:
    store = open_store(path)
    add(
        store,
        "reuters.com",
        D0,
        "Putin hosts Pezeshkian",
        [ev("CONSULT", "RUS", "IRN", cameo="043")],
    )
    add(store, "tass.com", D0, "Putin receives Iran's president", [ev("CONSULT", "RUS", "IRN")])
    add(
        store,
        "reuters.com",
        D0 + timedelta(days=3),
        "Iran and Russia sign a partnership treaty",
        [ev("SUPPORT", "IRN", "RUS"), ev("SUPPORT", "RUS", "IRN")],
    )
    add(store, "kyivindependent.com", D0, "Russia strikes Odesa", [ev("ASSAULT", "RUS", "UKR")])
    add(store, "irna.ir", D0, "Iran denies arms deal", [ev("AID", "IRN", "RUS", negated=True)])
    add(store, "timesofisrael.com", D0, "NATO warns Iran", [ev("THREATEN", "NATO", "IRN")])
    return store


def _gdelt_line(**values: str) -> str:
    row = dict.fromkeys(GDELT_COLUMNS, "")
    row.update(values)
    return "\t".join(row[c] for c in GDELT_COLUMNS)


def test_gdelt_export_layout(tmp_path: Path) -> None:
    with _corpus(tmp_path / "a.db") as store:
        out = io.StringIO()
        summary = export_events(store, out, "gdelt")
    lines = out.getvalue().splitlines()
    assert summary.rows == len(lines) == 5  # one row per event: 2 reports of the visit are one
    rows = [line.split("\t") for line in lines]
    assert all(len(r) == 61 for r in rows)
    a1, a2, root = (GDELT_COLUMNS.index(c) for c in ("Actor1Code", "Actor2Code", "EventRootCode"))
    by = {(r[a1], r[a2], r[root]): r for r in rows}
    visit = by[("RUS", "IRN", "04")]
    col = {name: visit[i] for i, name in enumerate(GDELT_COLUMNS)}
    assert col["SQLDATE"] == "20250114" and col["MonthYear"] == "202501" and col["Year"] == "2025"
    assert col["Actor1CountryCode"] == "RUS" and col["Actor2CountryCode"] == "IRN"
    assert col["EventRootCode"] == "04" and col["QuadClass"] == "1"
    assert col["NumMentions"] == "2" and col["NumSources"] == "2" and col["IsRootEvent"] == "1"
    assert int(col["GLOBALEVENTID"]) > 0 and len(col["DATEADDED"]) == 14
    assert col["SOURCEURL"].startswith("https://")
    nato = by[("NATO", "IRN", "13")]
    assert nato[GDELT_COLUMNS.index("Actor1KnownGroupCode")] == "NATO"
    assert nato[GDELT_COLUMNS.index("Actor1CountryCode")] == ""


def test_round_trip_keeps_dyads_types_and_dates(tmp_path: Path) -> None:
    exported = tmp_path / "events.export.CSV"
    with _corpus(tmp_path / "a.db") as store:
        export_events(store, exported, "gdelt")
        ours = sorted(
            (r["source"], r["target"], r["type"], r["day"])
            for r in _reports(store)
            if not r["negated"]
        )
    with open_store(tmp_path / "b.db") as fresh:
        summary = import_gdelt(fresh, [exported])
        assert summary.stored == 5 and not summary.errors
        theirs = sorted(
            {(r["source"], r["target"], r["type"], r["day"]) for r in _reports(fresh, True)}
        )
        assert theirs == sorted(set(ours))
        # imported again: nothing new
        assert import_gdelt(fresh, [exported]).unchanged == 5


def _reports(store: Store, imported: bool = False) -> list[dict[str, object]]:
    out = io.StringIO()
    export_events(store, out, "jsonl", ExportFilter(include_imported=imported))
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_imported_events_are_a_camp_of_their_own(tmp_path: Path) -> None:
    exported = tmp_path / "events.export.CSV"
    with _corpus(tmp_path / "a.db") as store:
        export_events(store, exported, "gdelt")
        relations.rebuild(store)
        before = relations.series(store, "RUS", "IRN").totals
        import_gdelt(store, [exported])
        relations.update(store)
        after = relations.series(store, "RUS", "IRN").totals
        gdelt = relations.series(store, "RUS", "IRN", camp="gdelt").totals
        # the overall series does not change; GDELT's view sits beside it
        assert after["events"] == before["events"] == 2
        assert gdelt["events"] == 2 and gdelt["camps"] == ["gdelt"]
        # and exports leave imported rows out unless asked
        assert len(_reports(store)) == 7
        assert len(_reports(store, imported=True)) == 12
        # imported rows are no search hits and skip the timeline
        from newsparallax.analyze.timeline import timeline

        found = timeline(store, "IRN", "RUS")
        assert all("gdelt" not in m["camps"] for m in found["milestones"])


def test_import_reads_zip_and_gzip_filters_countries_and_skips_bad_rows(tmp_path: Path) -> None:
    lines = [
        _gdelt_line(
            GLOBALEVENTID="1001",
            SQLDATE="20250623",
            Actor1Code="IRNGOV",
            Actor1CountryCode="IRN",
            Actor2Code="RUS",
            Actor2CountryCode="RUS",
            EventCode="042",
            EventBaseCode="042",
            EventRootCode="04",
            QuadClass="1",
            GoldsteinScale="1.9",
            NumMentions="10",
            SOURCEURL="https://example.org/visit",
        ),
        _gdelt_line(
            GLOBALEVENTID="1002",
            SQLDATE="20250622",
            Actor1Code="USA",
            Actor1CountryCode="USA",
            Actor2Code="IRN",
            Actor2CountryCode="IRN",
            EventCode="195",
            EventBaseCode="195",
            EventRootCode="19",
            QuadClass="4",
            GoldsteinScale="-10.0",
        ),
        _gdelt_line(
            GLOBALEVENTID="1003",
            SQLDATE="20250622",
            Actor1Code="FRA",
            Actor1CountryCode="FRA",
            Actor2Code="DEU",
            Actor2CountryCode="DEU",
            EventCode="042",
            EventBaseCode="042",
            EventRootCode="04",
            QuadClass="1",
        ),
        "1004\t20250622\ttoo few columns",
        _gdelt_line(GLOBALEVENTID="1005", SQLDATE="20250622", EventCode="999"),
    ]
    text = "\n".join(lines) + "\n"
    zipped = tmp_path / "20250623.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("20250623.export.CSV", text)
    with open_store(tmp_path / "c.db") as store:
        summary = import_gdelt(store, [zipped, tmp_path / "missing.csv"], countries=["IRN"])
        assert summary.rows == 5 and summary.stored == 2
        assert summary.skipped == {"other countries": 1, "bad row": 1, "unknown CAMEO code": 1}
        assert [e["code"] for e in summary.errors] == ["bad-row", "missing"]
        visit = store.get("gdelt:1001")
        assert visit is not None and visit.url == "https://example.org/visit"
        [event] = visit.events
        assert (event.type, event.mode, event.source, event.target) == (
            "CONSULT",
            "visit",
            "IRN",
            "RUS",
        )
        assert event.quad == "verbal_cooperation" and event.instance == "gdelt-1001"
        assert visit.extra["gdelt"]["NumMentions"] == "10"
        strike = store.get("gdelt:1002")
        assert strike is not None and strike.events[0].type == "ASSAULT"
        assert strike.events[0].intensity == -10.0
        gz = tmp_path / "one.CSV.gz"
        gz.write_bytes(gzip.compress((lines[1].replace("1002", "1006") + "\n").encode()))
        assert import_gdelt(store, [gz]).stored == 1
        assert store.outlet("gdelt") is not None and store.outlet("gdelt").camp == "gdelt"  # type: ignore[union-attr]


def test_parse_gdelt_row_falls_back_to_base_code() -> None:
    row = _gdelt_line(
        GLOBALEVENTID="7",
        SQLDATE="20240101",
        Actor1Code="RUS",
        Actor2Code="UKR",
        EventCode="1999",  # not a CAMEO code: the base code 199 is
        EventBaseCode="199",
        EventRootCode="19",
        QuadClass="4",
    ).split("\t")
    parsed = parse_gdelt_row(row)
    assert parsed is not None
    event, _ = parsed
    assert event.type == "ASSAULT" and event.source == "RUS" and event.target == "UKR"


def test_csv_and_jsonl_exports_carry_provenance(tmp_path: Path) -> None:
    with _corpus(tmp_path / "a.db") as store:
        out = io.StringIO()
        export_events(store, out, "csv", ExportFilter(source="RUS", target="IRN"))
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert len(rows) == 3  # the visit twice (two outlets), the treaty
        assert {r["camp"] for r in rows} == {"western", "russian_state"}
        assert all(r["evidence"] and r["article"] and r["instance"] for r in rows)
        no_neg = _reports(store)
        assert any(r["negated"] for r in no_neg)
        out = io.StringIO()
        export_events(store, out, "jsonl", ExportFilter(include_negated=False))
        assert not any(json.loads(line)["negated"] for line in out.getvalue().splitlines())
        # GDELT rows skip what GDELT cannot say
        rows_g = list(gdelt_rows(store))
        assert len(rows_g) == 5


def test_parquet_export(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    with _corpus(tmp_path / "a.db") as store:
        export_events(store, tmp_path / "e.parquet", "parquet")
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 7 and "evidence" in table.column_names


def test_cli_export_and_import(tmp_path: Path, store_ref: str) -> None:
    db = tmp_path / "a.db"
    _corpus(db).close()
    runner = CliRunner()
    group = cli()
    out = tmp_path / "x.CSV"
    result = runner.invoke(
        group, ["export", "events", "--format", "gdelt", "--out", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 5
    result = runner.invoke(group, ["export", "events", "--format", "csv", "--db", str(db)])
    assert result.exit_code == 0 and result.stdout.startswith("instance,type")
    result = runner.invoke(group, ["export", "events", "--format", "parquet", "--db", str(db)])
    assert result.exit_code != 0  # parquet needs --out
    db2 = store_ref  # imported into each backend
    result = runner.invoke(group, ["import", "gdelt", str(out), "--db", str(db2), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"] == 5
    result = runner.invoke(
        group, ["relation", "RUS", "IRN", "--camp", "gdelt", "--db", str(db2), "--json"]
    )
    assert json.loads(result.stdout)["totals"]["events"] == 2
