"""Hand-labelled PLOVER event gold on real sentences: the sampler and the loader.

The gold (``events_gold.jsonl`` beside this file) stores no third-party text: each item names a
sentence by position (data file, record id, field, character start/end) plus the first 10 hex
digits of the sentence's sha1. This module re-reads the sentence from the shared data at run time.

* ``draw(data_dir)`` re-draws the sample deterministically (fixed seed per source; stdlib only).
* ``load(data_dir)`` returns every labelled item joined with its sentence text, the record's
  ``published``, ``outlet`` and ``language``; it raises ``GoldDriftError`` when a sentence's sha1
  no longer matches (the data changed under the labels).
* ``main()`` re-draws the sample and prints each sentence next to its labels (``--check`` only
  verifies that the gold and the draw agree; ``--summary`` prints counts).

    python bench/labels/events_sample.py [--data ../shared/data] [--source NAME] [--check|--summary]

See ``bench/events_labelling.md`` for the splitter, the actor filter and the labelling rules.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOLD = HERE / "events_gold.jsonl"
DEFAULT_DATA = HERE.parents[2] / "shared" / "data"  # ../shared/data from the project root
SEED = "parallax-events-gold-v1"

TYPES = (
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT"
    " THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT"
).split()

#: name -> (file relative to the data dir, language filter, fields, quota)
SOURCES: dict[str, tuple[str, str, tuple[str, ...], int]] = {
    "tehrantimes": ("demo/tehrantimes.jsonl.gz", "en", ("title", "text"), 40),
    "kremlin": ("demo/kremlin.jsonl.gz", "en", ("title", "text"), 25),
    "western2022": ("demo/western-feed-headlines-2022.jsonl.gz", "en", ("title", "summary"), 30),
    "ruwa2022": ("demo/ruwa-war-headlines-2022.jsonl.gz", "en", ("title", "summary"), 30),
    "feeds2026-en": (
        "news/feeds-iran-war-2026/feeds-2026.jsonl.gz",
        "en",
        ("title", "summary"),
        35,
    ),
    "telegram2024": ("demo/telegram-ru-2024.jsonl.gz", "ru", ("text",), 60),
    "feeds2026-ru": (
        "news/feeds-iran-war-2026/feeds-2026.jsonl.gz",
        "ru",
        ("title", "summary"),
        80,
    ),
    "feeds2026-fa": (
        "news/feeds-iran-war-2026/feeds-2026.jsonl.gz",
        "fa",
        ("title", "summary"),
        55,
    ),
    "farsnews2023": ("news/farsnews-2023/farsnews-2023.jsonl.gz", "fa", ("title", "text"), 45),
}

MIN_CHARS, MAX_CHARS, MIN_WORDS = 20, 500, 4


class GoldDriftError(RuntimeError):
    """A labelled sentence is no longer where the gold says (data changed, or a bad label)."""


# --------------------------------------------------------------------------- sentence splitter
#: A boundary: terminal punctuation (., !, ?, Persian ؟, …) with any closing quotes/brackets,
#: followed by whitespace; or a run of newlines (a line break always ends a sentence).
_BOUNDARY = re.compile(r"[.!?؟…]+[\"'»”’)\]]*(?=\s)|\n+")
#: Words after which a period does not end a sentence (lower-cased, without the period).
_ABBREV = frozenset(
    """mr mrs ms dr st gen col lt sgt capt maj adm gov sen rep prof jr sr no nos inc co corp ltd
    vs etc e.g i.e jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u approx est
    dept fig op cf al т.е т.д т.п т.к т.н г гг им др пр ул тыс млн млрд руб см ст ген и.о п
    наст проф акад""".split()
)
_WORD_BEFORE = re.compile(r"(\S+)$")
_NEXT_LOWER = re.compile(r"\s*[\"'«“(]*[a-zа-яё0-9]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, whitespace trimmed at both ends.

    A period does not end a sentence after an abbreviation in ``_ABBREV`` or a single letter
    (initials: "V. Putin", "В. Путин", "U.S."), nor when the next word starts in lower case
    or with a digit ("the U.S. envoy", "в т.ч. власти").
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if m.group(0)[0] == "." and not m.group(0).startswith("..."):
            before = _WORD_BEFORE.search(text, start, m.start())
            word = before.group(1).lower().lstrip("(«\"'“") if before else ""
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            if re.fullmatch(r"(?:\w\.)+\w", word):  # U.S, т.е, e.g written without the last dot
                continue
            if _NEXT_LOWER.match(text, end):
                continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


# --------------------------------------------------------------------------- state-actor filter
# A keyword ending in "*" matches as a prefix (inflections: "Росси*" finds России, Россией...);
# other keywords must stand as whole words. Matching is case-insensitive except for the
# CASE_SENSITIVE lists (acronyms that collide with common words: US/us, ЕС/ес).
ACTORS_EN = """
Russia* Moscow Kremlin Putin* Lavrov Peskov Shoigu Belousov Medvedev Gerasimov Zakharova
Nebenzia Iran* Tehran Khamenei Raisi Rouhani Pezeshkian Araghchi Zarif Amir-Abdollahian
Abdollahian Kanaani Baghaei Larijani Ghalibaf Qalibaf Revolutionary-Guard* Quds-Force Basij
Majlis America* Washington White-House Pentagon State-Department Biden Trump Blinken Rubio
Hegseth Vance Ukrain* Kyiv Kiev Zelensk* Zelenskiy Kuleba Sybiha Reznikov Umerov Yermak Podolyak
Zaluzhn* Syrsk* China Chinese Beijing Xi Jinping Wang-Yi Taiwan* Taipei Israel* Netanyahu
Gallant Katz Lapid Herzog IDF Mossad Zionist* Britain British UK London Downing-Street Whitehall
Johnson Truss Sunak Starmer France French Paris Macron Elysee Germany German* Berlin Scholz Merz
Baerbock Turk* Ankara Erdogan Cavusoglu Fidan Syria* Damascus Assad Iraq* Baghdad Leban* Beirut
Hezbollah Hamas Palestin* Yemen* Houthi* Ansarallah Sanaa Saudi* Riyadh Emirat* UAE Abu-Dhabi
Qatar* Doha Oman* Muscat Bahrain* Kuwait* Egypt* Cairo Jordan* Amman Pakistan* Islamabad Afghan*
Taliban Kabul India* New-Delhi Modi Japan* Tokyo Korea* Pyongyang Seoul Kim-Jong-un Belarus*
Minsk Lukashenko Kazakh* Astana Azerbaijan* Baku Aliyev Armenia* Yerevan Pashinyan Georgia*
Tbilisi Poland Polish Warsaw Lithuania* Latvia* Estonia* Baltic* Finland Finnish Sweden Swedish
Norway Norwegian Denmark Danish Hungary Hungarian Orban Serbia* Moldova* Romania* Bulgaria*
Greece Greek Italy Italian Rome Spain Spanish Canada Canadian Ottawa Australia* Canberra
Venezuela* Cuba* Brazil* Mexic* Libya* Sudan* Ethiopia* Nigeria* Indonesia* Vietnam* Tajik*
Uzbek* Turkmen* Kyrgyz* Brussels European-Union European-Commission von-der-Leyen Borrell Kallas
NATO Stoltenberg Rutte United-Nations Security-Council Guterres IAEA Grossi OPEC BRICS SCO CSTO
ASEAN G7 G20 Arab-League OIC IMF government* ministry ministries minister* president*
prime-minister parliament* senate congress army armies military armed-forces troops soldier*
navy naval air-force police embassy embassies ambassador* envoy* diplomat* authorities official*
spokes* intelligence forces
"""
CASE_SENSITIVE_EN = "US U.S. U.S U.K. UN U.N. EU DPR LPR IRGC".split()

ACTORS_RU = """
Росси* россиян* Москв* Кремл* Путин* Лавров* Песков* Шойгу Белоусов* Медведев* Герасимов*
Захаров* Небензя Иран* Тегеран* Хаменеи Раиси Пезешкиан* Аракчи Зариф* КСИР* Америк* американ*
Вашингтон* Белый-дом Белого-дома Белом-доме Пентагон* Госдеп* Байден* Трамп* Блинкен* Рубио
Вэнс* Хегсет* Украин* Киев* Зеленск* Кулеб* Сибиг* Умеров* Ермак* Сырск* Залужн* Буданов* Кита*
китайск* Пекин* Си-Цзиньпин* Ван-И Тайван* Израил* израильск* Нетаньяху ЦАХАЛ Британ* британск*
Великобритан* Лондон* Англи* Франци* французск* Париж* Макрон* Германи* немецк* Берлин* Шольц*
Мерц* Турци* турецк* Анкар* Эрдоган* Сири* сирийск* Дамаск* Асад* Ирак* Багдад* Ливан* ливанск*
Бейрут* Хезболл* Хизбалл* ХАМАС Палестин* Йемен* йеменск* хуситы хуситов хуситами Саудовск*
Эр-Рияд* Эмират* Катар* Оман* Бахрейн* Кувейт* Египт* египетск* Каир* Иордани* Пакистан*
Афганистан* афганск* талиб* Индия Индии Индию Индией индийск* Япони* японск* Токио Корея Кореи
Корею Кореей корейск* КНДР Пхеньян* Сеул* Ким-Чен-Ын* Белорус* Белорусси* Минск* Лукашенко
Казахстан* Азербайджан* Баку Алиев* Армени* армянск* Ереван* Пашинян* Грузи* грузинск* Тбилиси
Польш* польск* Варшав* Литв* Латви* Эстони* Прибалт* Финлянди* финск* Швеци* шведск* Норвеги*
Дани* датск* Венгри* венгерск* Орбан* Серби* Молдави* Молдов* Румыни* Болгари* Греци* Итали*
итальянск* Испани* Канад* Австрали* Венесуэл* Куба Кубы Кубе Кубу Кубой кубинск* Бразили*
Мексик* Ливи* Судан* Таджик* Узбек* Туркмен* Киргиз* ДНР ЛНР Брюссел* Евросоюз* Еврокомисси*
фон-дер-Ляйен НАТО Рютте Столтенберг* ООН Генсек* Гутерриш* Совбез* МАГАТЭ Гросси ОПЕК БРИКС ШОС
ОДКБ ЕАЭС СНГ G7 G20 МВФ правительств* министр* министерств* МИД* Минобороны Минфин* президент*
премьер* парламент* Госдум* Сенат* Конгресс* арми* войск* военн* военнослужащ* ВСУ ВКС ВМС ВМФ
ПВО ФСБ СВР ГУР СБУ силовик* полици* посол* посольств* дипломат* власт* ведомств* спецслужб*
генштаб*
"""
CASE_SENSITIVE_RU = "США ЕС РФ ВС ВСУ Евросоюз МИД СК".split()

ACTORS_FA = """
ایران* تهران* خامنه‌ای رهبر-انقلاب رهبر-معظم رئیسی* رییسی* روحانی پزشکیان عراقچی ظریف
امیرعبداللهیان کنعانی بقائی* بقایی* لاریجانی قالیباف سپاه* بسیج* ارتش* آمریکا* امریکا* واشنگتن
کاخ-سفید پنتاگون بایدن ترامپ بلینکن روبیو روسیه* روس روس‌ها روسی مسکو کرملین پوتین* لاوروف پسکوف
مدودف اوکراین* کی‌یف کیف زلنسکی* چین چینی* پکن شی-جین‌پینگ اسرائیل* صهیونیست* رژیم-صهیونیستی
رژیم-اشغالگر نتانیاهو تل‌آویو انگلیس* بریتانیا* لندن فرانسه* فرانسوی* پاریس ماکرون آلمان* برلین
ترکیه* آنکارا اردوغان سوریه* سوری دمشق اسد عراق* بغداد لبنان* بیروت حزب‌الله حزب-الله حماس
فلسطین* یمن* انصارالله حوثی* صنعا عربستان* سعودی* ریاض امارات* اماراتی قطر* دوحه عمان مسقط
بحرین* کویت* مصر مصری قاهره اردن* پاکستان* اسلام‌آباد افغانستان* طالبان کابل هند هندی* دهلی
ژاپن* توکیو کره-شمالی کره-جنوبی بلاروس* قزاقستان* آذربایجان* باکو ارمنستان* ایروان گرجستان*
لهستان* سوئد* نروژ* ایتالیا* اسپانیا* کانادا* استرالیا* ونزوئلا* کوبا* برزیل* مکزیک* لیبی*
سودان* تاجیکستان* ازبکستان* ترکمنستان* قرقیزستان* اروپا* اتحادیه-اروپا ناتو سازمان-ملل
شورای-امنیت دبیرکل* گوترش آژانس-بین‌المللی-انرژی-اتمی آژانس-انرژی-اتمی گروسی اوپک بریکس شانگهای
دولت* وزارت* وزیر* رئیس‌جمهور* رئیس-جمهور* رییس‌جمهور* رییس-جمهور* نخست‌وزیر* نخست-وزیر* مجلس*
پارلمان* کنگره سنا نیروهای-مسلح* نیروی-دریایی* نیروی-هوایی* نظامی* نظامیان* سفیر* سفارت*
دیپلمات* سخنگوی* مقام مقامات پلیس*
"""

_FA_NORMALISE = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "أ": "ا", "إ": "ا", "\u200c": " "})
_LETTER = r"[^\W\d_]"


def _compile(words: str, sensitive: list[str], *, fa: bool = False) -> list[re.Pattern[str]]:
    def one(kw: str) -> str:
        prefix = kw.endswith("*")
        kw = kw.rstrip("*").replace("-", " ")
        if fa:
            kw = kw.translate(_FA_NORMALISE)
        body = r"\s+".join(re.escape(p) for p in kw.split())
        return rf"(?<!{_LETTER}){body}" + ("" if prefix else rf"(?!{_LETTER})")

    pats = [re.compile("|".join(one(k) for k in words.split()), re.IGNORECASE)]
    if sensitive:
        pats.append(re.compile("|".join(one(k) for k in sensitive)))
    return pats


_FILTERS = {
    "en": _compile(ACTORS_EN, CASE_SENSITIVE_EN),
    "ru": _compile(ACTORS_RU, CASE_SENSITIVE_RU),
    "fa": _compile(ACTORS_FA, [], fa=True),
}


def names_state_actor(sentence: str, lang: str) -> bool:
    """True when the sentence names at least one state or state-level actor (keyword list)."""
    text = sentence.translate(_FA_NORMALISE) if lang == "fa" else sentence
    return any(p.search(text) for p in _FILTERS[lang])


def eligible(sentence: str, lang: str) -> bool:
    words = len(sentence.split())
    return (
        MIN_CHARS <= len(sentence) <= MAX_CHARS
        and words >= MIN_WORDS
        and names_state_actor(sentence, lang)
    )


# --------------------------------------------------------------------------- data access
def sha1_10(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def record_id(rec: dict[str, Any]) -> str | None:
    """The record's ``id``; the western feed items have none, so their ``url`` stands in."""
    return rec.get("id") or rec.get("url")


