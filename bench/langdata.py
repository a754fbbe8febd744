"""Language-id gold read from ``../shared/data`` (relative to the repository root).

Every loader returns a list of ``(text, lang)`` pairs, samples deterministically (the first
``limit`` items in a fixed order, or a seeded sample) and reads only what it returns, so the
quality gate in ``tests/test_language_quality.py`` can reuse it on a small sample.

Two kinds of item:

* documents: article bodies, Telegram posts, joined NER sentences;
* short strings: titles, headlines, feed descriptions, keyword phrases and the first
  60-120 characters of a document (cut at a word boundary), which is what a feed item or a
  Telegram preview looks like.

No text from these sets is copied into the repository; they are read from the path at run time.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
DATA = (ROOT / ".." / "shared" / "data").resolve()

Item = tuple[str, str]
Loader = Callable[[int], list[Item]]


def available() -> bool:
    return DATA.is_dir()


def _jsonl(name: str) -> Iterator[dict[str, object]]:
    with gzip.open(DATA / "demo" / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _field(rec: dict[str, object], key: str) -> str:
    value = rec.get(key)
    return value.strip() if isinstance(value, str) and value != "None" else ""


def _sample(items: list[Item], limit: int, seed: int = 13) -> list[Item]:
    """A seeded sample of ``limit`` items, in their original order (all when fewer)."""
    if len(items) <= limit:
        return items
    keep = sorted(random.Random(seed).sample(range(len(items)), limit))
    return [items[i] for i in keep]


def prefix(text: str, *, seed: int, lo: int = 60, hi: int = 120) -> str:
    """The first ``lo``-``hi`` characters of ``text`` (length seeded), cut at a word boundary."""
    flat = " ".join(text.split())
    n = random.Random(seed).randint(lo, hi)
    if len(flat) <= n:
        return flat
    cut = flat.rfind(" ", 0, n)
    return flat[: cut if cut > lo // 2 else n]


def prefixes(items: list[Item]) -> list[Item]:
    return [(prefix(text, seed=i), lang) for i, (text, lang) in enumerate(items)]


# ---------------------------------------------------------------- English
def en_kremlin(limit: int) -> list[Item]:
    items = [(_field(r, "text"), "en") for r in _jsonl("kremlin.jsonl.gz")]
    return _sample([it for it in items if it[0]], limit)


def en_tehrantimes(limit: int) -> list[Item]:
    items = [(_field(r, "text"), "en") for r in _jsonl("tehrantimes.jsonl.gz")]
    return _sample([it for it in items if len(it[0]) > 200], limit)


def en_tehrantimes_titles(limit: int) -> list[Item]:
    items = [(_field(r, "title"), "en") for r in _jsonl("tehrantimes.jsonl.gz")]
    return _sample([it for it in items if it[0]], limit)


# The scrapinghub benchmark is not all English: these 20 of its 181 pages were read and labelled
# by hand (page id prefix -> language); the rest are English.
SCRAPINGHUB_NOT_EN = {
    "0ec95c7261d1": "ko", "11ea381ad92b": "pt", "20b2b64916b0": "it", "21486419bb10": "id",
    "23aaecd14171": "pt", "3252222e61fe": "pt", "3c6d3381ef52": "ru", "57b4dafd18cf": "de",
    "7837c9d66c81": "id", "85439e26c41c": "ja", "9da36ae4714b": "ko", "b3c19dd5f061": "pt",
    "b6fb53e9fb04": "it", "ba07d1e64775": "de", "c4a3637c6696": "ru", "c82b3d1d540b": "ru",
    "cc03ddb5ef7d": "pt", "f105de6e63ca": "ja", "f6ac15a4d985": "pt", "ff0f958ade71": "ru",
}  # fmt: skip


def _scrapinghub() -> list[Item]:
    path = DATA / "extraction" / "scrapinghub-article-extraction-benchmark" / "ground-truth.json"
    gold = json.loads(path.read_text(encoding="utf-8"))
    items = [
        (str(v.get("articleBody") or "").strip(), SCRAPINGHUB_NOT_EN.get(k[:12], "en"))
        for k, v in sorted(gold.items())
    ]
    return [it for it in items if len(it[0]) > 200]


def en_scrapinghub(limit: int) -> list[Item]:
    return _sample([it for it in _scrapinghub() if it[1] == "en"], limit)


def scrapinghub_other(limit: int) -> list[Item]:
    """The 20 non-English pages of the scrapinghub benchmark (languages labelled by hand)."""
    return _sample([it for it in _scrapinghub() if it[1] != "en"], limit)


def en_feed_titles(limit: int) -> list[Item]:
    items = [(_field(r, "title"), "en") for r in _jsonl("western-feed-headlines-2022.jsonl.gz")]
    return _sample([it for it in items if it[0]], limit)


def en_feed_descriptions(limit: int) -> list[Item]:
    items = [(_field(r, "summary"), "en") for r in _jsonl("western-feed-headlines-2022.jsonl.gz")]
    return _sample([it for it in items if it[0]], limit)


# ---------------------------------------------------------------- Russian / Ukrainian
def ru_telegram(limit: int) -> list[Item]:
    items = [(_field(r, "text"), "ru") for r in _jsonl("telegram-ru-2024.jsonl.gz")]
    return _sample([it for it in items if len(it[0]) > 40], limit)


def ru_nerel(limit: int) -> list[Item]:
    base = DATA / "ner" / "nerel" / "NEREL-v1.1"
    paths = sorted(base.glob("*/*_text.txt"))
    items = [(p, "ru") for p in paths]
    return [(p.read_text(encoding="utf-8"), lang) for p, lang in _sample_paths(items, limit)]


def _sample_paths(items: list[tuple[Path, str]], limit: int) -> list[tuple[Path, str]]:
    if len(items) <= limit:
        return items
    keep = sorted(random.Random(13).sample(range(len(items)), limit))
    return [items[i] for i in keep]


def _slavicner(lang: str, limit: int) -> list[Item]:
    paths = sorted((DATA / "ner" / "slavicner" / "raw").glob(f"*/{lang}/*.txt"))
    chosen = _sample_paths([(p, lang) for p in paths], limit)
    return [(p.read_text(encoding="utf-8", errors="replace"), lg) for p, lg in chosen]


def ru_slavicner(limit: int) -> list[Item]:
    return _slavicner("ru", limit)


def uk_slavicner(limit: int) -> list[Item]:
    return _slavicner("uk", limit)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def ru_slavicner_titles(limit: int) -> list[Item]:
    return [(_first_line(t), lg) for t, lg in _slavicner("ru", limit)]


def uk_slavicner_titles(limit: int) -> list[Item]:
    return [(_first_line(t), lg) for t, lg in _slavicner("uk", limit)]


def ru_ukraina_titles(limit: int) -> list[Item]:
    items: list[Item] = []
    for path in sorted((DATA / "news" / "ukraina-ru-headlines").glob("articles_*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            items.extend((row["title"].strip(), "ru") for row in csv.DictReader(fh))
    return _sample([it for it in items if it[0]], limit)


# ---------------------------------------------------------------- Persian
def _fars_records() -> list[dict[str, object]]:
    base = DATA / "news" / "farsnews-fa" / "exploring-datasets" / "news"
    records: list[dict[str, object]] = []
    for i in range(1, 6):
        records.extend(json.loads((base / f"fars-news-{i}.json").read_text(encoding="utf-8")))
    return records


def fa_farsnews(limit: int) -> list[Item]:
    items: list[Item] = []
    for rec in _fars_records():
        paras = rec.get("paragraphs") or []
        body = "\n".join(str(p) for p in paras) if isinstance(paras, list) else ""
        text = "\n".join(x for x in (str(rec.get("abstract") or ""), body) if x).strip()
        if len(text) > 100:
            items.append((text, "fa"))
    return _sample(items, limit)


def fa_farsnews_titles(limit: int) -> list[Item]:
    items = [(str(r.get("title") or "").strip(), "fa") for r in _fars_records()]
    return _sample([it for it in items if it[0]], limit)


_NO_SPACE_BEFORE = re.compile(r" ([.,:;!?،؛؟)»])")


def _arman_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted((DATA / "ner" / "arman-persian").glob("*_fold*.txt")):
        tokens: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if not parts:
                if tokens:
                    sentences.append(_NO_SPACE_BEFORE.sub(r"\1", " ".join(tokens)))
                tokens = []
            else:
                tokens.append(parts[0])
        if tokens:
            sentences.append(" ".join(tokens))
    return sentences


def fa_arman_docs(limit: int) -> list[Item]:
    """Runs of 8 consecutive sentences joined into a pseudo-document."""
    sents = _arman_sentences()
    docs = [(" ".join(sents[i : i + 8]), "fa") for i in range(0, len(sents) - 7, 8)]
    return _sample(docs, limit)


def fa_arman_sentences(limit: int) -> list[Item]:
    items = [(s, "fa") for s in _arman_sentences() if len(s) >= 20]
    return _sample(items, limit)


# ---------------------------------------------------------------- other languages
_TLD_LANG = {"de": "de", "at": "de", "fr": "fr", "pl": "pl", "it": "it", "br": "pt"}
_TLD_LANG.update({t: "es" for t in ("cl", "pe", "ar", "uy", "bo", "py", "ve", "co", "mx", "es")})


def web_snippets(limit: int) -> list[Item]:
    """trafilatura-eval "must contain" snippets of a page, joined; language from the ccTLD.

    Weak gold (a .de page may be English), short (a few phrases).
    """
    path = DATA / "extraction" / "trafilatura-eval-en" / "evaldata_all_languages.json"
    gold = json.loads(path.read_text(encoding="utf-8"))
    items: list[Item] = []
    for url, entry in sorted(gold.items()):
        tld = (urlparse(url.strip()).hostname or "").rsplit(".", 1)[-1]
        lang = _TLD_LANG.get(tld)
        snippets = [s for s in entry.get("with") or [] if isinstance(s, str)]
        if lang and snippets:
            items.append((" ".join(snippets), lang))
    return _sample(items, limit)


_EXT = re.compile(r"\.(s?html?|php|aspx?)$")
_SLUG_SPLIT = re.compile(r"[-_+.,\s]+")
_WORDISH = re.compile(r"[^\W\d_]{2,}")
_ARABIC = re.compile(r"[\u0620-\u064A]")


def _slugs() -> list[Item]:
    """Title slugs of the SemEval-2022 task 8 article URLs, with the pair file's language."""
    base = DATA / "news" / "semeval2022-task8-pairs" / "data"
    seen: set[str] = set()
    items: list[Item] = []
    for name in ("final_evaluation_data.csv", "semeval-2022_task8_train-data_batch_2.csv"):
        with (base / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for i in "12":
                    url, lang = row[f"link{i}"], row[f"url{i}_lang"]
                    if url in seen:
                        continue
                    seen.add(url)
                    segments = [s for s in unquote(urlparse(url).path).split("/") if s]
                    if not segments:
                        continue
                    best = max(segments, key=lambda s: len(_WORDISH.findall(s)))
                    words = [w for w in _SLUG_SPLIT.split(_EXT.sub("", best)) if _WORDISH.search(w)]
                    if len(words) >= 4:
                        items.append((" ".join(words), lang))
    return items


def ar_url_slugs(limit: int) -> list[Item]:
    """Arabic-script title slugs of Arabic news URLs (short, no punctuation)."""
    return _sample([it for it in _slugs() if it[1] == "ar" and _ARABIC.search(it[0])], limit)


def latin_url_slugs(limit: int) -> list[Item]:
    """Latin-script title slugs (de es tr pl it fr en): mostly stripped of diacritics, so hard.

    ``limit`` applies per language.
    """
    items: list[Item] = []
    slugs = _slugs()
    for lang in ("de", "en", "es", "fr", "it", "pl", "tr"):
        items.extend(_sample([it for it in slugs if it[1] == lang], limit))
    return items


def keyword_phrases(limit: int) -> list[Item]:
    """Russia-Ukraine war keyword phrases in 60+ languages (>= 14 chars, several words).

    Gold is the list's language; about 1 in 10 phrases is left in English in other lists
    ("Stand With Ukraine"), so no language can reach 100 %. ``limit`` applies per language.
    """
    path = DATA / "outlets" / "wikidata-news-outlets" / "resources" / "language_resources.jsonl"
    items: list[Item] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if "keyword_list" not in rec:
            continue
        lang = str(rec["iso_639_1_code"])
        phrases = [" ".join(k.split()) for k in str(rec["keyword_list"]).split("$")]
        good = [(p, lang) for p in phrases if len(p) >= 14 and " " in p]
        items.extend(_sample(good, limit))
    return items


# ---------------------------------------------------------------- the sets
DOCS: dict[str, Loader] = {
    "en/kremlin": en_kremlin,
    "en/tehrantimes": en_tehrantimes,
    "en/scrapinghub": en_scrapinghub,
    "ru/telegram": ru_telegram,
    "ru/nerel": ru_nerel,
    "ru/slavicner": ru_slavicner,
    "uk/slavicner": uk_slavicner,
    "fa/farsnews": fa_farsnews,
    "fa/arman": fa_arman_docs,
}
"""Document sets: name -> loader."""

SHORT: dict[str, Loader] = {
    "en/feed-titles": en_feed_titles,
    "en/feed-descriptions": en_feed_descriptions,
    "en/tehrantimes-titles": en_tehrantimes_titles,
    "en/scrapinghub-60-120": lambda n: prefixes(en_scrapinghub(n)),
    "ru/ukraina-titles": ru_ukraina_titles,
    "ru/slavicner-titles": ru_slavicner_titles,
    "ru/telegram-60-120": lambda n: prefixes(ru_telegram(n)),
    "uk/slavicner-titles": uk_slavicner_titles,
    "uk/slavicner-60-120": lambda n: prefixes(uk_slavicner(n)),
    "fa/farsnews-titles": fa_farsnews_titles,
    "fa/arman-sentences": fa_arman_sentences,
    "fa/farsnews-60-120": lambda n: prefixes(fa_farsnews(n)),
}
"""Short-string sets for the four core languages: name -> loader."""

MULTI: dict[str, Loader] = {
    "multi/scrapinghub-other": scrapinghub_other,
    "ar/url-slugs": ar_url_slugs,
    "multi/url-slugs-latin": latin_url_slugs,
    "multi/web-snippets": web_snippets,
    "multi/keyword-phrases": keyword_phrases,
}
"""Mixed-language sets (gold per item); out-of-scope languages should come back ``und``."""
