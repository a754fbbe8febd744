"""Quality hints for one article: empty or short text, leftover boilerplate and SEO spam.

:func:`assess_quality` measures a few signals in the extracted text (and, when given, the raw
HTML) and returns a :class:`~newsparallax.records.Quality`: a score in [0, 1] (1 is clean news
text), the flags raised and the measured values behind them in ``details``. Nothing is dropped
here: the flags are hints for later stages. Flag names are stable:

``empty_text``
    There is no body text.
``headline_only``
    No body, but a title or summary (a feed item): a fact about the item, not a defect.
``short_text``
    The body has fewer than :data:`SHORT_CHARS` characters or :data:`SHORT_WORDS` words.
``boilerplate``
    Leftover navigation, cookie, subscribe, share, copyright, "read more" or "related" lines in
    English, Russian or Persian make up at least :data:`BOILERPLATE_SHARE` of the lines.
``keyword_stuffing``
    One phrase repeated unnaturally: the same bold text (``<b>``, ``<strong>`` or markdown
    ``**...**``) at least :data:`BOLD_REPEAT` times, or a 2–4 word n-gram covering at least
    :data:`NGRAM_DENSITY` of the words :data:`NGRAM_MIN_COUNT` times or more (speaker labels and
    units are ignored). Real news gets close: Persian agency copy repeats multi-word names and
    price lists up to ~20 %, so the text-only signal is weak evidence and alone never makes
    ``seo_spam``.
``linkbait_tail``
    The page ends in a list of title-like lines or links (a trailing link list after the body in
    the HTML, or the last lines of the text) whose vocabulary is unrelated to the body and reads
    like link bait (piracy, gambling, celebrity gossip): "most read" lists of real news sites are
    unrelated to the article too, so unrelatedness alone does not flag.
``filler``
    Generic AI/SEO filler phrases ("In today's fast-paced world", "It is important to note
    that", "delve into", "stay tuned"...) at a density, not a single occurrence.
``seo_spam``
    The combined evidence of stuffing, link-bait tail and filler reaches :data:`SEO_EVIDENCE`
    (each signal is 1.0 at its own flag threshold and counts at most 1.5, so it takes two).

``score`` is 1 minus the weighted penalties of the flags raised (:data:`PENALTIES`), clamped to
[0, 1]; a headline-only item scores 0.5, an empty one 0. The thresholds were set on real news
(``bench/quality_flags.py`` prints the flag rates per corpus; ``tests/test_quality_real.py`` pins
them).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from ..records import Quality
from .pipeline import BaseStage, Doc

__all__ = ["QualityStage", "assess_quality"]

# --- thresholds (all in one place; each measured on real news, see the module docstring) --------
SHORT_CHARS = 300  # fewer characters than this is a short body (a Telegram post, a brief)
SHORT_WORDS = 50  # ... or fewer words than this
BOILERPLATE_SHARE = 0.2  # share of lines that are boilerplate ...
BOILERPLATE_MIN_LINES = 2  # ... and at least this many such lines
BOLD_REPEAT = 8  # the same bold phrase this often is stuffing (a fitness page bolds a label 6x)
NGRAM_MIN_COUNT = 8  # an n-gram must repeat at least this often to count as stuffing ...
NGRAM_DENSITY = 0.12  # ... and cover this share of the words (Fars News reaches 0.19)
TAIL_MIN_LINES = 4  # a link-bait tail has at least this many title-like lines or links ...
TAIL_UNRELATED = 0.75  # ... of which this share shares no content word with the body ...
TAIL_BAIT = 0.3  # ... and this share uses piracy/gambling/gossip vocabulary (news "most read"
# lists are unrelated to the body too, so unrelatedness alone does not flag)
FILLER_MIN_HITS = 3  # filler phrases must occur at least this often ...
FILLER_MIN_DISTINCT = 2  # ... in at least this many different forms ...
FILLER_PER_1K = 6.0  # ... at this many per 1000 words
SEO_EVIDENCE = 2.0  # sum of the three spam signals (each 1.0 at its own flag threshold, cap 1.5)

PENALTIES: dict[str, float] = {
    "empty_text": 1.0,
    "headline_only": -0.5,  # gives back half: a feed item is not a defect, only has no body
    "short_text": 0.15,
    "boilerplate": 0.15,
    "keyword_stuffing": 0.3,
    "linkbait_tail": 0.25,
    "filler": 0.2,
    "seo_spam": 0.3,
}


# --- lexicons ---------------------------------------------------------------------------------
def _alternation(*branches: str) -> re.Pattern[str]:
    """One regex for the branches, each starting at a word start (one look-behind for all is ~20x
    faster than a ``\\b`` in front of every branch)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(branches) + ")")


