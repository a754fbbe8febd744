-- Parallax store, version 4: stories (articles about the same real-world event, across outlets and
-- languages), built by the corpus job in stories.py (`parallax cluster`). Times as in 0001.

CREATE TABLE stories (
    id TEXT PRIMARY KEY,                        -- 's-' + a hash of the first article's id: stable
    label TEXT NOT NULL DEFAULT '',             -- the most central headline
    label_article TEXT,                         -- the article id the label comes from
    first_seen TEXT NOT NULL,
    first_seen_ts INTEGER NOT NULL,
    last_seen TEXT NOT NULL,
    last_seen_ts INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',        -- open | closed (no article for the quiet period)
    articles INTEGER NOT NULL DEFAULT 0,        -- unique articles (syndicated copies apart)
    duplicates INTEGER NOT NULL DEFAULT 0,      -- syndicated copies attached to it
    outlets INTEGER NOT NULL DEFAULT 0,
    camps TEXT NOT NULL DEFAULT '[]',           -- JSON list of camp ids
    languages TEXT NOT NULL DEFAULT '[]',       -- JSON list
    centroid TEXT,                              -- JSON, kept while open (the incremental path)
    builder TEXT NOT NULL,                      -- versioned job name and parameters
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_last_seen ON stories(last_seen_ts);
CREATE INDEX stories_first_seen ON stories(first_seen_ts);

-- Every article the job has looked at: in a story (story_id), or skipped with a reason.
CREATE TABLE story_articles (
    article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
    story_id TEXT REFERENCES stories(id) ON DELETE CASCADE,
    similarity REAL,                            -- to the story when it joined (NULL: started it)
    centrality REAL,                            -- to the story's centroid when last saved
    duplicate INTEGER NOT NULL DEFAULT 0,       -- a syndicated copy: listed, counted once
    skipped TEXT                                -- why it is in no story (no date, vague date...)
);
CREATE INDEX story_articles_story ON story_articles(story_id);

-- Document frequencies of fingerprint keys over the articles clustered so far (IDF), and the
-- job's state (article counts per language, clock, parameters).
CREATE TABLE story_df (
    key TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
CREATE TABLE story_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
