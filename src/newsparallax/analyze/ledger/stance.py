"""Whether a sentence denies the event it reports, where the coder did not mark it negated.

The event coder marks what it finds negated or under a denial. Some denials it reads as relayed
claims ("He once again vehemently denied as false press reports that Iran had sent drones",
"Russia and Iran have refuted allegations that Tehran sent Moscow drones") or misses a negation
("Iran didn t provide Russia with drones", a headline without its apostrophe). :func:`denial`
finds such a cue — a word of denial before the trigger in its clause, a negation right before
it ("has not sent", "has never been sent", not "did not recognize the annexation") or a "no" on
its argument ("no drones were supplied"); in Persian, whose verb comes last, a word of denial
after it ("ارسال پهپاد … را تکذیب کرد") — and returns it, so the ledger
reads the report as a denial.

A clause ends at a comma, a semicolon, a colon, a bracket, a dash or a full stop: "Despite
Tehran's denials, Iran has supplied drones" is no denial of the supply, nor is "The West accused
Iran of supplying drones, while Tehran denied it" (the denial comes after the claim).
"""

from __future__ import annotations

import re

from .objects import locate

__all__ = ["denial"]

_DENY = re.compile(
    r"(?<!\w)(?:den(?:y|ies|ied|ying|ials?)|refut\w*|rebuff\w*|repudiat\w*|disavow\w*"
    r"|dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|baseless|unfounded|false(?:ly)?|fabricat\w*"
    r"|hoax|отрица\w*|опроверг\w*|опровержени\w*|отверг\w*|отвергл\w*|ложн\w*|фейк\w*"
    r"|голословн\w*|безосновательн\w*|تکذیب\w*|انکار\w*|کذب|بی[\s\u200c]?اساس|دروغ\w*)(?!\w)",
    re.IGNORECASE | re.UNICODE,
)
_NEGATION = re.compile(
    r"(?:(?<!\w)(?:not|never|nor|(?:did|does|do|has|have|had|was|were|is|are)n\s?[’']?\s?t"
    r"|не|ни|никогда)(?:\s+(?:yet|ever|been|even|officially|directly|ещё|еще|никогда))?)$",
    re.IGNORECASE | re.UNICODE,
)
"""A negation right before the trigger, or one adverb before it ("has not sent", "has never
been sent", "didn t provide", «не поставлял»), not one of another verb ("did not recognize
Russia's annexation")."""
_NO = re.compile(
    r"(?<!\w)(?:no|ни\s+одн\w*)(?!\w)(?!\s+(?:doubt|question|secret|longer))",
    re.IGNORECASE | re.UNICODE,
)
"""A "no" on the event's argument a few words before it ("no drones were supplied"; not "no
doubt Iran supplied")."""
_PERSIAN_DENY_AFTER = re.compile(
    r"(?<!\w)(?:تکذیب\w*|انکار\w*|رد\s+کرد\w*|رد\s+شد\w*)(?!\w)", re.UNICODE
)
_CUT = re.compile(r"[,;:()\[\]—–]|\s--\s|\.\s|،|؛", re.UNICODE)
_BEFORE_WORDS = 12
_NEGATION_WORDS = 3


def denial(sentence: str, trigger: str) -> str | None:
    """The cue (lower-cased) by which ``sentence`` denies the event of ``trigger``, or ``None``.
    Without the trigger in the sentence there is no reading."""
    at = locate(sentence, trigger)
    if at is None:
        return None
    before = sentence[:at]
    cut = max((m.end() for m in _CUT.finditer(before)), default=0)
    words = before[cut:].split()
    window = " ".join(words[-_BEFORE_WORDS:])
    found = list(_DENY.finditer(window))
    if found:
        return found[-1].group().lower()
    negated = _NEGATION.search(" ".join(words[-3:]))
    if negated:
        return negated.group().lower()
    no = list(_NO.finditer(" ".join(words[-_NEGATION_WORDS:])))
    if no:
        return no[-1].group().lower()
    after = sentence[at:]
    end = min((m.start() for m in _CUT.finditer(after)), default=len(after))
    persian = _PERSIAN_DENY_AFTER.search(after[:end])
    return persian.group() if persian else None