_BOILERPLATE = _alternation(
    # English
    r"cookies?\b.*\b(use|accept|consent|policy|settings|browsing|experience)\b",
    r"(accept|reject|manage) (all )?cookies\b",
    r"^(please )?(subscribe|sign up|register)\b",
    r"subscribe (to|for) (our|the) (newsletter|channel|podcast|feed)\b",
    r"sign up for (our|the) [\w ]{0,30}newsletter\b",
    r"^share (this|on|the|via)\b|share this (article|story|post|page)\b",
    r"^(follow us|like us) on\b",
    r"all rights reserved\b|^(copyright|©)|\(c\) \d{4}",
    r"^(read more|read also|see also|more on this|more from|also read|recommended)\b",
    r"^related( articles| stories| news| posts| content| coverage| topics)?:?$",
    r"^you (may|might) also (like|be interested)\b",
    r"^(advertisement|sponsored|skip to (main )?content|back to top|click here)\b",
    r"^(privacy policy|terms of (use|service)|contact us|about us)\b",
    # Russian
    r"подпи(сывайтесь|шитесь|сывайся|шись|саться)\b",
    r"^читайте (также|нас|далее|еще|ещё)\b|^читать (нас|далее|также)\b|^смотрите также\b",
    r"^(еще|ещё|больше новостей) по теме\b|^(новости|материалы) партн[её]ров\b",
    r"все права защищены|^поделиться\b|^реклама\b|^прислать новость\b",
    r"(мы )?использу(ем|ет) (файлы )?cookie",
    # Persian (after normalisation: ی, ک, no ZWNJ)
    r"همچنین بخوانید|بیشتر بخوانید|^بخوانید\b",
    r"(کلیه|تمامی) حقوق .{0,40}محفوظ",
    r"اشتراک ?گذاری|^عضویت در کانال|ما را در .{0,30}دنبال کنید",
    r"^(اخبار|مطالب) (مرتبط|مشابه)\b|^تبلیغات\b|^انتهای پیام",
)
_FILLER = _alternation(
    # English
    r"in today'?s (fast-paced |digital |modern |ever-changing |rapidly changing )?world\b",
    r"in (the|this|an?) (ever-evolving|ever-changing|fast-paced|digital)"
    r" (world|landscape|age|era)\b",
    r"it('s| is) (important|worth|crucial|essential|vital)"
    r" to (note|mention|remember|highlight|understand)\b",
    r"in conclusion\b|in summary\b|in a nutshell\b|to sum (it )?up\b",
    r"plays? an? (crucial|vital|pivotal|key|significant|important) role\b",
    r"navigat(e|ing) (the|this) (complex|ever-changing|intricate) (landscape|world|waters)\b",
    r"stay tuned\b|delv(e|es|ing) (deep |deeper )?into\b|let'?s (dive|delve|explore)\b",
    r"a testament to\b|rich tapestry\b|ever-evolving\b|game-?changer\b",
    r"without further ado\b|it goes without saying\b|only time will tell\b",
    r"whether you('re| are) a\b|in the realm of\b|unlock(ing)? the (power|potential)\b",
    r"first and foremost\b|last but not least\b|(myriad|plethora) of\b",
    r"(everything|all) you need to know\b|we hope (this|you)\b|keep reading\b",
    r"more (important|relevant|crucial) than ever\b|embark(ing)? on (a|the|this) journey\b",
    # Russian
    r"в современном (мире|обществе)\b|в (этой|данной) статье (мы|вы)\b",
    r"(важно|стоит|следует) отметить,? что\b|не секрет,? что\b",
    r"игра(ет|ют) (ключевую|важнейшую|решающую) роль\b|в заключение\b",
    r"следите за обновлениями\b|давайте (разбер[её]мся|рассмотрим)\b",
    # Persian
    r"در دنیای (امروز|پرشتاب|مدرن)|در این مقاله|با ما همراه باشید|همه چیز درباره",
    r"نقش (کلیدی|حیاتی|بسزایی) (ایفا|دارد)",
)
_CLICKBAIT = re.compile(  # piracy, gambling, celebrity-gossip and "you won't believe" vocabulary
    r"\b(download|free|watch online|full movie|torrent|1080p|720p|hd|mp3|apk|crack|keygen"
    r"|casino|betting|slots|net worth|shock(s|ing|ed)?|leaked|celebrit(y|ies)|gossip|bikini"
    r"|sexy|hottest|stunning|won'?t believe|jaw-dropping|unbelievable|weight loss|girlfriend"
    r"|boyfriend|скачать|бесплатно|смотреть онлайн|торрент|казино|ставки|без регистрации"
    r"|в хорошем качестве|шок\w*|звезд\w+|دانلود|رایگان|کازینو|شرط ?بندی|بازیگر|جنجالی)\b"
)
_TIMESTAMP = re.compile(r"^\d{1,2}:\d{2}\b")  # podcast/video chapter lists are not link bait
_STOP = frozenset(
    """a an and are as at be been but by for from had has have he her his i in into is it its
    of on or our she so than that the their them there these they this to was we were what when
    which who will with you your not no do does did said says also after over more about new
    и в во на с со по к ко о об от до из за для не что как это так но а же бы ли то его ее её их
    он она они мы вы я был была были быть уже также при все всё или у под над после более
    و در به از که این را با است برای آن تا یک بر هم نیز شد می ها های شود کرد ای خود
    million billion percent per cent тыс млн млрд руб рублей долларов процентов года году
    هزار میلیون میلیارد ریال تومان دلار درصد کیلوگرم سال""".split()
)
_SPEAKER = re.compile(r"^[^\W\d][\w .'’-]{0,60}:\s")  # "Vladimir Putin: ..." in transcripts
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_BOLD = re.compile(r"\*\*([^*\n]{3,200})\*\*")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+\.(?:com|ru|ir|ly|me)/\S*")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_BULLET = re.compile(r"^\s*(?:[-*•·▪►>]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.:;،؛]\W*$")


