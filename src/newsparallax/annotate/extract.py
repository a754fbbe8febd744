"""Article extraction: main text and metadata from a page's HTML, by a cascade of extractors.

The cascade, measured on real pages by ``bench/extraction_f1.py`` (see the numbers there):

1. ``trafilatura-precision`` — trafilatura's ``bare_extraction`` with ``favor_precision=True``
   and ``include_comments=False`` gives the text, and trafilatura's metadata functions the
   title, author, date and site name (:func:`_metadata`: what ``with_metadata=True`` gives,
   without the categories, tags and licence). Trafilatura already compares itself internally
   with its own fallbacks.
2. ``readability`` — readability-lxml. It replaces trafilatura's text only when that text is
   *suspiciously short*: the alternative is more than twice as long and at least
   :data:`MIN_TEXT_CHARS` long (trafilatura sometimes keeps one block of an article split
   over several containers, or a teaser instead of the body).
3. ``lxml-paragraphs`` — the page's ``<p>`` elements outside navigation, with low link
   density: a last resort used only when neither extractor above produced a usable text.

Readability is the slow step (about half of trafilatura's speed), so it runs only when
trafilatura kept less text than the page's plain paragraphs hold, or too little text.

Dates come from markup only (meta tags, JSON-LD, ``<time>``, the URL): trafilatura's metadata
date (htmldate inside), else htmldate's :func:`find_date` on the same tree with the page URL.
Htmldate's *extensive* search is off on purpose: it guesses from free text and falls back to
a copyright year as ``YYYY-01-01``, which would be an invented date. Nothing here touches the
network: extractors get parsed trees, never URLs to fetch.
"""

from __future__ import annotations

import logging
import re
from configparser import ConfigParser
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

import lxml.html
from htmldate import find_date
from lxml.html import HtmlElement
from readability import Document as ReadabilityDocument
from trafilatura import bare_extraction
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import DEFAULT_CONFIG, Document
from trafilatura.utils import load_html

from ..acquire.decoding import decode_html
from ..errors import InputError
from .pipeline import BaseStage, Doc, Drop

__all__ = ["MIN_TEXT_CHARS", "ExtractStage", "Extracted", "extract_article"]

LOGGER = logging.getLogger(__name__)

MIN_TEXT_CHARS = 250
"""Below this many characters an extracted text is too little to stand on its own
(trafilatura's own ``MIN_EXTRACTED_SIZE``)."""

SHORT_RATIO = 2.0
"""An alternative replaces the current text when it is more than this many times longer."""

TRAFILATURA = "trafilatura-precision"
READABILITY = "readability"
PARAGRAPHS = "lxml-paragraphs"


def _trafilatura_config() -> ConfigParser:
    config = deepcopy(DEFAULT_CONFIG)
    defaults = config["DEFAULT"]
    # decode_html enforces our own size limit; trafilatura's applies to decompressed input
    defaults["MAX_FILE_SIZE"] = str(10**9)
    defaults["MAX_TREE_SIZE"] = ""
    # only its CLI (extraction) and fetching (download) use these: 0 = no waiting at all
    defaults["EXTRACTION_TIMEOUT"] = "0"
    defaults["DOWNLOAD_TIMEOUT"] = "0"
    defaults["EXTENSIVE_DATE_SEARCH"] = "off"
    return config


_CONFIG = _trafilatura_config()

# trafilatura drops non-printable characters, among them the zero-width non-joiner that
# Persian spelling needs (می‌گویند); they are swapped for rare printable stand-ins meanwhile
_JOINERS: dict[str, str] = {"\u200c": "\U00016a40", "\u200d": "\U00016a41"}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")
_BLOCK_TAGS = frozenset(
    ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
     "table", "tr", "td", "th", "br", "section", "article", "header", "footer", "figcaption",
     "dd", "dt")
)  # fmt: skip
_SKIP_ANCESTORS = frozenset(
    ("nav", "header", "footer", "aside", "form", "script", "style", "noscript", "template",
     "button", "select", "figure")
)  # fmt: skip
_MIN_PARAGRAPH_CHARS = 30

