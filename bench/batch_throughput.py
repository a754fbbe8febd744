"""Throughput of ``parallax batch`` (local loop and Dask) beside ``parallax ingest``, one WARC.

Builds a gzip WARC archive at run time in a temporary folder from the shared data (read by path,
nothing is copied into the repository): the HTML pages of the two extraction benchmarks
(``extraction/scrapinghub-article-extraction-benchmark``, ``extraction/trafilatura-eval-en``)
and records of the demo corpus (``demo/*.jsonl.gz``, taken in turn from each file) rendered as
small HTML pages with their date, language and canonical URL. Then runs, each as its own
``parallax`` process on the same archive:

- ``ingest --workers 2`` (single-process store writes, stages on 2 worker processes);
- ``batch --engine local`` (one process);
- ``batch --engine dask --workers 1`` and ``--workers 2`` (a LocalCluster; the driver reads
  the one WARC file and sends the docs);
- ``batch --engine dask --workers 2 --read-on workers`` on the same pages split into ``--files``
  WARC files (4): each worker reads the files of its units itself;

and prints wall time, articles/s, CPU seconds per article (all processes: the run's children)
and peak memory. The same five runs on a 20-article archive give the fixed cost of each engine
(process start, imports, building the pipeline, starting the cluster). Closing: workers x hours
for one month of a large news crawl from the measured per-article CPU cost.

    python bench/batch_throughput.py [--articles 400] [--small 20] [--partition-size 100]
        [--files 4] [--data ../shared/data] [--month-articles 10e6] [--json]

Defaults (400 and 20 pages, partitions of 100) take about 4-5 minutes on two cores.
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PARALLAX = [sys.executable, "-m", "newsparallax"]
MONTH_ARTICLES = 10e6
"""Articles a month in a large news crawl. An assumption for the closing note, not a measurement:
Common Crawl's CC-NEWS has been reported at several million to over ten million English and
non-English articles a month in recent years; check the current crawl's index before planning."""


# -- the archive --------------------------------------------------------------------------------


