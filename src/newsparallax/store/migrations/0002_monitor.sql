-- Parallax store, version 2: the live monitor's feeds, their polls and the URL frontier.
-- Times are ISO-8601 UTC text (for people) plus Unix seconds (*_ts, for scheduling).

-- Every feed, sitemap or homepage the monitor polls, with its HTTP validators and health.
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    outlet TEXT,                                -- outlet id (from the watch, or the domain)
    kind TEXT NOT NULL DEFAULT 'auto',          -- auto | feed | sitemap | homepage
    origin TEXT NOT NULL DEFAULT 'user',        -- user | watch | discovered
    parent_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,  -- sitemap index or homepage
    enabled INTEGER NOT NULL DEFAULT 1,         -- 0: removed by the user (a watch won't re-add)
    added_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_polled_at TEXT,
    last_success_at TEXT,
    last_status INTEGER,
    last_error TEXT,
    last_error_at TEXT,
    last_new_at TEXT,                           -- when a poll last found a new article URL
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_poll_ts INTEGER NOT NULL DEFAULT 0,
    polls INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    items_last INTEGER NOT NULL DEFAULT 0,      -- items in the last successful parse
    new_total INTEGER NOT NULL DEFAULT 0,       -- article URLs first discovered by this feed
    title TEXT
);

-- One row per poll (health history: items per day, error streaks).
CREATE TABLE feed_polls (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    at_ts INTEGER NOT NULL,
    status INTEGER,                             -- HTTP status, NULL when no response
    items INTEGER NOT NULL DEFAULT 0,
    new_items INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX feed_polls_feed ON feed_polls(feed_id, at_ts);

-- The URL frontier: every article URL ever discovered, exactly once (keyed by the article id of
-- its canonical URL). A URL is committed here in the same transaction as the feed's new
-- validators, and marked done in the same transaction as its article: a crash at any moment
-- loses no URL and stores no article twice.
CREATE TABLE frontier (
    id TEXT PRIMARY KEY,                        -- article_id(url=url)
    url TEXT NOT NULL,
    host TEXT NOT NULL,
    feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    outlet TEXT,
    title TEXT,                                 -- hints from the feed item
    published TEXT,
    discovered_at TEXT NOT NULL,
    discovered_ts INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'new',          -- new | done | rejected | skipped | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ts INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER,
    reason TEXT,                                -- why rejected / skipped / failed / retried
    final_url TEXT,
    article_id TEXT,                            -- the stored article (may differ after redirects)
    warc_file TEXT,
    warc_offset INTEGER,
    fetched_at TEXT
);
CREATE INDEX frontier_due ON frontier(state, next_attempt_ts);
CREATE INDEX frontier_feed ON frontier(feed_id, discovered_ts);
