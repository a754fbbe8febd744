"""Text cut into segments so a template can highlight actor mentions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text, highlighted when ``mark`` is set (an actor mention)."""

    text: str
    actor: str | None = None
    kind: str | None = None


def segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[Segment]:
    """``text`` cut at the ``(start, end, actor, kind)`` spans (overlaps and bad offsets skipped),
    so a template can highlight mentions while escaping every piece."""
    out: list[Segment] = []
    cursor = 0
    for start, end, actor, kind in sorted(spans):
        if start < cursor or end <= start or end > len(text):
            continue
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        out.append(Segment(text[start:end], actor=actor, kind=kind))
        cursor = end
    if cursor < len(text):
        out.append(Segment(text[cursor:]))
    return out