def _pages(data: Path) -> Iterator[tuple[str, bytes]]:
    """(url, html) of the extraction benchmarks' pages."""
    sh = data / "extraction" / "scrapinghub-article-extraction-benchmark"
    truth = json.loads((sh / "ground-truth.json").read_text(encoding="utf-8"))
    for path in sorted((sh / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        url = truth.get(key, {}).get("url") or f"https://example.org/scrapinghub/{key}"
        yield url, gzip.decompress(path.read_bytes())
    tr = data / "extraction" / "trafilatura-eval-en"
    meta = json.loads((tr / "evaldata_en.json").read_text(encoding="utf-8"))
    urls = {v["file"]: k for k, v in meta.items()}
    for path in sorted((tr / "html").glob("*.html.gz")):
        name = path.name.removesuffix(".gz")
        yield (
            urls.get(name, f"https://example.org/trafilatura/{name}"),
            gzip.decompress(path.read_bytes()),
        )


def _demo(data: Path) -> Iterator[tuple[str, bytes]]:
    """Demo records as pages, one from each file in turn."""
    readers = [_records(p) for p in sorted((data / "demo").glob("*.jsonl.gz"))]
    for rec in itertools.chain.from_iterable(itertools.zip_longest(*readers)):
        if rec is None or not (rec.get("title") or rec.get("text")):
            continue
        url = rec.get("url") or f"https://{rec.get('domain') or 'example.org'}/{rec.get('id')}"
        yield url, _render(rec, url)


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _render(rec: dict[str, Any], url: str) -> bytes:
    esc = html.escape
    title = esc(rec.get("title") or "")
    paras = "".join(
        f"<p>{esc(p)}</p>"
        for p in (rec.get("text") or rec.get("summary") or "").split("\n")
        if p.strip()
    )
    date = (
        f'<meta property="article:published_time" content="{esc(rec["published"])}">'
        if rec.get("published") and rec.get("date_precision") in ("second", "day")
        else ""
    )
    return (
        f'<!doctype html><html lang="{esc(rec.get("language") or "en")}"><head>'
        f'<meta charset="utf-8"><title>{title}</title><link rel="canonical" href="{esc(url)}">'
        f"{date}</head><body><article><h1>{title}</h1>{paras}</article></body></html>"
    ).encode()


def build_warc(path: Path, data: Path, *, articles: int, files: int = 1) -> int:
    """Write ``articles`` pages (benchmark pages first, then demo records) as a WARC.gz, or
    (``files`` > 1) as that many WARC.gz files of consecutive pages in the folder ``path``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = list(itertools.islice(itertools.chain(_pages(data), _demo(data)), articles))
    if files > 1:
        path.mkdir()
    per_file = -(-len(pages) // files)
    for i in range(files):
        target = path / f"part-{i:03d}.warc.gz" if files > 1 else path
        with target.open("wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for url, body in pages[i * per_file : (i + 1) * per_file]:
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                rec = writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
                writer.write_record(rec)
    return len(pages)


# -- the runs -----------------------------------------------------------------------------------


def _run(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [*PARALLAX, *args, "--json"], capture_output=True, text=True, env=env, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"parallax {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    out = json.loads(proc.stdout)
    return {
        "wall_s": wall,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "maxrss_mb": after.ru_maxrss / 1024,
        "out": out,
    }


def run_all(
    warc: Path, split: Path, tmp: Path, *, partition_size: int, label: str
) -> list[dict[str, Any]]:
    env = {**os.environ, "PARALLAX_WATCH": "iran-russia"}
    runs = [
        (
            "ingest, 2 workers",
            ["ingest", str(warc), "--db", str(tmp / f"{label}.db"), "--workers", "2"],
        ),
        (
            "batch local",
            [
                "batch",
                str(warc),
                "--out",
                str(tmp / f"{label}-local"),
                "--engine",
                "local",
                "--partition-size",
                str(partition_size),
            ],
        ),
        (
            "batch dask, 1 worker",
            [
                "batch",
                str(warc),
                "--out",
                str(tmp / f"{label}-dask1"),
                "--engine",
                "dask",
                "--workers",
                "1",
                "--partition-size",
                str(partition_size),
            ],
        ),
        (
            "batch dask, 2 workers",
            [
                "batch",
                str(warc),
                "--out",
                str(tmp / f"{label}-dask2"),
                "--engine",
                "dask",
                "--workers",
                "2",
                "--read-on",
                "driver",
                "--partition-size",
                str(partition_size),
            ],
        ),
        (
            "dask, 2 w, read on w",
            [
                "batch",
                str(split),
                "--out",
                str(tmp / f"{label}-dask2-split"),
                "--engine",
                "dask",
                "--workers",
                "2",
                "--read-on",
                "workers",
                "--unit-size",
                "0.001",  # every file a unit of its own
                "--partition-size",
                str(partition_size),
            ],
        ),
    ]
    results = []
    for name, args in runs:
        r = _run(args, env)
        out = r["out"]
        read = int(out.get("read") or out.get("totals", {}).get("read") or 0)
        inner = out.get("seconds")
        results.append(
            {
                "run": name,
                "articles": read,
                "wall_s": round(r["wall_s"], 2),
                "inner_s": round(float(inner), 2) if inner is not None else None,
                "articles_per_s": round(read / r["wall_s"], 2) if read else None,
                "cpu_ms_per_article": round(1000 * r["cpu_s"] / read, 1) if read else None,
                "cpu_s": round(r["cpu_s"], 1),
            }
        )
    return results


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'run':24} {'articles':>8} {'wall s':>8} {'in-run s':>8} {'art/s':>7} {'CPU ms/art':>10}"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"{r['run']:24} {r['articles']:>8} {r['wall_s']:>8} {r['inner_s']!s:>8}"
            f" {r['articles_per_s']!s:>7} {r['cpu_ms_per_article']!s:>10}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--small", type=int, default=20)
    parser.add_argument("--partition-size", type=int, default=100)
    parser.add_argument("--files", type=int, default=4, help="WARC files of the split archive")
    parser.add_argument("--month-articles", type=float, default=MONTH_ARTICLES)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = Path(args.data)
    with tempfile.TemporaryDirectory(prefix="parallax-batch-bench-") as name:
        tmp = Path(name)
        big, small = tmp / "big.warc.gz", tmp / "small.warc.gz"
        n_big = build_warc(big, data, articles=args.articles)
        n_small = build_warc(small, data, articles=args.small)
        build_warc(tmp / "big-split", data, articles=args.articles, files=args.files)
        build_warc(tmp / "small-split", data, articles=args.small, files=args.files)
        small_rows = run_all(
            small, tmp / "small-split", tmp, partition_size=args.partition_size, label="small"
        )
        big_rows = run_all(
            big, tmp / "big-split", tmp, partition_size=args.partition_size, label="big"
        )
    overhead = []
    for s, b in zip(small_rows, big_rows, strict=True):
        extra = max(b["articles"] - s["articles"], 1)
        per_article = (b["wall_s"] - s["wall_s"]) / extra
        cpu_per_article = (b["cpu_s"] - s["cpu_s"]) / extra
        overhead.append(
            {
                "run": b["run"],
                "fixed_s": round(s["wall_s"] - per_article * s["articles"], 2),
                "marginal_ms_per_article": round(1000 * per_article, 1),
                "fixed_cpu_s": round(s["cpu_s"] - cpu_per_article * s["articles"], 2),
                "marginal_cpu_ms_per_article": round(1000 * cpu_per_article, 1),
            }
        )
    # the month estimate uses the steady-state CPU cost of one article when the workers read
    # their own files, as they would a crawl of many WARC files (the marginal cost between the
    # two archive sizes, all processes counted: start-up costs are paid once a worker)
    best = next(o for o in overhead if o["run"] == "dask, 2 w, read on w")[
        "marginal_cpu_ms_per_article"
    ]
    cpu_hours = args.month_articles * best / 1000 / 3600
    closing = {
        "month_articles": args.month_articles,
        "cpu_ms_per_article": best,
        "cpu_hours": round(cpu_hours, 1),
        "workers_for_24h": round(cpu_hours / 24, 1),
        "hours_on_100_workers": round(cpu_hours / 100, 2),
    }
    result = {
        "warc_articles": {"big": n_big, "small": n_small},
        "partition_size": args.partition_size,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "big": big_rows,
        "small": small_rows,
        "overhead": overhead,
        "month_estimate": closing,
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(
        f"WARC of {n_big} pages (and {n_small} for the fixed cost); partition size"
        f" {args.partition_size}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print(_table(big_rows))
    print(f"\n{n_small}-page archive:")
    print(_table(small_rows))
    print("\nfixed cost (intercept) and marginal cost per article, from the two sizes:")
    for o in overhead:
        print(
            f"  {o['run']:24} fixed {o['fixed_s']:>6} s wall, {o['fixed_cpu_s']:>6} s CPU;"
            f" marginal {o['marginal_ms_per_article']:>6} ms wall,"
            f" {o['marginal_cpu_ms_per_article']:>6} ms CPU per article"
        )
    print(
        f"\none month of a large news crawl, assumed {args.month_articles:.3g} articles:"
        f" {best} CPU ms/article (steady state, workers reading their files) ->"
        f" {closing['cpu_hours']} CPU-hours:"
        f" {closing['workers_for_24h']} single-core workers for 24 h, or"
        f" {closing['hours_on_100_workers']} h on 100 workers"
    )


if __name__ == "__main__":
    main()
