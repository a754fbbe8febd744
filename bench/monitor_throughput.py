"""Live-monitor throughput and memory, against a local replay server (no internet).

Prints: feed items parsed per second (the real feeds of ../shared/data/feeds/samples); articles
fetched-and-stored per second (real pages of ../shared/data/extraction, served locally, full
pipeline, no per-host delay so the pipeline is what is measured); and resident memory over many
monitor cycles (every feed answering 304 or new items), which must stay flat.

    .venv/bin/python bench/monitor_throughput.py [--pages 40] [--cycles 300]
"""

from __future__ import annotations

import argparse
import gzip
import os
import tempfile
import time
from email.utils import formatdate
from pathlib import Path

from newsparallax.monitor.cycle import Monitor
from newsparallax.monitor.feeds import parse_feed
from newsparallax.monitor.fetcher import FetchConfig
from newsparallax.monitor.frontier import Frontier
from newsparallax.monitor.netguard import NetPolicy
from newsparallax.monitor.replay import ReplayServer
from newsparallax.store.database import Store
from newsparallax.watches import load_watch

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FEEDS = DATA / "feeds" / "samples"
PAGES = DATA / "extraction" / "scrapinghub-article-extraction-benchmark" / "html"


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def feed_items_per_second(rounds: int = 20) -> tuple[float, int]:
    docs = [p.read_bytes() for p in sorted((FEEDS / "rss-parser" / "test" / "input").iterdir())]
    docs += [
        p.read_bytes() for p in sorted((FEEDS / "trafilatura" / "tests" / "resources").iterdir())
    ]
    items = 0
    started = time.perf_counter()
    for _ in range(rounds):
        for data in docs:
            items += len(parse_feed(data, url="http://bench.test/feed").items)
    return items / (time.perf_counter() - started), items // rounds


def rss(urls: list[str], start: int) -> str:
    body = "".join(
        f"<item><title>Item {i}</title><link>{u}</link>"
        f"<pubDate>{formatdate(1_700_000_000 + i * 60, usegmt=True)}</pubDate></item>"
        for i, u in enumerate(urls, start)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>b</title>{body}</channel></rss>'
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--cycles", type=int, default=300)
    args = parser.parse_args()

    per_s, per_round = feed_items_per_second()
    print(f"feed parsing: {per_s:,.0f} items/s ({per_round} items in 37 real feeds and sitemaps)")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site = root / "site"
        pages = sorted(PAGES.glob("*.html.gz"))[: args.pages]
        hosts = [f"host{i}.test" for i in range(args.hosts)]
        by_host: dict[str, list[str]] = {h: [] for h in hosts}
        for n, page in enumerate(pages):
            host = hosts[n % len(hosts)]
            folder = site / host / "articles"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / page.name).symlink_to(page)
            by_host[host].append(f"https://{host}/articles/{page.name.removesuffix('.gz')}")
        for host, urls in by_host.items():
            (site / host / "feed.xml").write_text(rss(urls, 0))
        raw = sum(len(gzip.decompress(p.read_bytes())) for p in pages)
        with ReplayServer(site) as srv, Store(root / "db.sqlite") as store:
            config = FetchConfig(
                user_agent="ParallaxBot/0.1 (bench)",
                host_delay=0.0,
                via=srv.url,
                policy=NetPolicy(),
            )
            frontier = Frontier(store)
            for host in hosts:
                frontier.add_feed(f"https://{host}/feed.xml")
            watch = load_watch()
            with Monitor(
                store, watch, config=config, interval=0.0, warc_dir=root / "warc", concurrency=4
            ) as monitor:
                t0 = time.perf_counter()
                first = monitor.cycle()
                seconds = time.perf_counter() - t0
                print(
                    f"fetch+store: {first.stored} articles ({raw / 1e6:.1f} MB of HTML) from"
                    f" {len(hosts)} hosts in {seconds:.1f} s = {first.stored / seconds:.1f}"
                    f" articles/s (full pipeline incl. pipeline start-up; concurrency 4,"
                    f" no host delay)"
                )
                # memory over many cycles: feeds answer 304; every 10th cycle a feed changes
                samples = []
                extra = 0
                t0 = time.perf_counter()
                for cycle in range(1, args.cycles + 1):
                    if cycle % 10 == 0:
                        host = hosts[cycle % len(hosts)]
                        extra += 1
                        urls = [*by_host[host], f"https://{host}/articles/missing-{extra}.html"]
                        (site / host / "feed.xml").write_text(rss(urls, extra))
                        os.utime(
                            site / host / "feed.xml", (time.time() + extra, time.time() + extra)
                        )
                    monitor.cycle()
                    if cycle in (10, args.cycles // 2, args.cycles):
                        samples.append((cycle, rss_mb()))
                per_cycle = (time.perf_counter() - t0) / args.cycles * 1000
                print(
                    f"memory over {args.cycles} cycles ({per_cycle:.0f} ms/cycle, "
                    f"{len(srv.log)} requests served): "
                    + ", ".join(f"cycle {c}: {m:.0f} MB" for c, m in samples)
                )
                print(f"frontier: {frontier.counts()}")


if __name__ == "__main__":
    main()
