"""``parallax batch`` / ``load`` through fsspec URLs: inputs and output on ``memory://`` and
``file://`` (real fsspec filesystems, no mocks) agree with the same run on local paths."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pq = pytest.importorskip("pyarrow.parquet")
fsspec = pytest.importorskip("fsspec")
pytest.importorskip("distributed")

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from conftest import WHERE_READ, batch_rows, sample_records  # noqa: E402
from newsparallax.acquire.readers import read_inputs  # noqa: E402
from newsparallax.acquire.remote import Folder, RemoteError, is_url, list_url  # noqa: E402
from newsparallax.annotate.pipeline import Doc  # noqa: E402
from newsparallax.errors import InputProblem  # noqa: E402
from newsparallax.scale.batch import (  # noqa: E402
    TABLES,
    load,
    read_manifest,
    read_table,
    run_batch,
    written_partitions,
)
from newsparallax.store.database import Store  # noqa: E402
from newsparallax.watches import load_watch  # noqa: E402

_PAGES = [
    (
        "https://www.reuters.com/world/iran-russia-grain-2024-05-02/",
        "Iran and Russia discuss grain shipments",
        "Iran and Russia discussed new grain shipments across the Caspian Sea on Thursday."
        " Officials from both countries met in Astrakhan to agree on port fees and schedules."
        " Russian exporters expect the route to carry more wheat to Iranian buyers this year.",
    ),
    (
        "https://tass.com/economy/777",
        "Russian railways plan new route to Iran",
        "Russian Railways said it would open a new freight route to Iran through Azerbaijan."
        " The company expects the first trains to run before the end of the year, carrying"
        " grain, timber and machinery to the Iranian port of Bandar Abbas.",
    ),
    (
        "https://www.tehrantimes.com/news/5001",
        "Tehran hosts talks on regional trade",
        "Tehran hosted talks on regional trade with delegations from Russia and Armenia."
        " The delegations discussed customs rules, transit fees and a shared electronic"
        " system for goods crossing the borders of the three countries.",
    ),
]


def _html(title: str, text: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}</p></article></body></html>"
    ).encode()


def _warc(path: Path) -> Path:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, title, text in _PAGES:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(_html(title, text)), http_headers=headers
                )
            )
    return path


@pytest.fixture
def local_inputs(tmp_path: Path) -> Path:
    """A WARC.gz, a gzip JSON Lines file and a folder of HTML pages."""
    root = tmp_path / "inputs"
    (root / "pages").mkdir(parents=True)
    _warc(root / "crawl.warc.gz")
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample_records())
    (root / "records.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    for i, (_, title, text) in enumerate(_PAGES):
        (root / "pages" / f"p{i}.html").write_bytes(_html(title + " (copy)", text + " Updated."))
    return root


@pytest.fixture
def memory_root(local_inputs: Path) -> Iterator[str]:
    """The same inputs on fsspec's in-memory filesystem; removed afterwards."""
    fs = fsspec.filesystem("memory")
    root = f"/parallax-test-{uuid.uuid4().hex}"
    for path in sorted(local_inputs.rglob("*")):
        if path.is_file():
            fs.pipe(f"{root}/inputs/{path.relative_to(local_inputs)}", path.read_bytes())
    yield f"memory://{root}"
    fs.rm(root, recursive=True)


_NAMES = ("crawl.warc.gz", "records.jsonl.gz", "pages")


def test_inputs_and_output_on_memory_urls_match_local_paths(
    local_inputs: Path, memory_root: str, tmp_path: Path
) -> None:
    local = run_batch(
        [str(local_inputs / n) for n in _NAMES], out=tmp_path / "local", partition_size=3
    )
    remote_out = f"{memory_root}/out"
    remote = run_batch(
        [f"{memory_root}/inputs/{n}" for n in _NAMES], out=remote_out, partition_size=3
    )
    assert local.ok and remote.ok
    assert remote.totals() == local.totals()
    assert remote.totals()["articles"] == 10  # 3 WARC records, 4 JSON Lines records, 3 pages
    for table in TABLES:
        rows = batch_rows(remote_out, table, drop=WHERE_READ)
        assert rows == batch_rows(tmp_path / "local", table, drop=WHERE_READ)
    manifest = read_manifest(remote_out)
    assert manifest["inputs"][0].startswith("memory://")
    sources = {r["source"] for r in read_table(remote_out, "articles", 0).to_pylist()}
    assert all(s.startswith("memory://") for s in sources)
    # parallax load reads the output straight from the URL
    watch = load_watch("iran-russia")
    with Store(tmp_path / "remote.db") as a, Store(tmp_path / "local.db") as b:
        from_remote = load(remote_out, store=a, watch=watch)
        from_local = load(tmp_path / "local", store=b, watch=watch)
        assert from_remote.stored == from_local.stored == 10
        assert sorted(x.id for x in a.articles()) == sorted(x.id for x in b.articles())
    # a re-run finds the markers on the memory filesystem and writes nothing
    again = run_batch(
        [f"{memory_root}/inputs/{n}" for n in _NAMES], out=remote_out, partition_size=3
    )
    assert sorted(again.skipped) == sorted(again.done) and again.totals() == remote.totals()


