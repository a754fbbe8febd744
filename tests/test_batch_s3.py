"""``parallax batch``, ``load`` and ``corpus`` against ``s3://`` URLs: a local S3 API server
(moto's, over HTTP on loopback) holds the inputs and the output, s3fs talks to it as to AWS, and
Dask worker *processes* read their units from the bucket themselves. The results equal the
same run on local paths."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("distributed")
pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

import fsspec  # noqa: E402
import fsspec.config  # noqa: E402

import newsparallax.scale.batch.units as batch_units  # noqa: E402
from conftest import WHERE_READ, batch_rows, sample_records  # noqa: E402
from newsparallax.scale.batch import TABLES, load, read_table, run_batch, written_partitions  # noqa: E402
from newsparallax.scale.corpus import run_corpus  # noqa: E402
from newsparallax.store.database import Store  # noqa: E402
from newsparallax.watches import load_watch  # noqa: E402

BUCKET = "parallax-test"


def _page(title: str, body: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p></article></body></html>"
    ).encode()


_PAGES = [
    ("Caspian ports expand grain handling", "Iran and Russia agreed to expand grain handling"),
    ("Freight trains to Bandar Abbas", "Russian Railways will run freight trains to Iran"),
    ("Customs talks in Tehran", "Delegations from Russia and Armenia met in Tehran"),
]


@pytest.fixture(scope="module")
def local_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("s3-inputs")
    (root / "pages").mkdir()
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample_records())
    (root / "a-records.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    for i, (title, text) in enumerate(_PAGES):
        body = " ".join(f"{text} on day {d}, officials said." for d in range(1, 5))
        (root / "pages" / f"p{i}.html").write_bytes(_page(title, body))
    return root


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch, local_inputs: Path) -> Iterator[str]:
    """A bucket on a local S3 server holding the inputs; the URL of the bucket."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "FSSPEC_S3_ENDPOINT_URL": endpoint,  # read by fsspec in spawned worker processes
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setitem(fsspec.config.conf, "s3", {"endpoint_url": endpoint})
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    for path in sorted(local_inputs.rglob("*")):
        if path.is_file():
            key = f"inputs/{path.relative_to(local_inputs)}"
            client.put_object(Bucket=BUCKET, Key=key, Body=path.read_bytes())
    fsspec.filesystem("s3").invalidate_cache()
    try:
        yield f"s3://{BUCKET}"
    finally:
        fsspec.filesystem("s3").invalidate_cache()
        server.stop()


def test_workers_read_s3_inputs_and_write_s3_output(
    s3: str, local_inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = run_batch([str(local_inputs)], out=tmp_path / "local", partition_size=2, unit_bytes=1)
    assert local.ok and local.totals()["articles"] == 7
    out = f"{s3}/runs/one"

    def refuse(*args: Any, **options: Any) -> Any:
        raise AssertionError("the driver read an input")

    monkeypatch.setattr(batch_units, "read_inputs", refuse)
    remote = run_batch(
        [f"{s3}/inputs"],
        out=out,
        partition_size=2,
        unit_bytes=1,  # every object a unit
        engine="dask",
        workers=2,
        read_on="workers",
    )
    assert remote.ok, (remote.failed, remote.failed_units)
    assert remote.units == 4 and remote.totals() == local.totals()
    assert sorted(remote.done) == written_partitions(out) == sorted(local.done)
    for table in TABLES:
        rows = batch_rows(out, table, drop=WHERE_READ)
        assert rows == batch_rows(tmp_path / "local", table, drop=WHERE_READ)
    sources = {r["source"] for r in read_table(out, "articles", 0).to_pylist()}
    assert all(s.startswith(f"s3://{BUCKET}/inputs/") for s in sources)
    # every object was written in place: no temporary names left in the bucket
    assert not [p for p in fsspec.filesystem("s3").find(f"{BUCKET}/runs") if ".tmp" in p]
    # a re-run finds every unit done and reads nothing
    again = run_batch(
        [f"{s3}/inputs"], out=out, partition_size=2, unit_bytes=1, engine="dask", workers=1,
        dask_processes=False,
    )  # fmt: skip
    assert again.ok and sorted(again.skipped) == sorted(remote.done)
    # load and the corpus jobs read the output from the bucket
    watch = load_watch("iran-russia")
    with Store(tmp_path / "from-s3.db") as a, Store(tmp_path / "from-local.db") as b:
        assert load(out, store=a, watch=watch).stored == load(tmp_path / "local", store=b,
                                                               watch=watch).stored == 7  # fmt: skip
    report = run_corpus(out, watch=watch, jobs=("relations",))
    assert report.relations and fsspec.filesystem("s3").exists(
        f"{BUCKET}/runs/one/corpus/relations/points.parquet"
    )
