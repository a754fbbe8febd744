"""Units of ``parallax batch``: inputs planned by file, read by the workers themselves, and the
same output whoever reads them."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("distributed")

import newsparallax.scale.batch.units as batch_units  # noqa: E402
from conftest import batch_rows, sample_records, write_jsonl  # noqa: E402
from newsparallax.acquire.remote import Folder  # noqa: E402
from newsparallax.annotate.pipeline import Doc  # noqa: E402
from newsparallax.errors import InputProblem  # noqa: E402
from newsparallax.scale.batch import (  # noqa: E402
    TABLES,
    read_manifest,
    run_batch,
    run_partition,
    written_partitions,
)
from newsparallax.scale.batch.units import STRIDE, plan_units  # noqa: E402

_TOPICS = [
    ("Caspian grain corridor grows", "Iran and Russia agreed to expand grain shipments"),
    ("New rail link to Bandar Abbas", "Russian Railways will run freight trains to Iran"),
    ("Talks on customs rules in Tehran", "Delegations from Russia and Armenia met in Tehran"),
    ("Energy ministers meet in Moscow", "Iran's oil minister met his Russian counterpart"),
    ("Shipping insurers weigh sanctions", "Insurers in Dubai studied the new sanctions on Iran"),
]


def _page(title: str, text: str) -> bytes:
    body = " ".join(f"{text} on day {d}, officials said in a statement." for d in range(1, 5))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p></article></body></html>"
    ).encode()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A JSON Lines file, then a folder of five HTML pages."""
    root = tmp_path / "inputs"
    (root / "pages").mkdir(parents=True)
    write_jsonl(root / "a-records.jsonl", sample_records())
    for i, (title, text) in enumerate(_TOPICS):
        (root / "pages" / f"p{i}.html").write_bytes(_page(title, text))
    return root


def _unit_bytes(inputs: Path) -> int:
    """A unit size that groups the first three pages (the JSON Lines file is larger)."""
    return sum(p.stat().st_size for p in sorted((inputs / "pages").iterdir())[:3])


def test_plan_groups_small_files_and_keeps_large_ones_alone(inputs: Path) -> None:
    pages = sorted((inputs / "pages").iterdir())
    assert (inputs / "a-records.jsonl").stat().st_size > _unit_bytes(inputs)
    units = plan_units(
        [str(inputs), str(inputs / "missing.warc.gz")], unit_bytes=_unit_bytes(inputs)
    )
    # the JSON Lines file is larger than a unit: alone; then pages until a unit is full
    assert [u.files for u in units[:1]] == [[str(inputs / "a-records.jsonl")]]
    assert [len(u.files) for u in units[1:]] == [3, 2]
    assert [f for u in units[1:] for f in u.files] == [str(p) for p in pages]
    # a missing input is carried as its problem, in order, with the last unit
    [problem] = [s for s in units[-1].sources if isinstance(s, InputProblem)]
    assert problem.code == "not-found"
    assert [u.index for u in units] == [0, 1, 2]
    assert units[1].partition(3) == STRIDE + 3
    with pytest.raises(ValueError, match="partition-size"):
        units[1].partition(STRIDE)
    # one unit holds everything at the default size; standard input is read in the driver
    [whole] = plan_units(["-", str(inputs)], stdin=io.BytesIO(_page("Stdin page", "From a pipe")))
    assert isinstance(whole.sources[0], Doc) and len(whole.files) == 6


def test_units_read_by_workers_or_driver_write_the_same_output(
    inputs: Path, tmp_path: Path
) -> None:
    unit_bytes = _unit_bytes(inputs)
    runs = {}
    for name, engine, read_on in (
        ("local", "local", "auto"),
        ("workers", "dask", "workers"),
        ("driver", "dask", "driver"),
    ):
        runs[name] = run_batch(
            [str(inputs)],
            out=tmp_path / name,
            partition_size=2,
            unit_bytes=unit_bytes,
            engine=engine,
            read_on=read_on,
            workers=2,
            dask_processes=False,
        )
        assert runs[name].ok, runs[name].failed
    assert runs["workers"].read_on == "workers" and runs["driver"].read_on == "driver"
    # unit 0 (the JSON Lines file, 4 records) in 2 partitions, then 2 and 1 for the pages
    expected = [0, 1, STRIDE, STRIDE + 1, 2 * STRIDE]
    for name in runs:
        assert sorted(runs[name].done) == written_partitions(tmp_path / name) == expected
        assert read_manifest(tmp_path / name)["units"] == 3
    for table in TABLES:
        local = batch_rows(tmp_path / "local", table)
        assert (
            local
            == batch_rows(tmp_path / "workers", table)
            == batch_rows(tmp_path / "driver", table)
        )
    assert len(batch_rows(tmp_path / "local", "articles")) == 9  # 4 records, 5 pages


