"""A briefing as Markdown: article text HTML-escaped too, so a renderer shows it as text."""

from __future__ import annotations

import html
from typing import Any

from ...textnorm import strip_bidi_controls


def _md(text: Any) -> str:
    """Text from articles for Markdown: HTML-escaped, Markdown punctuation neutralised."""
    text = strip_bidi_controls(str(text if text is not None else ""))
    value = html.escape(" ".join(text.split()))
    for ch in "\\`*_[]|#":
        value = value.replace(ch, "\\" + ch)
    return value


def _md_sources(src: dict[str, Any]) -> list[str]:
    lines = []
    for a in src["shown"]:
        title = _md(a["title"])
        url = a["url"] or ""
        link = f"[{title}](<{url}>)" if url and not set(url) & set(" <>") else title
        lines.append(f"  - {link} ({_md(a.get('outlet'))}; id `{_md(a['id'])}`)")
    if src["more"]:
        lines.append(f"  - … and {src['more']} more")
    return lines


def render_markdown(brief: dict[str, Any]) -> str:
    """The briefing as Markdown (charts are left to the HTML and PDF forms)."""
    b = brief
    out = [
        f"# Parallax briefing: {_md(b['watch']['title'])}",
        "",
        f"Watch `{_md(b['watch']['name'])}` · {b['period']} from {b['start']} to {b['end']}"
        f" (compared with {b['previous_start']} to {b['previous_end']}) · {b['articles']}"
        f" articles published · generated {b['generated']}",
        "",
        "## What changed in the relations",
        "",
    ]
    for r in b["relations"]:
        cur, prev = r["current"], r["previous"]
        tone = "" if cur["intensity_mean"] is None else f"; mean intensity {cur['intensity_mean']}"
        if r["tone_delta"] is not None:
            tone += f" ({r['tone_delta']:+.2f})"
        out += [
            f"### {r['name']}: {r['verdict']}",
            "",
            f"{cur['events']} events ({cur['cooperation']} cooperation, {cur['conflict']}"
            f" conflict) in {cur['articles']} articles, against {prev['events']}"
            f" ({prev['cooperation']} / {prev['conflict']}) the period before{tone}.",
            "",
        ]
        if r["camps"]:
            out += [
                "| camp | events | before | cooperation | conflict | verdict |",
                "|---|---|---|---|---|---|",
            ]
            for c in r["camps"]:
                out.append(
                    f"| {_md(c['label'])} | {c['current']['events']} | {c['previous']['events']}"
                    f" | {c['current']['cooperation']} | {c['current']['conflict']} |"
                    f" {c['verdict']} |"
                )
            out.append("")
        out += [f"Sources ({r['sources']['total']} articles):", "", *_md_sources(r["sources"]), ""]
    if not b["relations"]:
        out += ["No events in the watch's dyads in this period or the one before.", ""]
    if b["quiet_pairs"]:
        out += [f"No events: {', '.join(b['quiet_pairs'])}.", ""]
    out += ["## Top stories and how each camp told them", ""]
    if not b["stories_available"]:
        out += ["No stories yet: run `parallax cluster`.", ""]
    for s in b["stories"]:
        out += [
            f"### {_md(s['label'])}",
            "",
            f"{s['first_seen']} to {s['last_seen']} · {s['article_count']} articles from"
            f" {s['outlet_count']} outlets · story `{_md(s['id'])}`",
            "",
        ]
        for c in s["camps"]:
            out.append(f"- **{_md(c['label'])}** ({c['count']}):")
            out += _md_sources({"shown": c["articles"], "more": 0})
        if s["silent"]:
            out.append(
                f"- Silent (published in the period, not on this story):"
                f" {_md(', '.join(s['silent']))}."
            )
        out.append("")
    out += ["## Blindspots", ""]
    for x in b["blindspots"]:
        out += [
            f"- **{_md(x['label'])}**: covered by {_md(x['covered_by'])} ({x['covered_articles']}"
            f" articles), {_md(x['missing_in'])} gave it {x['missing_articles']}.",
            *_md_sources(x["sources"]),
        ]
    if not b["blindspots"]:
        out.append(
            "No blindspot in this period."
            if b["stories_available"]
            else "Needs stories (`parallax cluster`)."
        )
    out += ["", "## Alerts", ""]
    for a in b["alerts"]:
        acked = ", acknowledged" if a["acked"] else ""
        out += [
            f"- **{_md(a['title'])}** ({_md(a['kind'])}, {a['first_day']}–{a['last_day']},"
            f" ×{a['count']}{acked}; alert {a['id']}): {_md(a['summary'])}",
            *_md_sources(a["sources"]),
        ]
    if not b["alerts"]:
        out.append("No alerts about this period.")
    out += ["", "## Milestones", ""]
    for m in b["milestones"]:
        out += [
            f"- **{m['date']} · {m['pair']} · {_md(m['label'])}**: {_md(m['summary'])}"
            f" ({m['articles']} articles, {m['outlets']} outlets, {m['camps']} camps)",
            *_md_sources(m["sources"]),
        ]
    if not b["milestones"]:
        out.append("No milestones in this period.")
    return "\n".join(out) + "\n"
