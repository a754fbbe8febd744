"""A briefing as one HTML document: inline CSS and SVG, no script, no external resource, every
string from the store escaped by jinja2's autoescape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment

from ...textnorm import bidi_safe

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
    from ..charts import relation_chart

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
    from ..charts import coverage_bar

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