def _norm(s: str) -> str:
    """Lowercase, unify Arabic/Persian letters, drop ZWNJ and markdown markers, squeeze spaces."""
    s = s.lower().replace("ي", "ی").replace("ك", "ک").replace("ё", "е").replace("\u200c", " ")
    s = s.replace("’", "'").replace("*", "").replace("__", "")
    return " ".join(s.split())


def _words(s: str) -> list[str]:
    return _WORD.findall(s)


def _content(words: Iterable[str]) -> set[str]:
    """Content-word stems (first five letters) used to compare vocabularies."""
    return set(_stems(words))


def _stems(words: Iterable[str]) -> list[str]:
    return [w[:5] for w in words if len(w) >= 3 and w not in _STOP]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


# --- signals ----------------------------------------------------------------------------------
def _boilerplate_lines(norm_lines: Sequence[str]) -> list[bool]:
    """Which (normalised) lines are boilerplate: short and matching :data:`_BOILERPLATE`."""
    marks = []
    for line in norm_lines:
        n = line.strip(" -–—|•·❗️📩🎯🔍👉")
        marks.append(len(_words(n)) <= 40 and bool(_BOILERPLATE.search(n)))
    return marks


def _bold_repeat(html_bold: Sequence[str], text: str) -> tuple[int, str]:
    """Most repeated bold phrase (HTML ``<b>``/``<strong>`` or markdown ``**``) and its count.

    Only phrases of two to twelve words count: news bolds labels ("Summary", "Q:", "1 место",
    speaker names), a stuffed page bolds its search phrase.
    """
    seen: Counter[str] = Counter()
    for raw in [*html_bold, *_MD_BOLD.findall(text)]:
        n = _norm(raw).strip(" .,!?-–—")
        if 2 <= len(_words(n)) <= 12 and not n.endswith(":"):
            seen[n] += 1
    if not seen:
        return 0, ""
    phrase, count = seen.most_common(1)[0]
    return count, phrase


