-- Parallax store, version 6: the relation index (daily series of coded events per directed dyad,
-- overall and per camp, built by relations.py) and alerts on it (alerts.py) with their deliveries.
-- Days are UTC dates (YYYY-MM-DD); times as in 0001.

-- One point per directed dyad, camp and day. Negated events are left out; events in syndicated
-- copies (articles.duplicate_of) are counted once, on the original (copies are counted apart).
CREATE TABLE relation_points (
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    camp TEXT NOT NULL,                        -- a camp id, 'unknown', or '*': all camps together
                                               -- (imported camps such as 'gdelt' apart)
    grain TEXT NOT NULL,                       -- 'day', or 'month' for articles dated to the month
    day TEXT NOT NULL,                         -- the day; the first of the month for grain 'month'
    reports INTEGER NOT NULL DEFAULT 0,        -- event reports
    events INTEGER NOT NULL DEFAULT 0,         -- distinct real-world events (instances)
    verbal_cooperation INTEGER NOT NULL DEFAULT 0,   -- events per quad class
    material_cooperation INTEGER NOT NULL DEFAULT 0,
    verbal_conflict INTEGER NOT NULL DEFAULT 0,
    material_conflict INTEGER NOT NULL DEFAULT 0,
    intensity_sum REAL NOT NULL DEFAULT 0,     -- Goldstein summed over events (each its reports' mean)
    asserted INTEGER NOT NULL DEFAULT 0,       -- events at least one outlet asserts (not only relays)
    articles INTEGER NOT NULL DEFAULT 0,
    copies INTEGER NOT NULL DEFAULT 0,         -- syndicated copies carrying them (not counted above)
    outlets INTEGER NOT NULL DEFAULT 0,
    stories INTEGER NOT NULL DEFAULT 0,        -- distinct stories (0 while no story job has run)
    types TEXT NOT NULL DEFAULT '{}',          -- JSON {PLOVER type: events}
    event_ids TEXT NOT NULL DEFAULT '[]',      -- JSON lists: instances, articles, outlets, stories,
    article_ids TEXT NOT NULL DEFAULT '[]',    -- camps behind the point
    outlet_ids TEXT NOT NULL DEFAULT '[]',
    story_ids TEXT NOT NULL DEFAULT '[]',
    camp_ids TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (source, target, camp, grain, day)
) WITHOUT ROWID;
CREATE INDEX relation_points_day ON relation_points(grain, day);

-- How much each camp published per day (unique articles): the denominator of the normalised series.
CREATE TABLE relation_volume (
    camp TEXT NOT NULL,
    grain TEXT NOT NULL,
    day TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (camp, grain, day)
) WITHOUT ROWID;

-- The job's watermarks (last article rowid seen, last story update seen, builder).
CREATE TABLE relation_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Alerts: one row per folded group of triggers (same rule and subject within the rule's window).
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    watch TEXT NOT NULL,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL,                        -- threshold | changepoint | new_story | first_type
                                               -- | blindspot
    subject TEXT NOT NULL,                     -- what triggers fold on (a dyad, a camp...)
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,          -- triggers folded into it
    severity REAL NOT NULL DEFAULT 0,
    event_ids TEXT NOT NULL DEFAULT '[]',      -- JSON lists of the evidence
    article_ids TEXT NOT NULL DEFAULT '[]',
    story_ids TEXT NOT NULL DEFAULT '[]',
    detail TEXT NOT NULL DEFAULT '{}',
    historical INTEGER NOT NULL DEFAULT 0,     -- older than the delivery horizon: not sent
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    acked_at TEXT
);
CREATE INDEX alerts_group ON alerts(watch, rule, subject, last_day);

-- Every trigger ever raised, once (its key), and the alert it was folded into.
CREATE TABLE alert_triggers (
    key TEXT PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE INDEX alert_triggers_alert ON alert_triggers(alert_id);

-- The outbox: one row per alert and sink, written with the alert; a sink that is down leaves it
-- pending and it is retried later (backing off), so no alert is lost or sent twice.
CREATE TABLE alert_deliveries (
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    sink TEXT NOT NULL,                        -- webhook | email
    target TEXT NOT NULL,                      -- URL or e-mail addresses
    state TEXT NOT NULL DEFAULT 'pending',     -- pending | sent | skipped
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    delivered_at TEXT,
    PRIMARY KEY (alert_id, sink, target)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries(state, next_attempt_ts);
