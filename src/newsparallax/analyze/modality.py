"""Whether a coded event is told as a fact, or only feared, supposed or hypothetical.

The event coder marks what is asserted, relayed ("…, officials said") or denied, and turns
intentions ("will supply", "is ready to send") into AGREE / THREATEN. An event under a modal
("could supply", «может поставить»), a condition ("if Iran sends"), a fear or a warning ("fears
that Iran will deliver", «опасения, что…»), or a speculation ("possible deliveries") is none of
these: it did not happen, and nobody says it did. :func:`hypothetical` finds such a cue in the
clause of the event's sentence before its trigger (or right after it: "deliveries are
possible") and returns it, so comparisons and timelines can leave the event out and say why.

Lexical, in English, Russian and Persian; measured on the labelled sample in ``bench/``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["background", "hypothetical", "mood_column"]

_EN = (
    r"could|might|may|would|should|can|if|unless|whether|fears?|feared|fearing|worr(?:y|ies|ied)"
    r"|warn(?:s|ed|ing)?|risks?|possibl[ey]|potential(?:ly)?|likely|unlikely"
    r"|reportedly\s+plans?|speculat\w*|suppos\w*|hypothetical\w*|rumou?rs?|scenario|prospect"
    r"|threat\s+of|in\s+case|what\s+if|instead\s+of|rather\s+than|to\s+be\s+\w+ed"
)
_EN_INTENT = (
    r"consider(?:s|ed|ing)?|hopes?|hoped|expects?|expected|prepar(?:es|ed|ing)\s+to|ready\s+to"
    r"|poised\s+to|set\s+to|about\s+to|seeks?|seeking|wants?|wanted|plans?|planned|planning"
    r"|aims?|intends?|proposals?|proposed|propos(?:es|ing)|offers?|offered|calls?\s+for|urged?"
    r"|urging"
)
_RU = (
    r"мож\w*|мог\w*|бы|б|если|ли|возможн\w*|вероятн\w*|опасени\w*|опаса\w*|боя[тл]\w*|боит\w*"
    r"|боязн\w*|страх\w*|угроз\w*|не\s+исключ\w*|предполож\w*|допуска\w*|слух\w*|сценари\w*"
    r"|вместо"
)
_RU_INTENT = (
    r"рассматрива\w*|планир\w*|намер\w*|готов\w*|предлож\w*|хоч\w*|хотел\w*|хотят|призыва\w*"
    r"|призвал\w*|надея\w*|ожида\w*"
)
_FA = r"ممکن|احتمال\w*|اگر|چنانچه|نگران\w*|بیم|شاید|میتوان\w*|می\s*تواند|میتواند|میتوانند|امکان"
_FA_INTENT = r"قصد|پیشنهاد\w*|آماده|اماده|خواستار|تهدید\s+به"
_CUES = re.compile(
    rf"(?<!\w)(?:{_EN}|{_RU}|{_FA}|{_EN_INTENT}|{_RU_INTENT}|{_FA_INTENT})(?!\w)",
    re.IGNORECASE | re.UNICODE,
)
_NOT_INTENT = re.compile(rf"(?<!\w)(?:{_EN}|{_RU}|{_FA})(?!\w)", re.IGNORECASE | re.UNICODE)
"""Cues of a hypothetical that an intention (AGREE, THREATEN: "is ready to supply") keeps."""
_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,3}?(?:(?:is|are|was|were|be)\s+)?(?:possible|likely|feared|expected"
    r"|planned|proposed|considered|возможн\w*|вероятн\w*|планиру\w*|ожида\w*|ممکن|محتمل)(?!\w)",
    re.IGNORECASE | re.UNICODE,
)
_CLAUSE = re.compile(r"[;:()\[\]—–]|\.\s|,\s+(?:but|and|while|as|а|но|однако|и)\s", re.UNICODE)
_BEFORE_WORDS = 8
"""Words before the trigger in which a cue governs it."""


def hypothetical(sentence: str, trigger: str = "", *, intent: bool = False) -> str | None:
    """The cue that makes the event of ``trigger`` in ``sentence`` feared, supposed or
    hypothetical (lower-cased), or ``None`` when it is told as having happened. Without a
    trigger found in the sentence, the whole sentence is searched. For an event that is itself
    an intention (``intent``: the coder's AGREE or THREATEN, "is ready to supply"), words of
    intent ("ready to", "plans", «готов») are what it is, not a doubt about it: only
    conditionals, modals and fears count."""
    cues = _NOT_INTENT if intent else _CUES
    at = _find(sentence, trigger)
    if at is None:
        found = [m for m in cues.finditer(sentence) if m.group() != "May"]
        return found[0].group().lower() if found else None
    start, end = at
    before = sentence[:start]
    cut = max((m.end() for m in _CLAUSE.finditer(before)), default=0)
    clause = before[cut:]
    words = list(re.finditer(r"\S+", clause))
    if len(words) > _BEFORE_WORDS:
        clause = clause[words[-_BEFORE_WORDS].start() :]
    found = [m for m in cues.finditer(clause) if m.group() != "May"]  # the month
    if found:
        return found[-1].group().lower()
    after = _AFTER.match(sentence[end : end + 80])
    if after:
        return after.group().strip(" ,.").split()[-1].lower()
    return None


def _find(sentence: str, trigger: str) -> tuple[int, int] | None:
    """Where the trigger (or its first word, or the start of that word) is in the sentence."""
    if not trigger.strip():
        return None
    low = sentence.lower()
    for needle in (trigger.lower(), trigger.split()[0].lower()):
        i = low.find(needle)
        if i >= 0:
            return i, i + len(needle)
    stem = trigger.split()[0].lower()[:5]
    if len(stem) >= 4:
        i = low.find(stem)
        if i >= 0:
            return i, i + len(stem)
    return None


_BACKGROUND = re.compile(
    r"(?<!\w)(?:amid|in\s+response\s+to|in\s+retaliation\s+for|because\s+of|over\s+(?:its|their|the)"
    r"|allegations?|accusations?|accus\w+|charges?\s+(?:of|that)|pursuant\s+to|target(?:s|ing)?"
    r"|for\s+(?:its|their)|на\s+фоне|в\s+ответ\s+на|из-за|обвинени\w*|обвиня\w*|در\s+پاسخ\s+به"
    r"|به\s+دلیل|اتهام\w*)(?!\w)",
    re.IGNORECASE | re.UNICODE,
)


def background(sentence: str, trigger: str = "") -> str | None:
    """The cue that makes the event of ``trigger`` the background of the sentence rather than
    its news — the reason for something else ("amid allegations that Tehran is supplying",
    "in response to Iran's supply of weapons", "these rules target Iran's supply of UAVs") — or
    ``None``. Such a report is read as relayed, not asserted."""
    at = _find(sentence, trigger)
    if at is None:
        return None
    before = sentence[: at[0]]
    cut = max((m.end() for m in _CLAUSE.finditer(before)), default=0)
    found = list(_BACKGROUND.finditer(before[cut:]))
    return found[-1].group().lower() if found else None


def mood_column(store: Any) -> str:
    """The SQL of an event's stored mood (``e.mood``: ``fact``, ``hypothetical`` or
    ``cancelled``, set by the event coder from store migration 12 on), or ``'fact'`` for a store
    without it. A report whose mood is not a fact is left out like one with a cue here."""
    cursor = store.conn.execute("SELECT * FROM events LIMIT 0")
    names = {str(d[0]) for d in (cursor.description or ())}
    return "e.mood" if "mood" in names else "'fact'"
