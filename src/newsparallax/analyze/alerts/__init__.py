"""Alerts on the relation index: rules from the watch file, folded, recorded and delivered once.

Rules live in the watch file as ``[[alerts]]`` tables (a user watch that ``extends`` another
inherits its rules; the same ``id`` replaces one, ``enabled = false`` turns it off). Kinds:

``threshold``
    a daily series (``measure``: ``events``, ``reports``, a quad class such as
    ``material_conflict``, ``intensity_sum``, ``intensity_mean`` or ``per_100``) of each of
    ``dyads`` (``both``: the two directions together; ``camp``: one camp's series) above its mean
    + ``sigma`` standard deviations over the previous ``window_days`` days, and at least
    ``min_value``; only once the dyad has ``min_history_days`` of history.
``changepoint``
    a lasting shift in a dyad's weekly series: change points found by PELT (``ruptures`` when
    installed, else the same algorithm in :func:`pelt_l2`; L2 cost, penalty ``penalty`` × noise
    variance × log n, segments of at least ``min_size`` weeks) where the mean moves by at least
    ``min_delta`` and ``min_change`` of the larger side (in absolute value). With
    ``measure = "intensity_mean"`` it finds a relation warming or cooling.

Days (weeks) when nothing at all was published are gaps in the corpus, not a quiet relation:
they are left out of the series the rules see (and so are weeks without events for
``intensity_mean``).
``new_story``
    a story about the rule's dyads that reached ``min_camps`` camps and ``min_articles`` articles
    (needs stories: ``parallax cluster``).
``first_type``
    the first event of a PLOVER type ever seen in a dyad, once the dyad has ``min_history_days``
    of history.
``blindspot``
    a camp silent on a big story about the rule's dyads (``min_camps`` camps, ``min_articles``
    articles) although it published at least ``min_camp_articles`` articles while the story ran
    and reported the dyads ``min_camp_events`` times in the previous 90 days (needs stories).

``dyads`` default to the watch's. Every trigger has a key and is recorded once
(``alert_triggers``); a trigger of the same rule and subject (the dyad, the camp, or the rule for
new stories) within ``fold_days`` of an open alert folds into it and raises its count. Each alert
carries the ids of its events, articles and stories.

Sinks: the CLI and the Atom feed read the ``alerts`` table; the webhook and e-mail sinks
(configured by settings) get one row per alert in ``alert_deliveries`` written in the same
transaction as the alert (an outbox), sent by :func:`deliver`: a delivery is claimed, sent, then
marked ``sent``; a sink that is down leaves it ``pending`` with a growing back-off, so nothing is
lost, and a webhook gets an ``Idempotency-Key`` so a crash between sending and marking cannot make
a duplicate the receiver cannot recognise. Alerts about days older than ``alert_deliver_days``
before the newest data (a first run over an archive) are recorded as *historical* and not sent.
"""

from __future__ import annotations

from .atom import atom_feed
from .changepoints import Shift, change_points, noise_variance, pelt_l2, series_shifts
from .detectors import Trigger
from .outbox import (
    DeliverySummary,
    EvaluationSummary,
    ack,
    alerts_for_feed,
    deliver,
    evaluate,
    list_alerts,
)
from .rules import KINDS, MEASURES, Rule, parse_rules, watch_rules
from .sinks import EmailSink, Sink, SinkError, WebhookSink, configured_sinks

__all__ = [
    "KINDS",
    "MEASURES",
    "DeliverySummary",
    "EmailSink",
    "EvaluationSummary",
    "Rule",
    "Shift",
    "Sink",
    "SinkError",
    "Trigger",
    "WebhookSink",
    "ack",
    "alerts_for_feed",
    "atom_feed",
    "change_points",
    "configured_sinks",
    "deliver",
    "evaluate",
    "list_alerts",
    "noise_variance",
    "parse_rules",
    "pelt_l2",
    "series_shifts",
    "watch_rules",
]
