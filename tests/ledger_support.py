"""A small store for the claim ledger tests: headlines written here (our own words) with
hand-made events and mentions, so each rule of the ledger is checked on one known sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from newsparallax.annotate.events import event_instance
from newsparallax.annotate.events.lexicon import load_lexicon
from newsparallax.records import Article, DatePrecision, Event, Mention
from newsparallax.store.database import Store
from newsparallax.watches import load_watch

HOSTILE = 'Iran sent drones to Russia <script>alert("ledger")</script>, officials said.'


@dataclass
class Ev:
    """An event of a headline: its trigger is found in the headline."""

    type: str
    source: str | None
    target: str | None
    trigger: str
    cameo: str | None = None
    asserted: bool = True
    attributed_to: str | None = None
    negated: bool = False
    mood: str = "fact"
    confidence: float = 0.9
    target_actor: str | None = None


_DEFAULT = {"AID": "072", "REJECT": "120", "ASSAULT": "194", "AGREE": "0312", "CONSULT": "042"}


def _event(e: Ev, title: str, published: datetime) -> Event:
    code = load_lexicon().code(e.cameo or _DEFAULT[e.type])
    assert code is not None and code.type == e.type
    assert e.trigger in title, (e.trigger, title)
    event = Event(
        type=e.type,
        mode=code.mode,
        source=e.source,
        target=e.target,
        source_actor=e.source,
        target_actor=e.target_actor or e.target,
        sentence_start=0,
        sentence_end=len(title),
        trigger=e.trigger,
        quad=code.quad,
        intensity=code.goldstein,
        cameo=code.cameo,
        asserted=e.asserted,
        attributed_to=e.attributed_to,
        negated=e.negated,
        confidence=e.confidence,
        coder="test",
        field="title",
        mood=e.mood,
    )
    return replace(event, instance=event_instance(event, published))


def _mention(title: str, text: str, actor: str, kind: str, country: str | None) -> Mention:
    start = title.index(text)
    return Mention(
        start=start, end=start + len(text), text=text, actor=actor, kind=kind, country=country,
        stage="test", field="title",
    )  # fmt: skip


def add(
    store: Store,
    aid: str,
    outlet: str,
    day: str,
    title: str,
    events: list[Ev],
    *,
    mentions: Sequence[tuple[str, str, str, str | None]] = (),
    language: str = "en",
    duplicate_of: str | None = None,
    precision: DatePrecision = DatePrecision.SECOND,
    text: str = "",
) -> str:
    d = date.fromisoformat(day)
    published = datetime(d.year, d.month, d.day, 9, 0, tzinfo=UTC)
    article = Article(
        id=aid,
        url=f"https://{outlet}/news/{aid}",
        outlet=outlet,
        domain=outlet,
        published=published,
        date_precision=precision,
        title=title,
        text=text or f"{title} This is a test article written for Parallax.",
        language=language,
        duplicate_of=duplicate_of,
        mentions=tuple(_mention(title, *m) for m in mentions),
        events=tuple(_event(e, title, published) for e in events),
    )
    assert store.add(article) is not None
    return aid


def build(path: Path) -> Path:
    """The ledger store: a drone-supply claim told by four camps (relayed, denied three ways,
    admitted), a missile claim, a shelling of a place, and reports the ledger must leave out."""
    store = Store(path)
    watch = load_watch()
    store.sync_outlets(watch.outlets, watch=watch.name)
    with store:
        add(
            store,
            "w1",
            "reuters.com",
            "2022-07-12",
            "Washington says Iran sent attack drones to Russia.",
            [Ev("AID", "IRN", "RUS", "sent", asserted=False, attributed_to="USA")],
        )
        add(
            store,
            "w1-copy",
            "reuters.com",
            "2022-07-12",
            "Washington says Iran sent attack drones to Russia.",
            [Ev("AID", "IRN", "RUS", "sent", asserted=False, attributed_to="USA")],
            duplicate_of="w1",
        )
        add(
            store,
            "w2",
            "reuters.com",
            "2022-08-01",
            "Iran shipped drones to Russia.",
            [Ev("AID", "IRN", "RUS", "shipped", confidence=0.5)],
        )
        add(
            store,
            "i1",
            "tehrantimes.com",
            "2022-10-20",
            "Tehran denies sending Shahed-136 drones to Moscow.",
            [Ev("AID", "IRN", "RUS", "sending", asserted=False, attributed_to="IRN", negated=True)],
            mentions=[("Shahed-136", "shahed-136", "weapon", "IRN")],
        )
        add(
            store,
            "i2",
            "tehrantimes.com",
            "2022-10-25",
            "Iran rejected claims of drone deliveries to Russia.",
            [
                Ev("REJECT", "IRN", "RUS", "rejected"),
                Ev("AID", "IRN", "RUS", "deliveries", negated=True, asserted=False, confidence=0.2),
            ],
        )
        add(
            store,
            "i3",
            "tehrantimes.com",
            "2022-10-26",
            "Officials in Tehran refuted reports that Iran sent drones to Russia.",
            [Ev("AID", "IRN", "RUS", "sent", asserted=False)],
        )
        add(
            store,
            "i4",
            "tehrantimes.com",
            "2022-10-27",
            "Iran could supply more drones to Russia next year.",
            [Ev("AID", "IRN", "RUS", "supply")],
        )
        add(
            store,
            "i5",
            "tehrantimes.com",
            "2022-10-28",
            "Iran may send drones to Russia, an analyst wrote.",
            [Ev("AID", "IRN", "RUS", "send", mood="hypothetical")],
        )
        add(
            store,
            "r1",
            "tass.com",
            "2022-10-21",
            "МИД Ирана опроверг сообщения о поставках беспилотников в Россию.",
            [
                Ev(
                    "AID",
                    None,
                    "RUS",
                    "поставках",
                    asserted=False,
                    attributed_to="iran-mfa",
                    negated=True,
                )
            ],
            mentions=[("МИД Ирана", "iran-mfa", "organisation", "IRN")],
            language="ru",
        )
        add(
            store,
            "u1",
            "ukrinform.net",
            "2022-11-05",
            "Iran delivered drones to Russia before the war, Hossein Amir-Abdollahian said.",
            [
                Ev(
                    "AID",
                    "IRN",
                    "RUS",
                    "delivered",
                    asserted=False,
                    attributed_to="hossein-amir-abdollahian",
                )
            ],
            mentions=[("Hossein Amir-Abdollahian", "hossein-amir-abdollahian", "person", "IRN")],
        )
        add(
            store,
            "u2",
            "ukrinform.net",
            "2022-11-06",
            "Iran supplied ballistic missiles to Russia.",
            [Ev("AID", "IRN", "RUS", "supplied")],
        )
        add(
            store,
            "u3",
            "ukrinform.net",
            "2022-11-07",
            "Russian forces shelled the Zaporizhzhia nuclear plant again.",
            [Ev("ASSAULT", "RUS", "UKR", "shelled", target_actor="zaporizhzhia-npp")],
            mentions=[("Zaporizhzhia nuclear plant", "zaporizhzhia-npp", "place", "UKR")],
        )
        add(
            store,
            "u4",
            "ukrinform.net",
            "2022-11-08",
            HOSTILE,
            [Ev("AID", "IRN", "RUS", "sent", asserted=False, attributed_to="UKR")],
        )
    return path