def sentence_item(
    name: str,
    rel: str,
    rid: str | None,
    hit: tuple[str, int, int, str],
    lang: str,
    *,
    split: str | None = None,
    pool: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A drawn sentence as every labelled set stores it: ``hit`` is ``(field, start, end,
    sentence)`` in record ``rid`` of ``rel`` (source ``name``); ``split`` is the gold's
    (:func:`split_of` of the key) unless given; ``pool`` and ``extra`` fields follow."""
    f, s, e, sent = hit
    key = f"{name}:{rid}:{f}:{s}"
    item: dict[str, Any] = {
        "key": key,
        "source_set": name,
        "file": rel,
        "id": rid,
        "field": f,
        "start": s,
        "end": e,
        "sha1": sha1_10(sent),
        "lang": lang,
        "split": split_of(key) if split is None else split,
    }
    if pool is not None:
        item["pool"] = pool
    item["text"] = sent
    item.update(extra)
    return item


def stratum_main(
    doc: str,
    draw: Any,
    load: Any,
    argv: list[str] | None = None,
) -> int:
    """The command line of a labelled stratum (``events_transfers.py``,
    ``events_bilateral.py``): ``--draw`` prints a fresh draw, ``--check`` checks the labels
    against one, else each labelled item is listed."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--draw", action="store_true", help="print a fresh draw as JSON lines")
    ap.add_argument("--check", action="store_true", help="the labels against a fresh draw")
    args = ap.parse_args(argv)
    if args.draw:
        for it in draw(args.data):
            print(json.dumps(it, ensure_ascii=False))
        return 0
    items = load(args.data)
    problems = validate(items)
    fresh = {it["key"] for it in draw(args.data)}
    problems += [f"{it['key']}: not in a fresh draw" for it in items if it["key"] not in fresh]
    if args.check:
        print("\n".join(problems) or f"ok: {len(items)} items")
        return 1 if problems else 0
    for it in items:
        print(it["lang"], it["split"], it["key"], it["events"], "|", it["text"][:200])
    return 0