def _ngram_stuffing(norm_lines: Sequence[str]) -> tuple[float, int, str]:
    """Best (coverage, count, n-gram) over 2–4-grams seen :data:`NGRAM_MIN_COUNT` times or more.

    An n-gram must start and end on a content word of three letters or more (not a unit such as
    "млн т" or "г. р."); speaker labels and URLs are ignored. Longer n-grams are only counted
    where their prefix is already frequent, which keeps this linear in practice.
    """
    seqs = [_words(_URL.sub(" ", _SPEAKER.sub("", line))) for line in norm_lines]
    total = sum(len(s) for s in seqs) or 1
    frequent: set[tuple[str, ...]] = set()
    best = (0.0, 0, "")
    for n in (2, 3, 4):
        counts: Counter[tuple[str, ...]] = Counter()
        for words in seqs:
            if n == 2:
                counts.update(itertools.pairwise(words))
                continue
            for i in range(len(words) - n + 1):
                gram = tuple(words[i : i + n])
                if gram[:-1] in frequent:
                    counts[gram] += 1
        frequent = {g for g, c in counts.items() if c >= NGRAM_MIN_COUNT}
        for gram in frequent:
            if _content_gram(gram) and counts[gram] * n / total > best[0]:
                best = (counts[gram] * n / total, counts[gram], " ".join(gram))
    return best


def _content_gram(gram: tuple[str, ...]) -> bool:
    edges_ok = all(len(w) >= 3 and w not in _STOP for w in (gram[0], gram[-1]))
    return edges_ok and all(len(w) >= 2 for w in gram)


def _title_like(line: str) -> str | None:
    """The line as a bare title if it looks like one (3–16 words, no sentence end), else None."""
    bare = " ".join(_BULLET.sub("", _MD_LINK.sub(r"\1", line)).split())
    n = len(_words(bare))
    if not 3 <= n <= 16 or len(bare) > 160 or _SENTENCE_END.search(bare):
        return None
    if _TIMESTAMP.match(bare) or _BOILERPLATE.search(_norm(bare)):
        return None
    return bare


def _text_tail(lines: Sequence[str], boiler: Sequence[bool]) -> tuple[list[str], int]:
    """The trailing run of title-like lines (boilerplate lines skipped) and where it starts."""
    tail: list[str] = []
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if boiler[i] and not tail:
            start = i
            continue
        title = _title_like(lines[i])
        if title is None:
            break
        tail.append(title)
        start = i
    return tail[::-1], start


_BLOCKS = frozenset({"p", "li", "blockquote", "td", "div", "span", "h2", "h3", "h4", "section"})
_LISTS = frozenset({"ul", "ol", "div", "section", "aside", "p", "table", "nav", "footer"})


