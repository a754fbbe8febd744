-- Parallax store, version 1: outlets, articles, annotations, search index, runs and input errors.
-- Dates are ISO-8601 UTC text; published_ts is the same instant in Unix seconds for range queries.

CREATE TABLE outlets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    domains TEXT NOT NULL DEFAULT '[]',        -- JSON list
    country TEXT,
    languages TEXT NOT NULL DEFAULT '[]',      -- JSON list
    camp TEXT,
    ownership TEXT,
    state_affiliated INTEGER NOT NULL DEFAULT 0,
    evidence TEXT NOT NULL DEFAULT '',
    founded INTEGER,
    feeds TEXT NOT NULL DEFAULT '[]',          -- JSON list
    watch TEXT                                 -- the watch that defined it, NULL if seen only
);

CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT,
    canonical_url TEXT,
    outlet TEXT NOT NULL,
    domain TEXT NOT NULL,
    published TEXT,
    published_ts INTEGER,
    date_precision TEXT,
    date_claimed TEXT,
    title TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    author TEXT,
    site_name TEXT,
    language TEXT NOT NULL DEFAULT 'und',
    language_confidence REAL NOT NULL DEFAULT 0,
    quality_score REAL NOT NULL DEFAULT 1,
    quality_flags TEXT NOT NULL DEFAULT '[]',  -- JSON list
    quality_details TEXT NOT NULL DEFAULT '{}',
    content_hash TEXT NOT NULL DEFAULT '',
    duplicate_of TEXT,
    duplicate_similarity REAL,
    extractor TEXT NOT NULL DEFAULT 'input',
    source TEXT NOT NULL DEFAULT '',
    collection TEXT,
    license TEXT,
    stages TEXT NOT NULL DEFAULT '[]',         -- JSON list of versioned stage names
    extra TEXT NOT NULL DEFAULT '{}',
    ingested_at TEXT NOT NULL,
    run_id INTEGER
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published_ts);
CREATE INDEX articles_language ON articles(language);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

-- MinHash signatures and LSH band keys for near-duplicate lookups across runs.
CREATE TABLE minhash (
    article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
    signature BLOB NOT NULL
);
CREATE TABLE lsh_bands (
    key INTEGER NOT NULL,
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE
);
CREATE INDEX lsh_bands_key ON lsh_bands(key);

-- Offset-based annotations (filled by the actors, events and themes stages).
CREATE TABLE mentions (
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT,
    sector TEXT,
    stage TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_rowid);
CREATE INDEX mentions_actor ON mentions(actor);

CREATE TABLE events (
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    type TEXT NOT NULL,
    mode TEXT,
    source TEXT,
    target TEXT,
    source_actor TEXT,
    target_actor TEXT,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    trigger TEXT NOT NULL DEFAULT '',
    quad TEXT,
    intensity REAL NOT NULL DEFAULT 0,
    cameo TEXT,
    asserted INTEGER NOT NULL DEFAULT 1,
    attributed_to TEXT,
    negated INTEGER NOT NULL DEFAULT 0,
    confidence REAL NOT NULL DEFAULT 0,
    coder TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_article ON events(article_rowid);
CREATE INDEX events_dyad ON events(source, target);

CREATE TABLE themes (
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    theme TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',       -- JSON list of [start, end]
    stage TEXT NOT NULL
);
CREATE INDEX themes_article ON themes(article_rowid);
CREATE INDEX themes_theme ON themes(theme);

-- Full-text search over normalised text (see textnorm.py); rowid = articles.rowid.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    summary TEXT                               -- JSON
);

CREATE TABLE input_errors (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    input TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX input_errors_run ON input_errors(run_id);