def split_of(key: str) -> str:
    return "tune" if int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % 2 == 0 else "test"


_CACHE: dict[tuple[str, str], list[dict[str, Any]]] = {}


def read_records(data_dir: Path, rel: str) -> list[dict[str, Any]]:
    k = (str(data_dir), rel)
    if k not in _CACHE:
        with gzip.open(data_dir / rel, "rt", encoding="utf-8") as fh:
            _CACHE[k] = [json.loads(line) for line in fh if line.strip()]
    return _CACHE[k]


def unique_records(data_dir: Path, rel: str) -> dict[str, dict[str, Any]]:
    """Records by id; ids that occur more than once in a file are left out (ambiguous)."""
    recs = read_records(data_dir, rel)
    counts = Counter(record_id(r) for r in recs)
    return {record_id(r): r for r in recs if record_id(r) and counts[record_id(r)] == 1}


# --------------------------------------------------------------------------- the draw
def draw(
    data_dir: Path | str = DEFAULT_DATA, sources: list[str] | None = None
) -> list[dict[str, Any]]:
    """Re-draw the sample: per source, records in a seeded random order; from each record one
    seeded random sentence among its eligible ones (records without one are passed over)
    until the source's quota is met."""
    data_dir = Path(data_dir)
    items = []
    for name in sources or list(SOURCES):
        rel, lang, fields, quota = SOURCES[name]
        recs = [r for r in unique_records(data_dir, rel).values() if r.get("language") == lang]
        recs.sort(key=record_id)
        rng = random.Random(f"{SEED}:{name}")
        rng.shuffle(recs)
        taken = 0
        for rec in recs:
            if taken >= quota:
                break
            cands = []
            for f in fields:
                text = rec.get(f)
                if not isinstance(text, str):
                    continue
                for s, e in split_sentences(text):
                    if eligible(text[s:e], lang):
                        cands.append((f, s, e, text[s:e]))
            if not cands:
                continue
            items.append(
                sentence_item(
                    name,
                    rel,
                    record_id(rec),
                    rng.choice(cands),
                    lang,
                    published=rec.get("published"),
                    outlet=rec.get("outlet") or rec.get("domain"),
                    language=rec.get("language"),
                )
            )
            taken += 1
        if taken < quota:
            raise RuntimeError(f"{name}: only {taken} of {quota} sentences could be drawn")
    return items