def _html_parts(html: str | bytes, last_line: str) -> tuple[list[str], list[str]]:
    """Bold texts of the page, and the link titles of the first link list after the body end."""
    from lxml import etree
    from lxml import html as lhtml

    try:
        root = lhtml.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return [], []
    etree.strip_elements(root, "script", "style", "noscript", with_tail=False)
    bold = [el.text_content() for el in root.iter("b", "strong")]
    snippet = " ".join(_words(_norm(last_line))[:8])
    if len(snippet) < 20:
        return bold, []
    end = _last_block_with(root, snippet)  # the deepest, last block holding the body's last line
    if end is None:
        return bold, []
    inside = list(end.iterancestors())  # kept alive: lxml proxies are compared by identity
    after = False
    for el in root.iter():  # forward in document order: the first link list after the body end
        if el is end:
            after = True
        elif after and el.tag in _LISTS and el not in inside:
            links = [" ".join(a.text_content().split()) for a in el.iter("a")]
            if len(links) < TAIL_MIN_LINES:  # fewer titles still
                continue
            all_text = len(" ".join(el.text_content().split()))
            if sum(map(len, links)) < 0.7 * all_text:
                continue
            titles = list(dict.fromkeys(t for t in map(_title_like, links) if t))
            if len(titles) >= TAIL_MIN_LINES:
                return bold, titles
    return bold, []


def _holds(el: Any, snippet: str) -> bool:
    return snippet in " ".join(_words(_norm(el.text_content())))


def _last_block_with(root: Any, snippet: str) -> Any:
    """The last element of :data:`_BLOCKS` with 30 children or fewer, in document order,
    whose normalised words hold ``snippet``; ``None`` if there is none.

    The same as testing every block in turn, with far less text normalised: the elements are
    visited in reverse document order (the last child's subtree, then the one before, ..., then
    the element itself), so the search stops at the first match, before the large blocks around
    it; and a subtree is skipped whole when the text of its root holds no ``*`` or ``_`` (which
    :func:`_norm` deletes, joining what was apart) and, lowercased as :func:`_norm` does, not
    the longest word of ``snippet``: the text of an element is a piece of its parent's, so no
    element under it can hold the snippet either. (Lowercasing maps each character on its own
    except the Greek sigma: with one in that word no subtree is skipped.)"""
    key = max(snippet.split(), key=len)
    prune = "σ" not in key and "ς" not in key
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, below_done = stack.pop()
        if below_done:
            if el.tag in _BLOCKS and len(el) <= 30 and _holds(el, snippet):
                return el
            continue
        if prune:
            text = el.text_content()
            if "*" not in text and "_" not in text:
                lowered = text.lower().replace("ي", "ی").replace("ك", "ک").replace("ё", "е")
                if key not in lowered.replace("’", "'"):
                    continue
        stack.append((el, True))
        stack.extend((child, False) for child in el if isinstance(child.tag, str))
    return None


def _related(title: str, body_vocab: Counter[str]) -> bool:
    """A title shares a frequent body word (stem), or two body words, with the body."""
    shared = _content(_words(title)) & body_vocab.keys()
    return len(shared) >= 2 or any(body_vocab[w] >= 2 for w in shared)


def _tail_strength(titles: Sequence[str], body_vocab: Counter[str]) -> tuple[float, float, float]:
    """(unrelated share, link-bait vocabulary share, strength) of a tail; strength 1 flags."""
    if len(titles) < TAIL_MIN_LINES:
        return 0.0, 0.0, 0.0
    normed = [_norm(t) for t in titles]
    unrelated = sum(1 for t in normed if not _related(t, body_vocab)) / len(titles)
    bait = sum(1 for t in normed if _CLICKBAIT.search(t)) / len(titles)
    strength = min(1.0, unrelated / TAIL_UNRELATED) * min(1.5, bait / TAIL_BAIT)
    return unrelated, bait, strength


