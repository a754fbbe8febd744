"""Briefings: one self-contained document about a watch over a period (``parallax brief``).

:func:`build` gathers, for the period ending on ``until`` (default: the data's clock,
:func:`~newsparallax.analyze.clock.data_clock`: the newest article's day, or the last busy week's
after a sparse tail of late articles):

* **relations** — for each of the watch's dyads (both directions together), the period against
  the one before it: events, cooperation and conflict, mean Goldstein intensity, per camp
  (:func:`relations.compare_camps`), with the articles behind the period's events and a chart
  (:func:`web.charts.relation_chart`) of the two periods;
* **stories** — the period's top stories (``parallax cluster``) with each camp's headlines and a
  camp coverage bar;
* **blindspots** — stories one camp covered heavily and another ignored (:mod:`compare`);
* **alerts** — the watch's alerts about days in the period (:func:`alerts.list_alerts`);
* **milestones** — the timeline of each dyad in the period (:func:`timeline.timeline`).

:func:`render_html` (one HTML file: inline CSS and SVG, no script, no external resource, every
string from the store escaped by jinja2's autoescape), :func:`render_markdown` (article text
HTML-escaped too, so a renderer shows it as text) and :func:`render_pdf` (headless Chromium);
text from the store loses its bidirectional embedding, override and isolate controls in all
three (:func:`.textnorm.strip_bidi_controls`).
Every figure links the articles (their URLs when ``http(s)``, else their ids) behind it.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ..analyze import relations
from ..analyze.clock import data_clock, day_ts, days_before
from ..analyze.compare import blindspots
from ..store.database import Store
from ..textnorm import bidi_safe, strip_bidi_controls
from ..watches import Watch

PERIODS = {"day": 1, "week": 7, "month": 30}
FORMATS = ("html", "md", "pdf")
CHROMIUM = "/usr/bin/chromium"
TOP_STORIES = 5
SOURCES_SHOWN = 8
"""Articles listed under each claim (the rest are counted)."""


class BriefError(RuntimeError):
    """A briefing could not be made (no articles, no chromium...)."""


# -- gathering -----------------------------------------------------------------------------------


def period_bounds(until: date, period: str) -> tuple[date, date, date, date]:
    """``(start, end, previous start, previous end)`` of the period ending on ``until``."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    days = PERIODS[period]
    start = days_before(until, days)
    return start, until, start - timedelta(days=days), start - timedelta(days=1)


def _pairs(watch: Watch) -> list[tuple[str, str]]:
    """The watch's dyads as unordered pairs, in the watch's order."""
    seen: set[frozenset[str]] = set()
    out = []
    for a, b in watch.dyads:
        key = frozenset((a, b))
        if a != b and key not in seen:
            seen.add(key)
            out.append((a, b))
    return out


def _safe_url(url: Any) -> str | None:
    text = str(url or "")
    return text if text.lower().startswith(("http://", "https://")) else None


