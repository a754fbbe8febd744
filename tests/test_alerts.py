"""Alerts: rules, folding, evidence, sinks (a local webhook and SMTP server), Atom, the CLI."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from newsparallax.analyze import alerts, relations
from newsparallax.analyze.alerts import EmailSink, Rule, WebhookSink
from newsparallax.errors import ConfigError
from newsparallax.store.database import Store
from newsparallax.watches import load_watch
from relations_support import add, cli, ev, make_story, open_store

D0 = date(2024, 1, 1)
WATCH = load_watch()


def _conflict_store(path: str | Path, spikes: dict[int, int]) -> Store:
    """IRN↔ISR material conflict: one event every third day for 120 days, and ``spikes``
    (day offset → events that day)."""
    store = open_store(path)
    for i in range(120):
        # something is published every day (days without any article are gaps, not calm)
        add(store, "reuters.com", D0 + timedelta(days=i), f"Markets, day {i}", [])
        n = spikes.get(i, 1 if i % 3 == 0 else 0)
        if not n:
            continue
        events = [ev("ASSAULT", "ISR", "IRN", source_actor=f"unit-{k}") for k in range(n)]
        add(store, "timesofisrael.com", D0 + timedelta(days=i), f"Strikes, day {i}", events)
    relations.rebuild(store)
    return store


THRESHOLD = Rule(
    id="conflict",
    kind="threshold",
    dyads=(("IRN", "ISR"),),
    both=True,
    measure="material_conflict",
    sigma=3.0,
    window_days=90,
    min_value=2.0,
    min_history_days=30,
)


def _alerts(store: Store) -> list[dict[str, Any]]:
    return alerts.list_alerts(store, include_acked=True)


def test_threshold_fires_folds_and_carries_evidence(tmp_path: Path) -> None:
    with _conflict_store(tmp_path / "s.db", {10: 5, 60: 4, 62: 4, 100: 5}) as store:
        summary = alerts.evaluate(store, WATCH, rules=[THRESHOLD], sinks=[], deliver_days=9999)
        found = sorted(_alerts(store), key=lambda a: a["first_day"])
        # day 10 is too early (30 days of history needed); 60 and 62 fold; 100 is apart
        assert [(a["first_day"], a["last_day"], a["count"]) for a in found] == [
            ("2024-03-01", "2024-03-03", 2),
            ("2024-04-10", "2024-04-10", 1),
        ]
        assert summary.new_triggers == 3 and summary.alerts_folded == 1
        first = found[0]
        assert first["subject"] == "IRN↔ISR" and "material_conflict 4" in first["title"]
        point = relations.series(store, "ISR", "IRN", since="2024-03-01", until="2024-03-01")
        assert set(point.points[0]["event_ids"]) <= set(first["event_ids"])
        assert len(first["event_ids"]) == 8 and len(first["article_ids"]) == 2
        # evaluating again records nothing new
        again = alerts.evaluate(store, WATCH, rules=[THRESHOLD], sinks=[], deliver_days=9999)
        assert again.new_triggers == 0 and len(_alerts(store)) == 2


def test_old_alerts_are_historical_and_not_sent(tmp_path: Path) -> None:
    with _conflict_store(tmp_path / "s.db", {60: 4, 100: 5}) as store:
        sink = _Recorder()
        alerts.evaluate(store, WATCH, rules=[THRESHOLD], sinks=[sink], deliver_days=30)
        states = {
            a["first_day"]: (a["historical"], a["deliveries"][0]["state"]) for a in _alerts(store)
        }
        assert states == {"2024-03-01": (True, "skipped"), "2024-04-10": (False, "pending")}
        assert alerts.deliver(store, sinks=[sink]).sent == 1
        assert [a["first_day"] for a in sink.sent] == ["2024-04-10"]


class _Recorder:
    name = "webhook"
    target = "memory"

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, alert: dict[str, Any]) -> None:
        self.sent.append(alert)


def test_change_point_finds_the_shift_once(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.db")
    for week in range(24):
        per_week = 1 if week < 12 else 6
        for k in range(per_week):
            day = D0 + timedelta(days=7 * week + k % 7)
            add(
                store,
                "reuters.com",
                day,
                f"Iran and Russia talk {week}-{k}",
                [ev("CONSULT", "IRN", "RUS", source_actor=f"official-{k}")],
            )
    relations.rebuild(store)
    rule = Rule(id="shift", kind="changepoint", dyads=(("IRN", "RUS"),), both=True, min_size=4)
    alerts.evaluate(store, WATCH, rules=[rule], sinks=[])
    [alert] = _alerts(store)
    assert alert["first_day"] == (D0 + timedelta(days=7 * 12)).isoformat()
    assert alert["detail"]["direction"] == "up" and alert["detail"]["after"] == pytest.approx(6)
    assert alert["event_ids"]  # the events of the first week after the shift
    # a few more weeks at the new level: the same shift is not alerted again
    for week in range(24, 27):
        for k in range(6):
            add(
                store,
                "reuters.com",
                D0 + timedelta(days=7 * week + k),
                f"Talks {week}-{k}",
                [ev("CONSULT", "IRN", "RUS", source_actor=f"official-{k}")],
            )
    assert alerts.evaluate(store, WATCH, rules=[rule], sinks=[]).new_triggers == 0
    store.close()


def test_pelt_fallback_matches_ruptures(monkeypatch: pytest.MonkeyPatch) -> None:
    signal = [
        1.0,
        0.0,
        1.0,
        2.0,
        1.0,
        0.0,
        1.0,
        1.0,
        6.0,
        5.0,
        7.0,
        6.0,
        6.0,
        5.0,
        1.0,
        0.0,
        2.0,
        1.0,
    ]
    pen = 3 * alerts.noise_variance(signal) * 3
    fallback = alerts.pelt_l2(signal, pen, 3)
    assert fallback == [8, 14, 18]
    pytest.importorskip("ruptures")
    assert alerts.change_points(signal, pen, 3) == fallback
    monkeypatch.setitem(sys.modules, "ruptures", None)  # as if not installed
    assert alerts.change_points(signal, pen, 3) == fallback


def test_first_event_type_in_a_dyad(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.db")
    for i in range(0, 60, 5):
        add(store, "tass.com", D0 + timedelta(days=i), f"Talks {i}", [ev("CONSULT", "RUS", "IRN")])
    add(store, "tass.com", D0 + timedelta(days=3), "Early aid", [ev("AID", "RUS", "IRN")])
    aid_day = D0 + timedelta(days=61)
    aid = add(
        store, "tass.com", aid_day, "Russia delivers jets to Iran", [ev("SANCTION", "RUS", "IRN")]
    )
    relations.rebuild(store)
    rule = Rule(id="first", kind="first_type", dyads=(("RUS", "IRN"),), min_history_days=30)
    alerts.evaluate(store, WATCH, rules=[rule], sinks=[])
    [alert] = _alerts(store)  # AID was first seen in the first 30 days: no alert for it
    assert "first SANCTION" in alert["title"] and alert["first_day"] == aid_day.isoformat()
    assert alert["article_ids"] == [aid] and len(alert["event_ids"]) == 1
    store.close()


def _story_store(path: Path) -> Store:
    store = open_store(path)
    day = D0 + timedelta(days=40)
    # Iranian state media usually report IRN→RUS ...
    for i in range(5):
        add(
            store,
            "irna.ir",
            day - timedelta(days=20 + i),
            f"Iran and Russia talk {i}",
            [ev("CONSULT", "IRN", "RUS", source_actor=f"o{i}")],
        )
    # ... and publish a lot while the big story runs, but not about it
    for i in range(25):
        add(store, "irna.ir", day, f"Domestic news {i}", [])
    big = [
        add(store, outlet, day, "Iran delivers missiles to Russia", [ev("AID", "IRN", "RUS")])
        for outlet in (
            "reuters.com",
            "apnews.com",
            "bbc.co.uk",
            "tass.com",
            "kyivindependent.com",
            "timesofisrael.com",
            "ria.ru",
            "aljazeera.com",
        )
    ]
    small = [
        add(store, outlet, day, "Iran and Russia hold talks", [ev("CONSULT", "IRN", "RUS")])
        for outlet in ("reuters.com", "tass.com")
    ]
    also = [
        add(store, outlet, day, "Iran and Russia sign a deal", [ev("SUPPORT", "IRN", "RUS")])
        for outlet in ("reuters.com", "tass.com", "aljazeera.com", "kyivindependent.com", "ria.ru")
    ]
    # something later, so the stories are not "too young"
    add(store, "reuters.com", day + timedelta(days=10), "Later", [ev("CONSULT", "USA", "IRN")])
    make_story(store, "s-big", "Iran delivers missiles to Russia", big)
    make_story(store, "s-small", "Iran and Russia hold talks", small)
    make_story(store, "s-deal", "Iran and Russia sign a deal", also)
    relations.update(store)
    return store


def test_new_story_and_blindspot_rules(tmp_path: Path) -> None:
    with _story_store(tmp_path / "s.db") as store:
        new_story = Rule(
            id="new",
            kind="new_story",
            dyads=(("IRN", "RUS"),),
            both=True,
            min_camps=3,
            min_articles=2,
            fold_days=1,
        )
        blind = Rule(
            id="blind",
            kind="blindspot",
            dyads=(("IRN", "RUS"),),
            both=True,
            min_camps=4,
            min_articles=5,
            min_camp_articles=20,
            min_camp_events=3,
        )
        summary = alerts.evaluate(store, WATCH, rules=[new_story, blind], sinks=[])
        assert not summary.skipped_rules
        found = {a["rule"]: a for a in _alerts(store)}
        # two stories reached 3 camps on the same day: one alert with a count of 2
        assert found["new"]["count"] == 2
        assert set(found["new"]["story_ids"]) == {"s-big", "s-deal"}
        # Iranian state media were silent on the two big stories while publishing 25 articles
        spot = found["blind"]
        assert spot["subject"] == "camp:iranian_state" and spot["count"] == 2
        assert spot["detail"]["camp_published"] >= 25 and spot["article_ids"]
        assert {a["subject"] for a in _alerts(store) if a["rule"] == "blind"} == {
            "camp:iranian_state"
        }


def test_story_rules_wait_for_stories(tmp_path: Path) -> None:
    with _conflict_store(tmp_path / "s.db", {}) as store:
        rule = Rule(id="new", kind="new_story", dyads=(("IRN", "ISR"),))
        summary = alerts.evaluate(store, WATCH, rules=[rule], sinks=[])
        assert summary.skipped_rules == ["new"] and not _alerts(store)


# -- sinks ----------------------------------------------------------------------------------


class _Hook(BaseHTTPRequestHandler):
    failures = 0
    received: ClassVar[list[tuple[dict[str, Any], dict[str, str]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if _Hook.failures > 0:
            _Hook.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        _Hook.received.append((json.loads(body), dict(self.headers)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    _Hook.failures = 0
    _Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_webhook_retries_records_and_delivers_once(tmp_path: Path, webhook: str) -> None:
    down = WebhookSink(f"http://127.0.0.1:{_free_port()}/x", timeout=2, retries=2, backoff=0.01)
    up = WebhookSink(webhook, timeout=5, retries=3, backoff=0.01)
    with _conflict_store(tmp_path / "s.db", {60: 4, 100: 5}) as store:
        alerts.evaluate(store, WATCH, rules=[THRESHOLD], sinks=[up, down], deliver_days=9999)
        _Hook.failures = 2  # two 503s: the quick retries get through on the third try
        now = time.time()
        first = alerts.deliver(store, sinks=[up, down], now=now)
        assert (first.sent, first.failed) == (2, 2)
        assert len(_Hook.received) == 2
        payload, headers = _Hook.received[0]
        assert payload["type"] == "parallax.alert" and payload["alert"]["event_ids"]
        assert headers["Idempotency-Key"].startswith("parallax-alert-iran-russia-")
        states = [
            (d["sink"], d["target"] == up.url, d["state"])
            for a in _alerts(store)
            for d in a["deliveries"]
        ]
        assert sorted(states) == sorted(
            [("webhook", True, "sent"), ("webhook", False, "pending")] * 2
        )
        failed = [d for a in _alerts(store) for d in a["deliveries"] if d["state"] == "pending"]
        assert all(d["attempts"] == 1 and d["last_error"] for d in failed)
        # nothing is due again right away (back-off), and what was sent is never sent again
        assert alerts.deliver(store, sinks=[up, down], now=now + 1).due == 0
        # the sink comes back (same target, now listening): the pending ones go out, once
        revived = WebhookSink(webhook, timeout=5, retries=1)
        pending_targets = {d["target"] for d in failed}
        assert pending_targets == {down.url}
        store.conn.execute(
            "UPDATE alert_deliveries SET target = ? WHERE target = ?", (webhook + "?b", down.url)
        )
        revived.url = webhook + "?b"
        later = alerts.deliver(store, sinks=[up, revived], now=now + 4000)
        assert later.sent == 2 and len(_Hook.received) == 4
        assert alerts.deliver(store, sinks=[up, revived], now=now + 9000).due == 0


class _SMTPHandler(socketserver.StreamRequestHandler):
    messages: ClassVar[list[str]] = []

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        data: list[bytes] = []
        in_data = False
        while line := self.rfile.readline():
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    _SMTPHandler.messages.append(b"".join(data).decode("utf-8", "replace"))
                    self.wfile.write(b"250 queued\r\n")
                else:
                    data.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_email_sink_through_a_local_smtp_server(tmp_path: Path) -> None:
    _SMTPHandler.messages = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        mail = EmailSink(host="127.0.0.1", port=port, sender="p@localhost", recipients=("a@x.org",))
        dead = EmailSink(host="127.0.0.1", port=_free_port(), sender="p@l", recipients=("b@x.org",))
        with _conflict_store(tmp_path / "s.db", {100: 5}) as store:
            alerts.evaluate(store, WATCH, rules=[THRESHOLD], sinks=[mail, dead], deliver_days=9999)
            result = alerts.deliver(store, sinks=[mail, dead])
            assert (result.sent, result.failed) == (1, 1)
        [message] = _SMTPHandler.messages
        parsed = email.message_from_string(message, policy=email.policy.default)
        assert str(parsed["Subject"]).startswith("[Parallax] IRN↔ISR: material_conflict 5")
        assert str(parsed["X-Parallax-Alert"]).startswith("iran-russia/")
        body = parsed.get_body(("plain",))
        assert body is not None and "events: " in body.get_content()
    finally:
        server.shutdown()
        server.server_close()


def test_configured_sinks_come_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert alerts.configured_sinks() == []
    monkeypatch.setenv("PARALLAX_ALERT_WEBHOOK", "https://a.example/h, https://b.example/h")
    monkeypatch.setenv("PARALLAX_SMTP_HOST", "smtp.example")
    monkeypatch.setenv("PARALLAX_ALERT_EMAIL_TO", "x@example.org")
    sinks = alerts.configured_sinks()
    assert [(s.name, s.target) for s in sinks] == [
        ("webhook", "https://a.example/h"),
        ("webhook", "https://b.example/h"),
        ("email", "x@example.org"),
    ]


def test_atom_feed_escapes_everything() -> None:
    nasty = {
        "id": 7,
        "watch": "w",
        "kind": "threshold",
        "title": 'Spike <script>alert("x")</script> & “quotes” \x01\x0b',
        "summary": "a < b && c > d",
        "count": 3,
        "first_day": "2025-06-13",
        "last_day": "2025-06-14",
        "event_ids": ["e<1>"],
        "article_ids": ["a&b"],
        "story_ids": [],
        "created_at": "2025-06-14T00:00:00+00:00",
        "updated_at": "2025-06-15T00:00:00+00:00",
    }
    xml = alerts.atom_feed([nasty], link="https://x.example/feed?a=1&b=2")
    root = ET.fromstring(xml.encode("utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [entry] = root.findall("a:entry", ns)
    title = entry.find("a:title", ns)
    assert title is not None and title.text is not None
    assert title.text.startswith('Spike <script>alert("x")</script> & “quotes”')
    assert title.text.endswith("(×3)") and "\x01" not in title.text
    content = entry.find("a:content", ns)
    assert content is not None and "a < b && c > d" in (content.text or "")
    link = root.find("a:link", ns)
    assert link is not None and link.get("href") == "https://x.example/feed?a=1&b=2"
    assert "<script>" not in xml


def test_feed_lists_stored_alerts(tmp_path: Path) -> None:
    with _conflict_store(tmp_path / "s.db", {60: 4}) as store:
        alerts.evaluate(store, WATCH, rules=[THRESHOLD], sinks=[])
        items = alerts.alerts_for_feed(store)
        assert len(items) == 1
        root = ET.fromstring(alerts.atom_feed(items))
        assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 1


# -- rules in the watch file and the CLI -------------------------------------------------------


def test_watch_rules_extend_override_and_are_checked(tmp_path: Path) -> None:
    rules = {r.id: r for r in alerts.watch_rules(WATCH)}
    assert {"irn-isr-material-conflict", "shift", "new-story", "first-type", "blindspot"} <= set(
        rules
    )
    assert rules["first-type"].dyads[0] == ("IRN", "RUS")
    user = tmp_path / "mine.toml"
    user.write_text(
        '[watch]\nname = "mine"\nextends = "iran-russia"\n\n'
        '[[alerts]]\nid = "irn-rus-spike"\nkind = "threshold"\nenabled = false\n\n'
        '[[alerts]]\nid = "usa-irn"\nkind = "threshold"\ndyads = [["USA", "IRN"]]\nsigma = 2.5\n',
        encoding="utf-8",
    )
    mine = load_watch(str(user))
    ids = [r.id for r in alerts.watch_rules(mine)]
    assert "irn-rus-spike" not in ids and "usa-irn" in ids and "shift" in ids
    assert mine.themes == WATCH.themes  # the other hook is untouched
    with pytest.raises(ConfigError, match="kind"):
        alerts.parse_rules([{"id": "x", "kind": "nonsense"}])
    with pytest.raises(ConfigError, match="unknown key"):
        alerts.parse_rules([{"id": "x", "kind": "threshold", "sigmaa": 3}])
    with pytest.raises(ConfigError, match="measure"):
        alerts.parse_rules([{"id": "x", "kind": "threshold", "measure": "vibes"}])
    dup = tmp_path / "dup.toml"
    dup.write_text(
        '[watch]\nname = "dup"\n[[alerts]]\nid = "a"\nkind = "threshold"\n'
        '[[alerts]]\nid = "a"\nkind = "first_type"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="duplicate alert id"):
        load_watch(str(dup))


def test_cli_lists_and_acknowledges_alerts(store_ref: str) -> None:
    path = store_ref
    _conflict_store(path, {60: 4, 100: 5}).close()
    runner = CliRunner()
    group = cli()
    result = runner.invoke(group, ["alerts", "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    listed = [a for a in data["alerts"] if a["rule"] == "irn-isr-material-conflict"]
    assert len(listed) == 2 and all(a["event_ids"] for a in listed)
    assert data["evaluation"]["skipped_rules"] == ["new-story", "blindspot"]
    text = runner.invoke(group, ["alerts", "--db", str(path), "--no-evaluate"])
    assert text.exit_code == 0 and "IRN↔ISR" in text.stdout
    target = listed[0]["id"]
    assert runner.invoke(group, ["alerts", "--db", str(path), "--ack", str(target)]).exit_code == 0
    after = json.loads(runner.invoke(group, ["alerts", "--db", str(path), "--json"]).stdout)
    assert target not in [a["id"] for a in after["alerts"]]
    every = json.loads(
        runner.invoke(group, ["alerts", "--db", str(path), "--json", "--all"]).stdout
    )
    assert target in [a["id"] for a in every["alerts"]]
    assert runner.invoke(group, ["alerts", "--db", str(path), "--ack", "99999"]).exit_code != 0


def test_a_gap_in_the_corpus_is_no_shift(tmp_path: Path) -> None:
    """Weeks when nothing at all was published are missing data, not a quiet relation."""
    store = open_store(tmp_path / "s.db")
    for week in [*range(12), *range(20, 32)]:
        for k in range(3):
            add(
                store,
                "reuters.com",
                D0 + timedelta(days=7 * week + 2 * k),
                f"Iran and Russia talk {week}-{k}",
                [ev("CONSULT", "IRN", "RUS", source_actor=f"official-{k}")],
            )
    relations.rebuild(store)
    rule = Rule(id="shift", kind="changepoint", dyads=(("IRN", "RUS"),), both=True, min_size=4)
    assert alerts.evaluate(store, WATCH, rules=[rule], sinks=[]).triggers == 0
    tone = Rule(
        id="tone",
        kind="changepoint",
        dyads=(("IRN", "RUS"),),
        both=True,
        measure="intensity_mean",
        min_delta=1.0,
        min_change=0.0,
    )
    assert alerts.evaluate(store, WATCH, rules=[tone], sinks=[]).triggers == 0
    store.close()