MAX_NESTING = 128
"""Nesting kept when a page deeper than libxml2's limit of 256 levels is parsed again."""
# an element at depth 250 below the document: the parse reached (or nearly) the limit
_AT_PARSER_LIMIT = lxml.etree.XPath("boolean(/" + "/".join(["*"] * 250) + ")")
_TAG = re.compile(
    r"<!--.*?(?:-->|\Z)"  # a comment
    r"|<(?:script|style|textarea|title|xmp)\b.*?(?:</(?:script|style|textarea|title|xmp)\s*>|\Z)"
    r"""|<(/?)([a-zA-Z][^\s/>]*)(?:"[^"]*"|'[^']*'|[^'">])*>""",  # a start or end tag
    re.S | re.I,
)
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr")
)  # fmt: skip
_CLOSES_ITS_LIKE = frozenset(("p", "li", "dt", "dd", "tr", "td", "th", "option"))
_TEXT_BLOCKS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"))
_END_TAG_REACH = 64
_MAX_LINK_DENSITY = 0.5


@dataclass(frozen=True, kw_only=True, slots=True)
class Extracted:
    """What extraction found in one page."""

    title: str
    text: str
    author: str | None
    date: str | None
    """ISO date (``YYYY-MM-DD``) as found in the page's markup or URL; never guessed."""
    date_source: str | None
    """``"trafilatura"``, ``"htmldate"`` or ``None``."""
    site_name: str | None
    language_hint: str | None
    """The ``<html lang>`` attribute, else ``og:locale``, as written in the page."""
    extractor: str
    """Which extractor's text won: ``trafilatura-precision``, ``readability``,
    ``lxml-paragraphs``, or ``none``."""
    candidates: dict[str, int] = field(default_factory=dict)
    """Characters of text produced by each extractor tried."""


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _normalize_text(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _block_text(element: HtmlElement) -> str:
    """Text of an element tree with a line break after each block element (modifies it)."""
    for el in element.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    return _normalize_text(element.text_content())


def _protect_joiners(html: str) -> tuple[str, bool]:
    if not any(j in html for j in _JOINERS) or any(s in html for s in _JOINERS.values()):
        return html, False
    for joiner, stand_in in _JOINERS.items():
        html = html.replace(joiner, stand_in)
    return html, True


def _restore_joiners(value: Any) -> Any:
    if isinstance(value, str):
        for joiner, stand_in in _JOINERS.items():
            value = value.replace(stand_in, joiner)
    return value


def _parse(html: str) -> HtmlElement | None:
    tree = load_html(html)
    if tree is None and html.strip():
        # trafilatura rejects bare fragments; lxml wraps them in a document
        try:
            tree = lxml.html.document_fromstring(html)
        except (ValueError, lxml.etree.ParserError):
            return None
    return tree


def _too_deep(tree: HtmlElement) -> bool:
    """Whether the parsed tree reaches libxml2's nesting limit (256 levels): the parser stops
    there, and everything deeper or after it is missing from the tree."""
    return bool(_AT_PARSER_LIMIT(tree))


def _flatten(html: str) -> str:
    """``html`` with the tags of elements nested deeper than :data:`MAX_NESTING` left out
    (their text stays, in the element at the limit), so that lxml parses the whole page.

    A light tag scanner, not a parser: comments and raw-text elements (script, style...) are
    skipped whole, void elements do not nest, an end tag closes the nearest open element of
    its name among the last :data:`_END_TAG_REACH` (else it is stray and kept as it is), and a
    ``<p>`` (``<li>``...) closes one left open just before it. Paragraph-like elements are
    kept a little beyond the limit, so the text keeps its paragraphs."""
    pieces: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements: name, tag kept
    kept = 0  # kept elements in the stack: the depth lxml will see
    done = 0
    for m in _TAG.finditer(html):
        name = m.group(2)
        if name is None:
            continue
        name = name.lower()
        if m.group(1):  # an end tag
            if stack and stack[-1][0] == name:  # the usual case
                keep = stack.pop()[1]
                kept -= keep
            else:
                reach = max(0, len(stack) - _END_TAG_REACH)
                found = next(
                    (i for i in range(len(stack) - 2, reach - 1, -1) if stack[i][0] == name), None
                )
                if found is None:
                    continue
                keep = stack[found][1]
                kept -= sum(k for _, k in stack[found:])
                del stack[found:]
        else:
            if name in _VOID or m.group(0).endswith("/>"):
                continue
            if name in _CLOSES_ITS_LIKE and stack and stack[-1][0] == name:
                kept -= stack.pop()[1]
            keep = kept < MAX_NESTING or (name in _TEXT_BLOCKS and kept < MAX_NESTING + 16)
            stack.append((name, keep))
            kept += keep
        if not keep:
            pieces.append(html[done : m.start()])
            pieces.append(" " if name in _BLOCK_TAGS else "")
            done = m.end()
    pieces.append(html[done:])
    return "".join(pieces)


def _language_hint(tree: HtmlElement) -> str | None:
    root = tree.getroottree().getroot()
    lang = _clean(root.get("lang") or root.get("xml:lang"))
    if lang:
        return lang
    for meta in tree.iterfind(".//meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:locale":
            return _clean(meta.get("content"))
    return None


def _trafilatura(tree: HtmlElement, url: str | None) -> dict[str, Any]:
    """Trafilatura's text and metadata of the page: what ``bare_extraction(with_metadata=True)``
    gives, its metadata found by :func:`_metadata` (the same fields, less the unused ones)."""
    date_params = {
        "original_date": True,
        "extensive_search": False,
        "max_date": datetime.now().astimezone().strftime("%Y-%m-%d"),
    }
    try:
        metadata = _metadata(tree, url, date_params)
        document = bare_extraction(
            tree,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
            date_extraction_params=date_params,
            config=_CONFIG,
        )
    except Exception:  # an extractor bug on one page must not stop the run
        LOGGER.warning("trafilatura failed on %s", url or "a page", exc_info=True)
        return {}
    if document is None:
        return {}
    result: dict[str, Any] = document if isinstance(document, dict) else document.as_dict()
    result.update({key: getattr(metadata, key) for key in _METADATA})
    return result


_METADATA = ("title", "author", "date", "sitename")


def _metadata(tree: HtmlElement, url: str | None, date_params: dict[str, Any]) -> Document:
    """The metadata trafilatura's ``extract_metadata`` finds (meta tags, JSON-LD, title and
    byline elements, htmldate for the date), as in trafilatura 2.3, less the categories, tags
    and licence, which Parallax does not keep and which cost a sixth of the extraction. Only
    :data:`_METADATA` is read from it. The tree is not changed (the author search and htmldate
    work on copies), so trafilatura then extracts the text from the same page as before."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as err:  # bugs in trafilatura's json_metadata.py
        LOGGER.warning("error in JSON metadata extraction: %s", err)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = extract_author(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    metadata.date = find_date(tree, **{**date_params, "url": metadata.url})
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        name = metadata.sitename.lstrip("@")  # a Twitter handle
        if name and "." not in name and not name[0].isupper():
            name = name.title()
        metadata.sitename = name
    elif metadata.url:
        found = META_URL.match(metadata.url)
        if found:
            metadata.sitename = found[1]
    metadata.clean_and_trim()
    return metadata


def _readability(html: str, url: str | None) -> tuple[str, str]:
    """Readability's ``(title, text)``; empty strings when it fails."""
    try:
        document = ReadabilityDocument(html, url=url)
        summary = document.summary(html_partial=True)
        title = document.short_title() or ""
    except Exception:  # readability raises a bare Unparseable and lxml errors on odd pages
        LOGGER.debug("readability failed on %s", url or "a page", exc_info=True)
        return "", ""
    if not summary.strip():
        return title, ""
    return title, _block_text(lxml.html.fragment_fromstring(summary, create_parent="div"))


def _paragraphs(tree: HtmlElement) -> str:
    """Text of the ``<p>`` elements outside navigation and with few links."""
    seen: set[str] = set()
    kept: list[str] = []
    for p in tree.iter("p"):
        if any(isinstance(a.tag, str) and a.tag in _SKIP_ANCESTORS for a in p.iterancestors()):
            continue
        text = " ".join(p.text_content().split())
        if len(text) < _MIN_PARAGRAPH_CHARS or text in seen:
            continue
        link_chars = sum(len(" ".join(a.text_content().split())) for a in p.iter("a"))
        if link_chars / len(text) > _MAX_LINK_DENSITY:
            continue
        seen.add(text)
        kept.append(text)
    return "\n".join(kept)


def _pick(candidates: list[tuple[str, str]]) -> tuple[str, str]:
    """The first candidate, replaced by a later one when it is suspiciously short beside it."""
    best_name, best_text = candidates[0]
    for name, text in candidates[1:]:
        longer = len(text) >= MIN_TEXT_CHARS and len(text) > SHORT_RATIO * len(best_text)
        if longer or (text and not best_text):
            best_name, best_text = name, text
    return (best_name, best_text) if best_text else ("none", "")


def extract_article(html: str | bytes, *, url: str | None = None) -> Extracted:
    """Extract the main text and metadata of one page.

    ``bytes`` are decoded with :func:`~newsparallax.acquire.decoding.decode_html` first, which may
    raise :class:`~newsparallax.errors.InputError`. A page nested deeper than lxml parses (256
    levels) is parsed again with the excess nesting flattened (:func:`_flatten`), and refused
    with ``not-article`` should that not be enough. A page with nothing extractable gives an
    :class:`Extracted` with empty ``title`` and ``text``, not an exception.
    """
    text_in = decode_html(html) if isinstance(html, bytes) else html
    text_in, protected = _protect_joiners(_CONTROL_CHARS.sub("", text_in))
    tree = _parse(text_in)
    if tree is not None and _too_deep(tree):
        text_in = _flatten(text_in)
        tree = _parse(text_in)
        if tree is not None and _too_deep(tree):
            raise InputError(
                "not-article", "the page nests elements deeper than the HTML parser can read"
            )
    if tree is None:
        return Extracted(
            title="", text="", author=None, date=None, date_source=None, site_name=None,
            language_hint=None, extractor="none", candidates={},
        )  # fmt: skip
    meta = _trafilatura(tree, url)
    main = _normalize_text(meta.get("text") or "")
    candidates: dict[str, int] = {TRAFILATURA: len(main)}
    ordered = [(TRAFILATURA, main)]

    paragraphs = _paragraphs(tree)
    readability_title = ""
    if len(main) < MIN_TEXT_CHARS or len(paragraphs) > SHORT_RATIO * len(main):
        readability_title, alternative = _readability(text_in, url)
        candidates[READABILITY] = len(alternative)
        ordered.append((READABILITY, alternative))
    candidates[PARAGRAPHS] = len(paragraphs)
    if max(len(text) for _, text in ordered) < MIN_TEXT_CHARS:
        ordered.append((PARAGRAPHS, paragraphs))
    extractor, text = _pick(ordered)

    date, date_source = _clean(meta.get("date")), "trafilatura"
    if date is None:
        date_source = "htmldate"
        try:
            date = find_date(
                tree,
                original_date=True,
                extensive_search=False,
                url=url,
                max_date=datetime.now().astimezone().strftime("%Y-%m-%d"),
            )
        except Exception:  # htmldate must not stop the run on an odd page
            LOGGER.debug("htmldate failed on %s", url or "a page", exc_info=True)
            date = None
    fix = _restore_joiners if protected else (lambda value: value)
    return Extracted(
        title=fix(_clean(meta.get("title")) or _clean(readability_title) or ""),
        text=fix(text),
        author=fix(_clean(meta.get("author"))),
        date=date,
        date_source=date_source if date else None,
        site_name=fix(_clean(meta.get("sitename"))),
        language_hint=_language_hint(tree),
        extractor=extractor,
        candidates=candidates,
    )


class ExtractStage(BaseStage):
    """Decode ``doc.html`` and replace title/text with the extracted article.

    Docs without HTML (feed items, JSON records with text) pass through untouched.
    """

    name = "extract.v1"
    # annotated: a bare tuple literal infers a fixed-length type the Stage protocol rejects
    requires: ClassVar[tuple[str, ...]] = (
        "source", "url", "html", "title", "text", "published_raw", "meta",
    )  # fmt: skip
    provides: ClassVar[tuple[str, ...]] = (
        "title", "text", "author", "site_name", "extractor", "published_raw", "meta",
    )  # fmt: skip

    def __init__(self, *, max_bytes: int = 20_000_000) -> None:
        super().__init__()
        self.max_bytes = max_bytes

    def __call__(self, doc: Doc) -> Doc:
        if doc.html is None:
            self.counts["passthrough"] += 1
            return doc
        html = doc.html
        try:
            if isinstance(html, bytes):
                html = decode_html(html, charset=doc.meta.get("charset"), max_bytes=self.max_bytes)
            found = extract_article(html, url=doc.url)
        except InputError as err:
            self.counts[err.code] += 1
            raise Drop(err.reason, code=err.code) from err
        title = found.title or doc.title
        if not title and not (found.text or doc.text):
            self.counts["not-article"] += 1
            raise Drop("no article text or title found", code="not-article")
        doc.title = title
        if found.text:
            doc.text = found.text
            doc.extractor = found.extractor
        doc.author = found.author
        doc.site_name = found.site_name
        if not doc.published_raw and found.date:
            doc.published_raw = found.date
            doc.meta["date_source"] = found.date_source
        if found.language_hint:
            doc.meta["language_hint"] = found.language_hint
        self.counts[doc.extractor] += 1
        return doc