def test_a_finished_unit_is_not_read_again_and_a_failed_one_resumes(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    unit_bytes = _unit_bytes(inputs)

    def flaky(index: int, *args: Any) -> dict[str, Any]:
        if index == STRIDE + 1:
            raise RuntimeError("disk on fire")
        return run_partition(index, *args)

    first = run_batch(
        [str(inputs)],
        out=out,
        partition_size=2,
        unit_bytes=unit_bytes,
        engine="dask",
        read_on="workers",
        workers=1,
        retries=1,
        dask_processes=False,
        task=flaky,
    )
    assert not first.ok and "disk on fire" in first.failed[STRIDE + 1]
    # the unit went on past its failed partition; the other units are whole
    assert written_partitions(out) == [0, 1, STRIDE, 2 * STRIDE]
    reads: list[str] = []
    real = batch_units.read_inputs

    def counting(paths: Any, **options: Any) -> Any:
        reads.extend(paths)
        return real(paths, **options)

    monkeypatch.setattr(batch_units, "read_inputs", counting)
    markers_read: list[str] = []
    real_json = Folder.read_json

    def read_json(self: Folder, rel: str) -> Any:
        markers_read.append(rel)
        return real_json(self, rel)

    monkeypatch.setattr(Folder, "read_json", read_json)
    calls: list[int] = []

    def tracking(index: int, *args: Any) -> dict[str, Any]:
        calls.append(index)
        return run_partition(index, *args)

    again = run_batch(
        [str(inputs)], out=out, partition_size=2, unit_bytes=unit_bytes, task=tracking
    )
    assert again.ok and calls == [STRIDE + 1]
    # only the unit with the failed partition was read again; the finished units' partition
    # markers came with their unit markers
    assert [r for r in markers_read if r.startswith("_parts/")] == ["_parts/part-10000.json"]
    assert reads == [str(p) for p in sorted((inputs / "pages").iterdir())[:3]]
    assert sorted(again.skipped) == [0, 1, STRIDE, 2 * STRIDE]
    assert written_partitions(out) == [0, 1, STRIDE, STRIDE + 1, 2 * STRIDE]
    with pytest.raises(Exception, match="cut another way"):
        run_batch([str(inputs)], out=out, partition_size=2)  # another unit size


def test_worker_processes_read_their_units_themselves(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spawned workers read the files: the driver's readers are broken and never called."""

    def refuse(*args: Any, **options: Any) -> Any:
        raise AssertionError("the driver read an input")

    monkeypatch.setattr(batch_units, "read_inputs", refuse)
    seen: list[int] = []
    report = run_batch(
        [str(inputs / "a-records.jsonl"), str(inputs / "pages")],
        out=tmp_path / "out",
        partition_size=2,
        unit_bytes=1,  # every file a unit of its own
        engine="dask",
        workers=2,
        progress=lambda r: seen.append(len(r.done)),
    )
    assert report.ok and report.read_on == "workers" and report.units == 6
    assert report.totals()["articles"] == 9
    pids = {m["pid"] for m in report.done.values()}
    assert os.getpid() not in pids
    assert seen and seen[-1] == len(report.done) == 7  # 2 + one per page


def test_cli_unit_size_and_read_on(inputs: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsparallax.cli.batch import register
    from newsparallax.cli.main import main

    added = [name for name in ("batch", "load", "corpus") if name not in main.commands]
    register(main)
    try:
        runner = CliRunner()
        out = tmp_path / "out"
        args = ["batch", str(inputs), "--out", str(out), "--unit-size", "0.000001", "--json"]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        manifest = json.loads(result.output)
        assert manifest["units"] == 6 and manifest["unit_bytes"] == 1
        assert manifest["totals"]["articles"] == 9
        # the same command again reads nothing: every unit is done
        again = json.loads(runner.invoke(main, args).output)
        assert again["written"] == 0 and len(again["skipped"]) == 6
        bad = runner.invoke(main, [*args[:4], "--read-on", "everywhere"])
        assert bad.exit_code == 2 and "everywhere" in bad.output
    finally:
        for name in added:
            main.commands.pop(name, None)