# --------------------------------------------------------------------------- the gold
def read_gold(path: Path | str = GOLD) -> list[dict[str, Any]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON: {exc}") from exc
    return out


def load(data_dir: Path | str = DEFAULT_DATA, gold: Path | str = GOLD) -> list[dict[str, Any]]:
    """Every labelled item joined with its sentence text and its record's published/outlet/
    language. Raises GoldDriftError when a sentence cannot be found or its sha1 differs."""
    data_dir = Path(data_dir)
    out = []
    for item in read_gold(gold):
        recs = unique_records(data_dir, item["file"])
        rec = recs.get(item["id"])
        if rec is None:
            raise GoldDriftError(f"{item['key']}: record {item['id']!r} not in {item['file']}")
        text = rec.get(item["field"]) or ""
        sent = text[item["start"] : item["end"]]
        if sha1_10(sent) != item["sha1"]:
            raise GoldDriftError(
                f"{item['key']}: sentence sha1 {sha1_10(sent)} != stored {item['sha1']}"
                f" ({item['file']} {item['id']} {item['field']}[{item['start']}:{item['end']}])"
            )
        row = dict(item)
        row.update(
            text=sent,
            published=rec.get("published"),
            outlet=rec.get("outlet") or rec.get("domain"),
            language=rec.get("language"),
        )
        out.append(row)
    return out


def validate(items: list[dict[str, Any]]) -> list[str]:
    """Problems in labelled items (empty list when all is well)."""
    probs = []
    for it in items:
        for i, ev in enumerate(it.get("events", [])):
            where = f"{it['key']} event {i}"
            if ev.get("type") not in TYPES:
                probs.append(f"{where}: type {ev.get('type')!r}")
            for k in ("source", "target", "attributed_to"):
                if ev.get(k) is not None and not isinstance(ev.get(k), str):
                    probs.append(f"{where}: {k} not a string or null")
            for k in ("asserted", "negated"):
                if not isinstance(ev.get(k), bool):
                    probs.append(f"{where}: {k} not a bool")
            if ev.get("asserted") and ev.get("attributed_to"):
                probs.append(f"{where}: asserted but attributed")
            if not ev.get("asserted") and not ev.get("attributed_to"):
                probs.append(f"{where}: not asserted and no speaker")
            trig = ev.get("trigger") or ""
            if "text" in it and trig and trig.lower() not in it["text"].lower():
                probs.append(f"{where}: trigger {trig!r} not in sentence")
    return probs


def summary(items: list[dict[str, Any]]) -> str:
    lines = []
    by = Counter((it["lang"], it["split"]) for it in items)
    src = Counter(it["key"].split(":", 1)[0] for it in items)
    src_split = Counter((it["key"].split(":", 1)[0], it["split"]) for it in items)
    lines.append(
        f"items: {len(items)}; " + ", ".join(f"{k[0]}/{k[1]}={v}" for k, v in sorted(by.items()))
    )
    lines.append(
        "sources: "
        + ", ".join(
            f"{k}={v} (tune {src_split[k, 'tune']}, test {src_split[k, 'test']})"
            for k, v in src.items()
        )
    )
    for lang in ("en", "ru", "fa"):
        sub = [it for it in items if it["lang"] == lang]
        if not sub:
            continue
        types = Counter(ev["type"] for it in sub for ev in it["events"])
        empty = sum(1 for it in sub if not it["events"])
        neg = sum(1 for it in sub for ev in it["events"] if ev["negated"])
        attr = sum(1 for it in sub for ev in it["events"] if not ev["asserted"])
        lines.append(
            f"{lang}: {len(sub)} items, {sum(types.values())} events, empty {empty}"
            f" ({empty / len(sub):.0%}), not asserted {attr}, negated {neg}; "
            + " ".join(f"{t}={types[t]}" for t in TYPES if types[t])
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--source", action="append", choices=list(SOURCES))
    ap.add_argument("--check", action="store_true", help="only check gold against the draw")
    ap.add_argument("--summary", action="store_true", help="only print counts of the gold")
    args = ap.parse_args(argv)
    gold = {g["key"]: g for g in read_gold(args.gold)} if args.gold.exists() else {}
    if args.summary or args.check:
        loaded = load(args.data, args.gold)
        probs = validate(loaded)
        drawn = {it["key"] for it in draw(args.data)}
        missing = drawn - set(gold)
        extra = set(gold) - drawn
        print(summary(loaded))
        print(
            f"drawn {len(drawn)}, labelled {len(gold)}, unlabelled {len(missing)},"
            f" labelled but not drawn {len(extra)}, problems {len(probs)}"
        )
        for p in probs[:50]:
            print("  ", p)
        return 1 if (probs or missing or extra) else 0
    for it in draw(args.data, args.source):
        g = gold.get(it["key"])
        print(f"[{it['key']}] {it['lang']} {it['split']} {it['published']} {it['outlet']}")
        print(f"  {it['text']}")
        if g is None:
            print("  (not labelled)")
        else:
            if g.get("sha1") != it["sha1"]:
                print(f"  !! sha1 drift: gold {g.get('sha1')} now {it['sha1']}")
            for ev in g.get("events", []):
                flags = ("" if ev["asserted"] else f" said-by={ev['attributed_to']}") + (
                    " NEGATED" if ev["negated"] else ""
                )
                print(f"  -> {ev['type']} {ev['source']}→{ev['target']}{flags} «{ev['trigger']}»")
            if not g.get("events"):
                print("  -> (no event)")
            if g.get("note"):
                print(f"  note: {g['note']}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