# --- the assessment ---------------------------------------------------------------------------
def assess_quality(
    *, title: str, text: str, html: str | bytes | None = None, summary: str = ""
) -> Quality:
    """Measure the quality signals of one article and return the :class:`Quality` hints."""
    flags: list[str] = []
    details: dict[str, float] = {}
    body = text.strip()
    lines = _lines(body)
    words = _words(_norm(_URL.sub(" ", body)))
    details["chars"] = float(len(body))
    details["words"] = float(len(words))
    if not words:
        flags.append("empty_text")
        if title.strip() or summary.strip():
            flags.append("headline_only")
        return _result(flags, details)
    if len(body) < SHORT_CHARS or len(words) < SHORT_WORDS:
        flags.append("short_text")

    norm_lines = [_norm(_MD_LINK.sub(r"\1", ln)) for ln in lines]
    boiler = _boilerplate_lines(norm_lines)
    n_boiler = sum(boiler)
    details["boilerplate_share"] = round(n_boiler / len(lines), 3)
    if n_boiler >= BOILERPLATE_MIN_LINES and n_boiler / len(lines) >= BOILERPLATE_SHARE:
        flags.append("boilerplate")

    # link-bait tail: the last lines of the text, or the first link list after the body in the HTML
    tail, tail_start = _text_tail(lines, boiler)
    body_kept = [norm_lines[i] for i in range(tail_start) if not boiler[i]]
    vocab = Counter(_stems(_words(" ".join(body_kept))))
    unrelated, bait, linkbait = _tail_strength(tail, vocab)
    html_bold: list[str] = []
    if html:
        last = next((ln for ln in reversed(body_kept) if len(_words(ln)) >= 8), "")  # normalised
        html_bold, html_tail = _html_parts(html, last)
        measured = _tail_strength(html_tail, vocab)
        if measured[2] > linkbait or (not tail and html_tail):
            tail, (unrelated, bait, linkbait) = html_tail, measured
    details["tail_lines"] = float(len(tail))
    details["tail_unrelated"] = round(unrelated, 3)
    details["tail_linkbait_vocab"] = round(bait, 3)
    if linkbait >= 1.0:
        flags.append("linkbait_tail")

    # keyword stuffing: repeated bold phrase, or an n-gram far denser than news text has
    bold_count, _phrase = _bold_repeat(html_bold, body)
    coverage, gram_count, _gram = _ngram_stuffing(body_kept)
    details["bold_repeat"] = float(bold_count)
    details["ngram_density"] = round(coverage, 4)
    details["ngram_count"] = float(gram_count)
    stuffing = max(
        bold_count / BOLD_REPEAT,
        coverage / NGRAM_DENSITY if gram_count >= NGRAM_MIN_COUNT else 0.0,
    )
    if stuffing >= 1.0:
        flags.append("keyword_stuffing")

    # filler: generic phrases at a density
    found = [m.group(0) for m in _FILLER.finditer(" ".join(body_kept))]
    per_1k = 1000.0 * len(found) / max(len(words), 1)
    distinct = len(set(found))
    details["filler_hits"] = float(len(found))
    details["filler_per_1k"] = round(per_1k, 2)
    filler = 0.0
    if len(found) >= FILLER_MIN_HITS and distinct >= FILLER_MIN_DISTINCT:
        filler = per_1k / FILLER_PER_1K
    if filler >= 1.0:
        flags.append("filler")

    evidence = sum(min(1.5, s) for s in (stuffing, linkbait, filler))
    details["seo_evidence"] = round(evidence, 3)
    if evidence >= SEO_EVIDENCE:
        flags.append("seo_spam")
    return _result(flags, details)


def _result(flags: list[str], details: dict[str, float]) -> Quality:
    score = 1.0 - sum(PENALTIES[f] for f in flags)
    return Quality(score=round(min(1.0, max(0.0, score)), 3), flags=tuple(flags), details=details)


class QualityStage(BaseStage):
    """Set ``doc.quality`` from :func:`assess_quality`; count each flag raised."""

    name = "quality.v1"
    requires: ClassVar[tuple[str, ...]] = ("title", "text", "html")
    provides: ClassVar[tuple[str, ...]] = ("quality",)

    def __call__(self, doc: Doc) -> Doc:
        body = doc.body
        doc.quality = assess_quality(title=doc.title, text=body, html=doc.html, summary=doc.summary)
        if len(body) < len(doc.text):
            doc.flags.append("annotated_in_part")
            self.counts["annotated_in_part"] += 1
        self.counts["assessed"] += 1
        for flag in doc.quality.flags:
            self.counts[flag] += 1
        return doc
