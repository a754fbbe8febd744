"""Turn the bytes of a fetched page into text: size limit, binary sniffing, charset detection.

Order of evidence, strongest first:

1. a byte-order mark;
2. the charset declared by the HTTP header (``charset``), then by ``<meta charset>`` or
   ``<meta http-equiv="Content-Type">`` in the first 4 KB — used only if it decodes cleanly
   (a non-ASCII page that is valid UTF-8 is taken as UTF-8 whatever it declares: legacy bytes
   practically never form valid UTF-8, while mislabelled UTF-8 pages are common);
3. UTF-8, also when only a few stray bytes are invalid (they become U+FFFD);
4. ``charset_normalizer``, restricted to the encodings of the languages Parallax reads and fed
   the page's text with the markup stripped, so its language model sees words, not tags;
5. UTF-8 with replacement characters, only if the result is still mostly text.

Anything else raises :class:`~newsparallax.errors.InputError` with code ``too-large``,
``binary`` or ``bad-encoding``.
"""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

from ..errors import InputError

__all__ = ["decode_html", "looks_binary"]

LOGGER = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Signatures of formats that are never HTML (offset 0 unless noted in the check).
_MAGIC: tuple[bytes, ...] = (
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"PK\x03\x04",  # ZIP, DOCX, XLSX, EPUB
    b"\x1f\x8b",  # gzip
    b"\x28\xb5\x2f\xfd",  # zstd
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE: DOC, XLS
    b"\x7fELF",
    b"\x00asm",
    b"OggS",
    b"wOFF",
    b"wOF2",
)

_SNIFF_BYTES = 8192
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_MAX_NUL_SHARE = 0.005
_MAX_CONTROL_SHARE = 0.05

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE
)
_META_SCAN_BYTES = 4096

#: Encodings charset_normalizer may choose from: UTF-8 and the legacy code pages of the
#: languages Parallax reads (English and Western Europe, Russian and neighbours, Persian/Arabic).
_CANDIDATES: list[str] = [
    "utf_8",
    "cp1252",
    "cp1250",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "iso8859_5",
    "cp866",
    "mac_cyrillic",
    "cp1256",
    "iso8859_6",
]
_DETECT_SAMPLE = 65536
# charset_normalizer counts Persian zero-width non-joiners as "chaos": real windows-1256 pages
# score 0.1-0.16 against its default cut-off of 0.2; matches are still ranked by chaos
_MAX_CHAOS = 0.4
_MARKUP = re.compile(rb"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.IGNORECASE | re.DOTALL)
_ENTITY = re.compile(rb"&#?\w{1,10};")
_MAX_BAD_SHARE = 0.10
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# legacy Cyrillic/Arabic bytes almost never form valid multi-byte UTF-8 sequences
_UTF8_GOOD_PER_BAD = 20


def looks_binary(data: bytes) -> bool:
    """True if ``data`` starts like a known binary format or is full of control bytes."""
    if data.startswith(_MAGIC) or data[4:8] == b"ftyp":  # ftyp: MP4/MOV/HEIF
        return True
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return True
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False  # UTF-16/32 text is full of NUL bytes
    sample = data[:_SNIFF_BYTES]
    if not sample:
        return False
    nul = sample.count(0)
    control = sum(1 for b in sample if b in _CONTROL_BYTES)
    return nul / len(sample) > _MAX_NUL_SHARE or control / len(sample) > _MAX_CONTROL_SHARE


def _codec(name: str | bytes | None) -> str | None:
    """Python's canonical codec name for a declared charset, or ``None`` if unknown."""
    if not name:
        return None
    label = (name.decode("ascii", "ignore") if isinstance(name, bytes) else name).strip().lower()
    # WHATWG: these labels mean windows-1252 in browsers, and pages rely on it
    if label in {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}:
        label = "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _declared_in_meta(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_META_SCAN_BYTES])
    codec = _codec(match.group(1)) if match else None
    # a <meta> read as ASCII cannot truly declare UTF-16/32 (WHATWG: treat as UTF-8)
    if codec and codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return codec


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(data: bytes) -> list[str]:
    """Encodings charset_normalizer finds plausible, best first, judged on the page's text."""
    text = _ENTITY.sub(b" ", _MARKUP.sub(b" ", data[: _DETECT_SAMPLE * 4]))
    text = re.sub(rb"\s+", b" ", text)[:_DETECT_SAMPLE]
    if len(text.strip()) < 16:  # too little text: judge on the whole sample
        text = data[:_DETECT_SAMPLE]
    matches = from_bytes(
        text, cp_isolation=_CANDIDATES, steps=5, chunk_size=512, threshold=_MAX_CHAOS
    )
    return [m.encoding for m in matches]


def _bad_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 0x20 and ch not in "\t\n\r\f"))
    return bad / len(text)


def decode_html(data: bytes, *, charset: str | None = None, max_bytes: int = 20_000_000) -> str:
    """Decode a page's bytes to text, or raise :class:`InputError` (see the module docstring)."""
    if len(data) > max_bytes:
        size, limit = len(data) / 1e6, max_bytes / 1e6
        raise InputError("too-large", f"page is {size:.1f} MB, over the {limit:.1f} MB limit")
    declared = _codec(charset)
    wide_declared = declared is not None and declared.startswith(("utf-16", "utf-32"))
    if not wide_declared and looks_binary(data):
        raise InputError("binary", "the content looks binary (a file signature or control bytes)")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    if not data:
        return ""
    is_ascii = data.isascii()
    for label in (declared, _declared_in_meta(data)):
        if label is None:
            continue
        if not is_ascii and label != "utf-8" and not label.startswith(("utf-16", "utf-32")):
            as_utf8 = _strict(data, "utf-8")
            if as_utf8 is not None:
                LOGGER.debug("declared %s but the page is valid UTF-8", label)
                return as_utf8
        text = _strict(data, label)
        if text is not None:
            return text
        LOGGER.debug("declared charset %s does not decode cleanly", label)
    if is_ascii:
        return data.decode("ascii")
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if bad == 0:
        return lenient
    if len(_NON_ASCII.findall(lenient)) - bad >= _UTF8_GOOD_PER_BAD * bad:
        LOGGER.debug("UTF-8 page with %d stray bytes", bad)
        return lenient  # a UTF-8 page with a few stray bytes, not a legacy encoding
    for codec in _detect(data):
        text = _strict(data, codec)
        if text is not None:
            return text
    if _bad_share(lenient) <= _MAX_BAD_SHARE:
        return lenient
    raise InputError("bad-encoding", "the bytes do not decode as text in any likely encoding")
