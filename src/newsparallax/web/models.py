"""The API's request and response models (pydantic, at the edge only; core records stay
dataclasses)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = Field(description="`ok` when the store can be read.")
    version: str
    watch: str
    schema_version: int
    articles: int
    writes_enabled: bool = Field(description="Whether a write token is configured.")
    read_access: str = Field(description="`local`, `open` or `token` (PARALLAX_API_READ).")


class ArticleSummary(BaseModel):
    id: str
    url: str | None
    title: str
    outlet: str
    outlet_name: str | None
    camp: str | None
    language: str
    published: str | None = Field(description="At its precision: `2025-01` for a month.")
    date_precision: str | None
    duplicate_of: str | None
    duplicates: int = Field(description="Stored syndicated copies of this article.")
    quality_flags: list[str]
    snippet: str = Field(description="The lead, or with `q` the passage around the matches.")
    highlights: list[list[int]] = Field(description="`[start, end)` of matches in `snippet`.")
    score: float | None = Field(default=None, description="BM25 relevance (with `q` only).")


class Page(BaseModel):
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    next: str | None = Field(description="The URL of the next page.")


class ArticlePage(Page):
    items: list[ArticleSummary]


class MentionOut(BaseModel):
    field: str = Field(description="`title`, `summary` or `text`: where the offsets point.")
    start: int
    end: int
    text: str
    actor: str
    kind: str
    country: str | None
    sector: str | None
    stage: str


class EventOut(BaseModel):
    type: str
    mode: str | None
    source: str | None
    target: str | None
    source_actor: str | None
    target_actor: str | None
    sentence_start: int
    sentence_end: int
    trigger: str
    quad: str | None
    intensity: float
    cameo: str | None
    asserted: bool
    attributed_to: str | None
    negated: bool
    confidence: float
    coder: str
    field: str
    instance: str | None = Field(
        default=None, description="Reports of one real-world event share an instance id."
    )


class EventItem(EventOut):
    article_id: str
    article_title: str
    outlet: str
    camp: str | None
    published: str | None


class EventPage(Page):
    items: list[EventItem]


class ThemeOut(BaseModel):
    theme: str
    score: float
    evidence: list[list[int]]
    stage: str


class OutletRef(BaseModel):
    id: str
    name: str
    domain: str
    country: str | None
    camp: str | None
    camp_label: str | None
    ownership: str | None
    state_affiliated: bool
    evidence: str = Field(description="Why the outlet carries its camp and ownership labels.")


class Quality(BaseModel):
    score: float
    flags: list[str]


class Duplicate(BaseModel):
    id: str
    outlet: str
    url: str | None
    title: str
    published: str | None
    similarity: float | None


class Original(BaseModel):
    id: str
    outlet: str
    url: str | None
    title: str


class ArticleDetail(BaseModel):
    id: str
    url: str | None
    title: str
    summary: str
    text: str
    author: str | None
    site_name: str | None
    language: str
    language_confidence: float
    published: str | None
    date_precision: str | None
    date_claimed: str | None
    outlet: OutletRef
    quality: Quality
    duplicate_of: Original | None
    duplicate_similarity: float | None
    duplicates: list[Duplicate]
    mentions: list[MentionOut]
    events: list[EventOut]
    themes: list[ThemeOut]
    extractor: str
    stages: list[str]
    source: str
    collection: str | None
    license: str | None


class OutletOut(BaseModel):
    id: str
    name: str
    domains: list[str]
    country: str | None
    languages: list[str]
    camp: str | None
    ownership: str | None
    state_affiliated: bool
    founded: int | None
    evidence: str
    feeds: list[str]
    in_watch: bool = Field(description="Defined by the watch (else only seen in the data).")
    articles: int


class OutletList(BaseModel):
    items: list[OutletOut]


class NewOutlet(BaseModel):
    """An outlet to add to the user outlet file (``PARALLAX_OUTLETS``)."""

    id: str = Field(
        pattern=r"^(telegram:[a-z0-9_]+|[a-z0-9-]+(\.[a-z0-9-]+)+(/[^/?#\s]+)?)$",
        max_length=200,
        description="The primary domain (`example.org`) or `telegram:<channel>`.",
    )
    name: str = Field(min_length=1, max_length=200)
    domains: list[str] = Field(default_factory=list, max_length=50)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    languages: list[str] = Field(default_factory=list, max_length=20)
    camp: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    ownership: str | None = None
    state_affiliated: bool = False
    founded: int | None = Field(default=None, ge=1600, le=2100)
    evidence: str = Field(default="", max_length=1000)
    feeds: list[str] = Field(default_factory=list, max_length=50)


class CampOut(BaseModel):
    id: str
    label: str
    description: str
    color: str
    outlets: int
    articles: int


class CampList(BaseModel):
    items: list[CampOut]


class ActorBrief(BaseModel):
    id: str
    kind: str | None
    label: str
    country: str | None
    sector: str | None
    source: str | None
    articles: int = Field(description="Unique stored articles that mention the actor.")


class ActorList(BaseModel):
    items: list[ActorBrief]


class MonthCount(BaseModel):
    month: str
    camp: str
    articles: int


class ActorMentions(BaseModel):
    mentions: int
    articles: int
    by_camp: dict[str, int]
    by_month: list[MonthCount]
    surface_forms: dict[str, int]


class ActorDetail(BaseModel):
    id: str
    in_dictionary: bool
    entry: dict[str, Any] | None = Field(description="The dictionary entry (names, roles…).")
    label: str
    mentions: ActorMentions


class Stats(BaseModel):
    articles: int
    duplicates: int
    unique: int
    undated: int
    first_published: str | None
    last_published: str | None
    outlets: int
    by_camp: dict[str, int]
    by_outlet: dict[str, int]
    by_language: dict[str, int]
    by_month: dict[str, int]
    quality_flags: dict[str, int]
    input_errors: int
    runs: int
    schema_version: int
    mentions: int
    events: int
    themes: int


class NewFeed(BaseModel):
    url: str = Field(max_length=2000, description="An http(s) feed, sitemap or homepage URL.")
    outlet: str | None = Field(default=None, max_length=200)


class FeedOut(BaseModel):
    id: int
    url: str
    outlet: str | None


class FeedList(BaseModel):
    items: list[dict[str, Any]]


# -- alerts, relations, stories ----------------------------------------------------------------


class AlertDelivery(BaseModel):
    sink: str
    target: str
    state: str = Field(description="`pending`, `sent` or `skipped`.")
    attempts: int
    last_error: str | None
    delivered_at: str | None


class AlertOut(BaseModel):
    id: int
    watch: str
    rule: str
    kind: str = Field(description="threshold, changepoint, new_story, first_type or blindspot.")
    subject: str = Field(description="What triggers fold on: a dyad, a camp, the rule.")
    title: str
    summary: str
    first_day: str
    last_day: str
    count: int = Field(description="Triggers folded into this alert.")
    severity: float
    event_ids: list[str]
    article_ids: list[str]
    story_ids: list[str]
    detail: dict[str, Any]
    historical: bool = Field(description="Older than the delivery horizon: recorded, not sent.")
    created_at: str
    updated_at: str
    acked_at: str | None
    deliveries: list[AlertDelivery] = []


class AlertList(BaseModel):
    items: list[AlertOut]


class RelationSeries(BaseModel):
    source: str
    target: str
    dyad: str
    camp: str = Field(description="A camp id, or `*` for every camp together.")
    freq: str
    smooth_days: int | None
    totals: dict[str, Any]
    month_only: dict[str, int] = Field(
        description="Events of articles dated only to the month (not in day or week series)."
    )
    points: list[dict[str, Any]] = Field(
        description="One per period: start, end, events per quad class, intensity, ids…"
    )


class ChangePoint(BaseModel):
    camp: str
    start: str = Field(description="The first period at the new level.")
    end: str
    measure: str = Field(description="The measure that shifted, e.g. `events`.")
    before: float = Field(description="The mean of the measure before the change point.")
    after: float
    direction: str = Field(description="`up` or `down`.")
    periods_before: int
    periods_after: int
    rule: str = Field(description="The watch's changepoint alert rule used (else defaults).")
    label: str


class RelationOut(BaseModel):
    source: str
    target: str
    both: bool = Field(description="Both directions together.")
    freq: str
    series: list[RelationSeries] = Field(description="The camp asked for, or every camp.")
    change_points: list[ChangePoint] = Field(
        description="Lasting shifts (PELT, as the `changepoint` alerts) of the camp's series,"
        " or of every camp together."
    )
    verdict: dict[str, Any] | None = Field(
        description="The window's last period (of `freq`, ending on `until` or the data's"
        " clock) against the period before: `verdict` (warming, cooling, new activity, fell"
        " silent, more/less activity, steady, too little to tell, quiet), `reason`, `minimum`,"
        " `test`, `cooperation_share`, the counts and both periods' dates; null without data."
    )
    stale: bool = Field(description="Articles were stored after the index was last built.")


class Timeline(BaseModel):
    pair: list[str]
    stories_used: bool
    reports: int
    groups: int
    milestones: list[dict[str, Any]]
    unconfirmed_floor: float = 0.0
    unconfirmed: list[dict[str, Any]] = []
    """Milestones told by several outlets only in events under the confidence threshold: not
    counted, for inspection."""


class StoryCoverage(BaseModel):
    articles: int
    outlets: list[str]
    article_ids: list[str]


class StoryArticle(BaseModel):
    id: str
    url: str | None
    outlet: str
    outlet_name: str | None
    camp: str | None
    language: str
    published: str | None
    title: str
    similarity: float | None
    centrality: float | None
    duplicate_of: str | None
    date_uncertain: bool = Field(
        False, description="Dated only to the month, or undated and placed by its fetch date."
    )
    kind: str = Field(
        "report",
        description="`report`, or a piece that stands alone: digest, live, explainer, opinion.",
    )


class StoryOut(BaseModel):
    id: str
    label: str
    label_article: str | None
    first_seen: str | None
    last_seen: str | None
    status: str
    article_count: int
    duplicates: int | None
    outlet_count: int
    camps: list[str]
    languages: list[str]
    arc_id: str | None
    uncertain_articles: int = Field(0, description="Members of uncertain date (month or fetch).")
    kind: str = Field(
        "report",
        description="A story of one digest, live page, explainer or opinion piece stands alone.",
    )
    coverage: dict[str, StoryCoverage]
    articles: list[StoryArticle]


class StoryDetail(StoryOut):
    themes: dict[str, int]
    actors: list[dict[str, Any]]
    arc: dict[str, Any] | None


class StoryList(BaseModel):
    items: list[StoryOut]


class CycleRunOut(BaseModel):
    id: int
    mode: str = Field(
        description="`attached`: the live monitor of `parallax serve --monitor` was woken;"
        " `on_demand`: one cycle in a background thread of this server."
    )
    status: str = Field(description="`queued`, `running`, `done` or `failed`.")
    requested: str
    started: str | None
    finished: str | None
    summary: dict[str, Any] | None = Field(
        description="What the cycle did (as `parallax watch --once --json`), once done."
    )
    error: str | None
    url: str = Field(description="Where to poll this run.")


class MonitorState(BaseModel):
    mode: str
    queued: CycleRunOut | None
    running: CycleRunOut | None
    recent: list[CycleRunOut] = Field(description="The last requested cycles, newest first.")


class ClaimObject(BaseModel):
    key: str = Field(description="A family (`drones`), `at-<place>`, `mode-<context>`, or none.")
    kind: str = Field(description="`family`, `place`, `mode` or `none` (`unspecified`).")
    label: str


class ClaimCamp(BaseModel):
    camp: str
    articles: dict[str, int] = Field(description="Articles per stance: asserted, relayed, denied.")
    first_seen: str = Field(description="The camp's first report, at its article's precision.")
    first: dict[str, str] = Field(description="The camp's first report of each stance it took.")
    relayed_from: dict[str, int] = Field(description="Whom relayed reports attribute it to.")
    denied_by: dict[str, int] = Field(description="Who denies it, in the camp's denials.")
    by_source: dict[str, int] = Field(
        description="Articles relaying or denying it on the word of the source state itself."
    )
    months: list[dict[str, Any]] = Field(description="`{month, asserted, relayed, denied}`.")
    outlets: int


class PropositionOut(BaseModel):
    id: str = Field(description="`TYPE.SOURCE.TARGET.OBJECT`, e.g. `AID.IRN.RUS.drones`.")
    type: str
    source: str
    target: str
    object: ClaimObject
    label: str
    articles: int
    reports: int = Field(description="Evidence sentences.")
    stances: dict[str, int] = Field(description="Articles per stance, every camp together.")
    first_seen: str
    last_seen: str
    camps: list[ClaimCamp]
    named: dict[str, int] = Field(description="Weapons and places its sentences name.")
    cameo: dict[str, int]


class ClaimPage(Page):
    items: list[PropositionOut]
    total: int = Field(description="Propositions matching, all pages together.")
    threshold: float = Field(description="The confidence threshold of the events counted.")
    left_out: dict[str, int] = Field(description="Reports left out, and why.")
    note: str
    unconfirmed_floor: float = Field(
        0.0, description="The confidence every report of an unconfirmed proposition reaches."
    )
    unconfirmed: list[PropositionOut] = Field(
        [],
        description="First page only: propositions told by two outlets or more in events"
        " under the threshold, beyond what counts; counted nowhere, for inspection.",
    )


class ClaimEvidence(BaseModel):
    published: str
    camp: str
    outlet: str
    stance: str = Field(description="`asserted`, `relayed` or `denied`.")
    who: str | None = Field(description="Whom it is attributed to, or who denies it.")
    who_state: str | None
    via: str = Field(description="`event`, or `rejection`: read off the denier's REJECT.")
    denial_cue: str | None = Field(description="The word that denies it, when the coder did not.")
    cue: str | None = Field(description="In `aside`: the word that makes it a plan or possibility.")
    background: bool
    source_inferred: bool = Field(description="The source is the denier's state.")
    article_id: str
    title: str
    url: str | None
    language: str
    field: str
    sentence_start: int
    sentence_end: int
    sentence: str
    trigger: str
    cameo: str | None
    confidence: float
    event_rowid: int
    named: list[str]


class ClaimBrief(BaseModel):
    id: str
    label: str
    articles: int
    stances: dict[str, int]
    camps: list[str]
    first_seen: str
    last_seen: str


class PropositionDetailOut(PropositionOut):
    threshold: float
    related: list[ClaimBrief] = Field(
        description="Propositions of the pair sharing its type or object."
    )
    evidence: list[ClaimEvidence] = Field(description="Oldest first, at most 500.")
    aside: list[ClaimEvidence] = Field(
        description="Reports of it told only as a plan, fear or possibility: counted nowhere."
    )
