"""A synthetic news site for the replay server: HTML article pages and one RSS feed per host.

Every word is generated here from small word lists (no third-party text): English and Russian
reports about Russia–Iran relations, varied enough that near-duplicate detection keeps them
apart, long enough (about 250–400 words) that extraction, language id, NER and event coding do
real work. The folder layout is the one ``parallax replay-server DIR`` serves:
``DIR/<host>/articles/<slug>.html`` and ``DIR/<host>/feed.xml``.
"""

from __future__ import annotations

import html
import random
import time
from email.utils import formatdate
from pathlib import Path

__all__ = ["HOSTS", "build_site"]

HOSTS: dict[str, str] = {
    # host: language (hosts of outlets the default watch knows, so articles get an outlet)
    "www.reuters.com": "en",
    "apnews.com": "en",
    "tass.com": "en",
    "www.rferl.org": "en",
    "www.themoscowtimes.com": "en",
    "ria.ru": "ru",
}

_EN_ACTORS = [
    "Russia", "Iran", "Vladimir Putin", "Sergei Lavrov", "Abbas Araghchi", "the Kremlin",
    "Tehran", "Moscow", "the United States", "the European Union", "Masoud Pezeshkian",
    "the IAEA", "Israel", "China", "Turkey", "Azerbaijan",
]  # fmt: skip
_EN_VERBS = [
    "met", "criticised", "praised", "warned", "signed an agreement with", "accused",
    "held talks with", "condemned", "welcomed a proposal from", "threatened", "supported",
    "urged", "rejected demands from", "called on", "agreed to cooperate with",
]  # fmt: skip
_EN_TOPICS = [
    "the North-South transport corridor", "gas supplies", "payments in national currencies",
    "the nuclear programme", "drone deliveries", "sanctions relief", "grain exports",
    "a rail link through Rasht", "joint naval drills in the Caspian Sea", "oil prices",
    "the war in Ukraine", "a strategic partnership treaty", "banking messaging systems",
    "air defence systems", "a free trade zone", "the situation in Syria",
]  # fmt: skip
_EN_FRAMES = [
    "officials said on {day}", "according to a statement", "a spokesperson told reporters",
    "diplomats familiar with the matter said", "state media reported", "analysts noted",
]  # fmt: skip
_RU_ACTORS = [
    "Россия", "Иран", "Владимир Путин", "Сергей Лавров", "Кремль", "Тегеран", "Москва",
    "Соединённые Штаты", "Евросоюз", "МАГАТЭ", "Китай", "Турция",
]  # fmt: skip
_RU_VERBS = [
    "встретился с представителями", "раскритиковал", "поддержал", "предупредил",
    "подписал соглашение с", "обвинил", "провёл переговоры с", "осудил", "призвал",
]  # fmt: skip
_RU_TOPICS = [
    "транспортного коридора Север — Юг", "поставок газа", "расчётов в национальных валютах",
    "ядерной программы", "санкций", "экспорта зерна", "железной дороги Решт — Астара",
    "совместных учений на Каспии", "цен на нефть", "договора о стратегическом партнёрстве",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _en_sentence(rng: random.Random, n: int) -> str:
    a, b = rng.sample(_EN_ACTORS, 2)
    frame = rng.choice(_EN_FRAMES).format(day=rng.choice(_DAYS))
    return (
        f"{a} {rng.choice(_EN_VERBS)} {b} over {rng.choice(_EN_TOPICS)}, {frame}"
        f" ({rng.randint(2, 900)} items, case {n})."
    )


def _ru_sentence(rng: random.Random, n: int) -> str:
    a, b = rng.sample(_RU_ACTORS, 2)
    return (
        f"{a} {rng.choice(_RU_VERBS)} {b} по вопросу {rng.choice(_RU_TOPICS)},"
        f" сообщили официальные лица ({rng.randint(2, 900)}, выпуск {n})."
    )


def _page(title: str, paragraphs: list[str], language: str, published: str) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        f'<meta property="article:published_time" content="{published}"></head>'
        f'<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{html.escape(title)}</h1>\n{body}\n</article>"
        f"<footer>Bench site, generated text.</footer></body></html>"
    )


def build_site(root: Path, pages: int, *, seed: int = 7) -> list[str]:
    """Write ``pages`` articles spread over :data:`HOSTS` under ``root``; return the feed URLs.

    URLs carry a time stamp so that a second run against the same store finds new articles."""
    rng = random.Random(seed)
    stamp = int(time.time())
    hosts = list(HOSTS)
    items: dict[str, list[str]] = {h: [] for h in hosts}
    for i in range(pages):
        host = hosts[i % len(hosts)]
        language = HOSTS[host]
        sentence = _en_sentence if language == "en" else _ru_sentence
        paragraphs = [
            " ".join(sentence(rng, i) for _ in range(rng.randint(3, 5)))
            for _ in range(rng.randint(4, 7))
        ]
        title = sentence(rng, i).split(",")[0]
        ts = stamp - (pages - i) * 60
        published = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ts))
        slug = f"bench-{stamp}-{i}.html"
        folder = root / host / "articles"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / slug).write_text(_page(title, paragraphs, language, published), "utf-8")
        items[host].append(
            f"<item><title>{html.escape(title)}</title>"
            f"<link>https://{host}/articles/{slug}</link>"
            f"<pubDate>{formatdate(ts, usegmt=True)}</pubDate></item>"
        )
    feeds = []
    for host in hosts:
        (root / host / "feed.xml").write_text(
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{host} bench feed</title><link>https://{host}/</link>"
            + "".join(items[host])
            + "</channel></rss>",
            "utf-8",
        )
        feeds.append(f"https://{host}/feed.xml")
    return feeds