def test_dask_workers_write_to_a_url(local_inputs: Path, memory_root: str) -> None:
    out = f"{memory_root}/dask-out"
    report = run_batch(
        [f"{memory_root}/inputs"],
        out=out,
        partition_size=4,
        engine="dask",
        workers=2,
        dask_processes=False,  # memory:// is per process: worker threads share it
    )
    assert report.ok and written_partitions(out) == sorted(report.done)
    assert report.totals()["articles"] == 10


def test_folder_url_reads_every_format_in_name_order(memory_root: str, local_inputs: Path) -> None:
    items = list(read_inputs([f"{memory_root}/inputs"]))
    docs = [i for i in items if isinstance(i, Doc)]
    assert not [i for i in items if isinstance(i, InputProblem)]
    sources = [d.source for d in docs]
    assert sources == sorted(sources, key=lambda s: s.split("#")[0].split(":")[1])
    assert sum(".warc.gz#" in s for s in sources) == 3
    assert sum(".jsonl.gz:" in s for s in sources) == 4
    assert sum(s.endswith(".html") for s in sources) == 3
    # listing (for batch's units) gives every file once, in reading order, with its size
    listed = list_url(f"{memory_root}/inputs")
    assert not isinstance(listed, InputProblem)
    local_files = sorted(p for p in local_inputs.rglob("*") if p.is_file())
    assert [size for _, size in listed] == [p.stat().st_size for p in local_files]
    assert [u.rsplit("/inputs/", 1)[1] for u, _ in listed] == [
        str(p.relative_to(local_inputs)) for p in local_files
    ]
    globbed = list_url(f"{memory_root}/inputs/pages/*.html")
    assert not isinstance(globbed, InputProblem) and len(globbed) == 3
    assert isinstance(list_url(f"{memory_root}/nothing-here"), InputProblem)
    # file:// URLs and glob patterns go through fsspec too
    url = f"file://{local_inputs}/pages/*.html"
    assert is_url(url)
    assert [d.html for d in read_inputs([url]) if isinstance(d, Doc)] == [
        d.html for d in docs if d.source.endswith(".html")
    ]


def test_missing_filesystem_package_and_bad_urls_are_clear(tmp_path: Path) -> None:
    if importlib.util.find_spec("s3fs") is None:
        with pytest.raises(RemoteError, match="pip install s3fs"):
            run_batch(["s3://bucket/crawl.warc.gz"], out=tmp_path / "out")
        [problem] = list(read_inputs(["s3://bucket/crawl.warc.gz"]))
        assert isinstance(problem, InputProblem) and "s3fs" in problem.reason
    if importlib.util.find_spec("gcsfs") is None:
        with pytest.raises(RemoteError, match="gcsfs"):
            run_batch([str(tmp_path)], out="gs://bucket/run")
    with pytest.raises(RemoteError, match="unknown protocol"):
        run_batch(["nosuchfs://x/y"], out=tmp_path / "out")
    [problem] = list(read_inputs(["https://example.org/page.html"]))
    assert isinstance(problem, InputProblem) and "parallax watch" in problem.reason
    [problem] = list(read_inputs(["memory://no/such/file.jsonl"]))
    assert isinstance(problem, InputProblem) and problem.code == "not-found"
    assert not is_url("C:\\data") and not is_url("-") and not is_url("data/x.warc")
    assert Folder(str(tmp_path)).url == str(tmp_path)