def _articles(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Article id → what a source link shows (id, url when http(s), title, outlet, camp, day)."""
    out: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), 500):
        chunk = unique[i : i + 500]
        for r in store.conn.execute(
            "SELECT a.id, a.url, a.title, a.summary, coalesce(o.name, a.outlet), o.camp,"
            " a.published"
            " FROM articles a"
            f" LEFT JOIN outlets o ON o.id = a.outlet WHERE a.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[r[0]] = {
                "id": r[0],
                "url": _safe_url(r[1]),
                "title": " ".join(str(r[2] or r[3] or "(untitled)").split())[:200],
                "outlet": r[4] or "",
                "camp": r[5] or "unknown",
                "published": (r[6] or "")[:10],
            }
    return out


def _sources(store: Store, ids: list[str], limit: int = SOURCES_SHOWN) -> dict[str, Any]:
    found = _articles(store, ids[:limit])
    shown = [
        found.get(i) or {"id": i, "url": None, "title": i, "outlet": "", "camp": ""}
        for i in ids[:limit]
    ]
    return {"shown": shown, "more": max(0, len(ids) - limit), "total": len(ids)}


def _sum(totals: dict[str, Any], keys: tuple[str, ...]) -> int:
    return sum(int(totals.get(k) or 0) for k in keys)


def _change(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    def pack(t: dict[str, Any]) -> dict[str, Any]:
        return {
            "events": int(t.get("events") or 0),
            "cooperation": _sum(t, relations.QUADS[:2]),
            "conflict": _sum(t, relations.QUADS[2:]),
            "material_conflict": int(t.get("material_conflict") or 0),
            "intensity_mean": t.get("intensity_mean"),
            "articles": int(t.get("articles") or 0),
        }

    cur, prev = pack(current), pack(previous)
    delta = {k: cur[k] - prev[k] for k in ("events", "cooperation", "conflict", "articles")}
    tone = None
    if cur["intensity_mean"] is not None and prev["intensity_mean"] is not None:
        tone = round(cur["intensity_mean"] - prev["intensity_mean"], 2)
    if cur["events"] == 0 and prev["events"] == 0:
        verdict = "quiet"
    elif tone is not None and tone >= 1.0:
        verdict = "warming"
    elif tone is not None and tone <= -1.0:
        verdict = "cooling"
    elif prev["events"] == 0:
        verdict = "new activity"
    elif cur["events"] == 0:
        verdict = "fell silent"
    else:
        verdict = "steady"
    return {
        "current": cur,
        "previous": prev,
        "delta": delta,
        "tone_delta": tone,
        "verdict": verdict,
    }


def _relation(
    store: Store, watch: Watch, a: str, b: str, bounds: tuple[date, date, date, date]
) -> dict[str, Any]:
    start, end, pstart, pend = bounds
    whole = relations.series(store, a, b, since=start, until=end, both=True, ids=True)
    before = relations.series(store, a, b, since=pstart, until=pend, both=True, ids=False)
    ids = sorted({i for p in whole.points for i in p.get("article_ids", [])})
    cur_camps = relations.compare_camps(store, a, b, since=start, until=end, freq="day", both=True)
    prev_camps = relations.compare_camps(
        store, a, b, since=pstart, until=pend, freq="day", both=True
    )
    camps = []
    for camp in sorted(set(cur_camps) | set(prev_camps)):
        if camp == relations.ALL:
            continue
        cur = cur_camps[camp].totals if camp in cur_camps else {}
        prev = prev_camps[camp].totals if camp in prev_camps else {}
        change = _change(cur, prev)
        if change["verdict"] == "quiet":
            continue
        label = watch.camps[camp].label if camp in watch.camps else camp
        camps.append({"camp": camp, "label": label, **change})
    chart_series = relations.compare_camps(
        store, a, b, since=pstart, until=end, freq="week" if (end - start).days > 7 else "day",
        both=True,
    )  # fmt: skip
    return {
        "pair": [a, b],
        "name": f"{a}–{b}",
        "anchor": f"rel-{a}-{b}".lower(),
        **_change(whole.totals, before.totals),
        "types": whole.totals.get("types", {}),
        "camps": camps,
        "sources": _sources(store, ids),
        "chart_series": {c: s.as_dict() for c, s in chart_series.items() if c != relations.ALL},
    }


def _active_camps(store: Store, watch: Watch, start: date, end: date) -> set[str]:
    """Camps of the watch that published anything in the period."""
    camps = {o.id: o.camp for o in watch.outlets if o.camp}
    return {
        camps[r[0]]
        for r in store.conn.execute(
            "SELECT DISTINCT outlet FROM articles WHERE published_ts BETWEEN ? AND ?",
            (day_ts(start), day_ts(end, end=True)),
        )
        if r[0] in camps
    }


def _stories(store: Store, watch: Watch, start: date, end: date) -> list[dict[str, Any]]:
    from ..analyze.stories.saved import StoryQuery, list_stories

    stories = list_stories(
        store,
        StoryQuery(
            since=day_ts(start), until=day_ts(end, end=True), min_articles=2, limit=TOP_STORIES
        ),
    )
    active = _active_camps(store, watch, start, end)
    out = []
    for s in stories:
        by_camp: dict[str, list[dict[str, Any]]] = {}
        for art in s["articles"]:
            if art.get("duplicate_of"):
                continue
            by_camp.setdefault(art.get("camp") or "unknown", []).append(
                {
                    "id": art["id"],
                    "url": _safe_url(art.get("url")),
                    "title": " ".join(str(art.get("title") or "(untitled)").split())[:200],
                    "outlet": art.get("outlet_name") or art.get("outlet") or "",
                    "published": str(art.get("published") or "")[:10],
                }
            )
        camps = [
            {
                "camp": c,
                "label": watch.camps[c].label if c in watch.camps else c,
                "articles": items[:SOURCES_SHOWN],
                "count": len(items),
            }
            for c, items in sorted(by_camp.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ]
        silent = sorted(c for c in active if c not in by_camp and c in watch.camps)
        out.append(
            {
                "id": s["id"],
                "label": " ".join(str(s["label"] or "").split()) or s["id"],
                "first_seen": str(s["first_seen"] or "")[:10],
                "last_seen": str(s["last_seen"] or "")[:10],
                "article_count": s["article_count"],
                "outlet_count": s["outlet_count"],
                "coverage": s["coverage"],
                "camps": camps,
                "silent": [watch.camps[c].label for c in silent],
            }
        )
    return out


def _blindspots(store: Store, watch: Watch, start: date, end: date) -> list[dict[str, Any]]:
    found = blindspots(
        store, watch, since=day_ts(start), until=day_ts(end, end=True), top=10, max_ids=25
    )

    def camp(c: str) -> str:
        return watch.camps[c].label if c in watch.camps else c

    return [
        {
            "story": b["story"],
            "label": b["label"] or b["story"],
            "covered_by": camp(b["covered_by"]),
            "missing_in": camp(b["missing_in"]),
            "covered_articles": b["covered_articles"],
            "missing_articles": b["missing_articles"],
            "missing_camp_articles_in_span": b["missing_camp_articles_in_span"],
            "sources": _sources(store, list(b["article_ids"])),
        }
        for b in found["items"]
    ]


def _alerts(store: Store, watch: Watch, start: date, end: date) -> list[dict[str, Any]]:
    from ..analyze.alerts import list_alerts

    if not store.has_table("alerts"):
        return []
    out = []
    for a in list_alerts(
        store, watch=watch.name, include_acked=True, since=start.isoformat(), limit=200
    ):
        if str(a["first_day"] or "") > end.isoformat():
            continue
        out.append(
            {
                "id": a["id"],
                "kind": a["kind"],
                "rule": a["rule"],
                "title": a["title"],
                "summary": a["summary"],
                "first_day": a["first_day"],
                "last_day": a["last_day"],
                "count": a["count"],
                "acked": bool(a["acked_at"]),
                "story_ids": list(a["story_ids"]),
                "sources": _sources(store, list(a["article_ids"])),
            }
        )
    return out


def _milestones(
    store: Store, pairs: list[tuple[str, str]], start: date, end: date
) -> list[dict[str, Any]]:
    from ..analyze.timeline import timeline

    out = []
    for a, b in pairs:
        found = timeline(store, a, b, since=start.isoformat(), until=end.isoformat(), limit=10)
        for m in found["milestones"]:
            out.append(
                {
                    "pair": f"{a}–{b}",
                    "date": m["date"],
                    "label": m["label"],
                    "summary": m["summary"],
                    "evidence": m["evidence"],
                    "camps": m["camp_count"],
                    "outlets": m["outlets"],
                    "articles": m["articles"],
                    "sources": _sources(store, list(m["article_ids"])),
                }
            )
    out.sort(key=lambda m: (m["date"], m["pair"]))
    return out


def build(
    store: Store,
    watch: Watch,
    *,
    period: str = "week",
    until: date | str | None = None,
    readonly: bool = False,
) -> dict[str, Any]:
    """Everything a briefing shows, as plain data (see the module docstring).

    Unless ``readonly``, the relation index is brought up to date first."""
    if not readonly:
        relations.ensure_current(store)
    elif not relations.built(store):
        raise BriefError("the relation index was never built: run `parallax relations --rebuild`")
    if isinstance(until, str):
        until = date.fromisoformat(until)
    until = until or data_clock(store)
    if until is None:
        raise BriefError("the store holds no dated articles")
    bounds = period_bounds(until, period)
    start, end, pstart, pend = bounds
    pairs = _pairs(watch)
    rels = [_relation(store, watch, a, b, bounds) for a, b in pairs]
    has_stories = relations.stories_available(store)
    published = store.conn.execute(
        "SELECT count(*) FROM articles WHERE published_ts BETWEEN ? AND ?",
        (day_ts(start), day_ts(end, end=True)),
    ).fetchone()[0]
    return {
        "watch": {"name": watch.name, "title": watch.title},
        "period": period,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "previous_start": pstart.isoformat(),
        "previous_end": pend.isoformat(),
        "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "articles": int(published),
        "relations": [r for r in rels if r["verdict"] != "quiet"],
        "quiet_pairs": [r["name"] for r in rels if r["verdict"] == "quiet"],
        "stories_available": has_stories,
        "stories": _stories(store, watch, start, end) if has_stories else [],
        "blindspots": _blindspots(store, watch, start, end) if has_stories else [],
        "alerts": _alerts(store, watch, start, end),
        "milestones": _milestones(store, pairs, start, end),
        "camp_colors": _colors(watch),
        "camp_labels": {c.id: c.label for c in watch.camps.values()},
    }


def _colors(watch: Watch) -> dict[str, str]:
    from .charts import camp_colors

    return camp_colors(watch.camps, list(watch.camps))


# -- HTML ----------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;max-width:980px;margin:1.5em auto;padding:0 1em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;margin-top:1.6em}
.meta{color:#555}.up{color:#117733}.down{color:#b00020}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;font-size:.9em}
.src{font-size:.85em;color:#444}.src li{margin:0}.bar{display:flex;height:12px;width:100%;
border:1px solid #999;margin:.3em 0}.bar span{display:block;height:100%}
.camp{margin:.2em 0 .2em 1em}.verdict{font-weight:bold}svg{max-width:100%;height:auto}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}
@media print{h2{page-break-after:avoid}section{page-break-inside:avoid}}
"""

_SOURCES = """{% macro sources(src) -%}
<ul class="src">{% for a in src.shown %}<li>{% if a.url %}<a href="{{ a.url }}">{{ a.title }}</a>
{%- else %}{{ a.title }}{% endif %} <span class="meta">({{ a.outlet }}{% if a.published %},
 {{ a.published }}{% endif %}; id <code>{{ a.id }}</code>)</span></li>{% endfor %}
{% if src.more %}<li>… and {{ src.more }} more</li>{% endif %}</ul>
{%- endmacro %}"""

_CHART = """{% macro chart(c) -%}
<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{ c.width }} {{ c.height }}"
 width="{{ c.width }}" height="{{ c.height }}" role="img" aria-label="{{ c.description }}">
<title>{{ c.title }}</title><desc>{{ c.description }}</desc>
<line x1="{{ c.plot_left }}" x2="{{ c.plot_right }}" y1="{{ c.zero }}" y2="{{ c.zero }}"
 stroke="#333"/>
{% for t in c.y_ticks %}<text x="{{ c.plot_left - 6 }}" y="{{ t.position + 4 }}"
 text-anchor="end" font-size="11">{{ t.label }}</text>{% endfor %}
{% for t in c.x_ticks %}<text x="{{ t.position }}" y="{{ c.plot_bottom + 16 }}"
 text-anchor="middle" font-size="10">{{ t.label }}</text>{% endfor %}
{% for r in c.rects %}<a href="{{ r.href }}"><rect x="{{ r.x }}" y="{{ r.y }}"
 width="{{ r.width }}" height="{{ r.height }}" fill="{{ r.fill }}"
 {% if r.kind == 'conflict' %}fill-opacity="0.6"{% endif %}><title>{{ r.label }}</title></rect></a>
{% endfor %}</svg>
<figcaption>{% for e in c.legend %}<span class="swatch" style="background:{{ e.color }}"></span>
{{ e.label }} ({{ e.total }}) {% endfor %}<br><span class="meta">{{ c.description }}</span>
</figcaption></figure>
{%- endmacro %}"""

_PAGE = (
    _SOURCES
    + _CHART
    + """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Parallax briefing: {{ b.watch.title }}, {{ b.start }} to {{ b.end }}</title>
<style>{{ css }}</style></head><body>
<h1>Parallax briefing: {{ b.watch.title }}</h1>
<p class="meta">Watch <code>{{ b.watch.name }}</code> · {{ b.period }} from {{ b.start }} to
 {{ b.end }} (compared with {{ b.previous_start }} to {{ b.previous_end }}) · {{ b.articles }}
 articles published · generated {{ b.generated }}</p>
<nav><a href="#relations">Relations</a> · <a href="#stories">Top stories</a> ·
 <a href="#blindspots">Blindspots</a> · <a href="#alerts">Alerts</a> ·
 <a href="#milestones">Milestones</a></nav>

<h2 id="relations">What changed in the relations</h2>
{% for r in b.relations %}<section id="{{ r.anchor }}"><h3>{{ r.name }}:
 <span class="verdict">{{ r.verdict }}</span></h3>
<p>{{ r.current.events }} events ({{ r.current.cooperation }} cooperation,
 {{ r.current.conflict }} conflict) in {{ r.current.articles }} articles, against
 {{ r.previous.events }} ({{ r.previous.cooperation }} / {{ r.previous.conflict }}) the period
 before{% if r.current.intensity_mean is not none %}; mean intensity
 {{ r.current.intensity_mean }}{% if r.tone_delta is not none %}
 (<span class="{{ 'up' if r.tone_delta >= 0 else 'down' }}">{{ '%+.2f' % r.tone_delta }}</span>)
 {%- endif %}{% endif %}.{% if r.types %} Event types: {% for t, n in r.types.items() %}{{ t }}
 {{ n }}{% if not loop.last %}, {% endif %}{% endfor %}.{% endif %}</p>
{% if r.camps %}<table><tr><th>camp</th><th>events</th><th>before</th><th>cooperation</th>
<th>conflict</th><th>mean intensity</th><th></th></tr>
{% for c in r.camps %}<tr><td>{{ c.label }}</td><td>{{ c.current.events }}</td>
<td>{{ c.previous.events }}</td><td>{{ c.current.cooperation }}</td>
<td>{{ c.current.conflict }}</td><td>{{ c.current.intensity_mean if
 c.current.intensity_mean is not none else '–' }}</td><td>{{ c.verdict }}</td></tr>{% endfor %}
</table>{% endif %}
{% if charts[r.anchor] %}{{ chart(charts[r.anchor]) }}{% endif %}
<p id="{{ r.anchor }}-sources">Sources ({{ r.sources.total }} articles):</p>
{{ sources(r.sources) }}</section>
{% else %}<p>No events in the watch's dyads in this period or the one before.</p>{% endfor %}
{% if b.quiet_pairs %}<p class="meta">No events: {{ b.quiet_pairs | join(', ') }}.</p>{% endif %}

<h2 id="stories">Top stories and how each camp told them</h2>
{% if not b.stories_available %}<p>No stories yet: run <code>parallax cluster</code>.</p>
{% endif %}{% for s in b.stories %}<section><h3>{{ s.label }}</h3>
<p class="meta">{{ s.first_seen }} to {{ s.last_seen }} · {{ s.article_count }} articles from
 {{ s.outlet_count }} outlets · story <code>{{ s.id }}</code></p>
<div class="bar" role="img" aria-label="coverage by camp">{% for seg in bars[s.id] %}<span
 style="width:{{ seg.width }}%;background:{{ seg.fill }}" title="{{ seg.label }}"></span>
{% endfor %}</div>
{% for c in s.camps %}<div class="camp"><b>{{ c.label }}</b> ({{ c.count }}):
<ul class="src">{% for a in c.articles %}<li>{% if a.url %}<a href="{{ a.url }}">{{ a.title }}</a>
{%- else %}{{ a.title }}{% endif %} <span class="meta">({{ a.outlet }}, {{ a.published }};
 id <code>{{ a.id }}</code>)</span></li>{% endfor %}</ul></div>{% endfor %}
{% if s.silent %}<p class="meta">Silent (published in the period, not on this story):
 {{ s.silent | join(', ') }}.</p>{% endif %}
</section>{% else %}{% if b.stories_available %}<p>No story with two or more articles in this
 period.</p>{% endif %}{% endfor %}

<h2 id="blindspots">Blindspots</h2>
{% for x in b.blindspots %}<section><p><b>{{ x.label }}</b>: covered by {{ x.covered_by }}
 ({{ x.covered_articles }} articles), {{ x.missing_in }} gave it {{ x.missing_articles }} of
 its {{ x.missing_camp_articles_in_span }} articles in the span.</p>{{ sources(x.sources) }}
</section>{% else %}<p>{% if b.stories_available %}No blindspot in this period.{% else %}Needs
 stories (<code>parallax cluster</code>).{% endif %}</p>{% endfor %}

<h2 id="alerts">Alerts</h2>
{% for a in b.alerts %}<section><p><b>{{ a.title }}</b> <span class="meta">({{ a.kind }},
 {{ a.first_day }}{% if a.last_day != a.first_day %} to {{ a.last_day }}{% endif %},
 ×{{ a.count }}{% if a.acked %}, acknowledged{% endif %}; alert {{ a.id }})</span><br>
{{ a.summary }}</p>{{ sources(a.sources) }}</section>
{% else %}<p>No alerts about this period.</p>{% endfor %}

<h2 id="milestones">Milestones</h2>
{% for m in b.milestones %}<section><p><b>{{ m.date }} · {{ m.pair }} · {{ m.label }}</b>:
 {{ m.summary }} <span class="meta">({{ m.articles }} articles, {{ m.outlets }} outlets,
 {{ m.camps }} camps)</span>{% if m.evidence %}<br><q>{{ m.evidence }}</q>{% endif %}</p>
{{ sources(m.sources) }}</section>
{% else %}<p>No milestones in this period.</p>{% endfor %}
</body></html>
"""
)


def _env() -> Environment:
    return Environment(autoescape=True, trim_blocks=False, lstrip_blocks=False, finalize=bidi_safe)


def _charts(brief: dict[str, Any]) -> dict[str, Any]:
    from .charts import relation_chart

    out: dict[str, Any] = {}
    colors = brief["camp_colors"]
    for r in brief["relations"]:
        series = list(r["chart_series"].values())
        if not series:
            out[r["anchor"]] = None
            continue
        out[r["anchor"]] = relation_chart(
            series,
            freq=series[0]["freq"],
            labels=brief["camp_labels"],
            colors=colors,
            href=_anchor_href(f"#{r['anchor']}-sources"),
            title=f"{r['name']}: events by camp, {brief['previous_start']} to {brief['end']}",
            width=900,
            height=260,
        )
    return out


def _anchor_href(target: str) -> Callable[[str, dict[str, Any]], str]:
    def href(camp: str, point: dict[str, Any]) -> str:
        return target

    return href


def render_html(brief: dict[str, Any]) -> str:
    """The briefing as one HTML document (no script, no external resource)."""
    from .charts import coverage_bar

    colors = brief["camp_colors"]
    bars = {
        s["id"]: coverage_bar(
            s["coverage"],
            labels=brief["camp_labels"],
            colors=colors,
            order=list(colors),
        )
        for s in brief["stories"]
    }
    template = _env().from_string(_PAGE)
    return template.render(b=brief, css=_CSS, charts=_charts(brief), bars=bars)


# -- Markdown ------------------------------------------------------------------------------------


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


# -- PDF -----------------------------------------------------------------------------------------


def chromium_path() -> str | None:
    """The headless browser used for PDF (``PARALLAX_CHROMIUM``, else /usr/bin/chromium)."""
    configured = os.environ.get("PARALLAX_CHROMIUM")
    for candidate in (configured, CHROMIUM, shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def render_pdf(document: str, out: Path, *, timeout: float = 120.0) -> Path:
    """Print the HTML ``document`` to ``out`` with headless Chromium."""
    browser = chromium_path()
    if browser is None:
        raise BriefError(
            f"PDF needs Chromium ({CHROMIUM} not found; install the `chromium` package or set"
            " PARALLAX_CHROMIUM)"
        )
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="parallax-brief-") as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(document, encoding="utf-8")
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as err:
            raise BriefError(f"Chromium did not finish within {timeout:.0f} s") from err
    if not out.exists() or out.read_bytes()[:4] != b"%PDF":
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise BriefError(f"Chromium made no PDF (exit {done.returncode}): {' | '.join(tail)}")
    return out
