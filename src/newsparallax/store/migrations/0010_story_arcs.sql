-- Parallax store: story arcs, long-running story lines that group event-sized stories with no
-- time limit (the start of a war, a nuclear-plant crisis, a siege), built with the stories by
-- the corpus job in stories.py (`parallax cluster`). Times as in 0001.

CREATE TABLE story_arcs (
    id TEXT PRIMARY KEY,                        -- 'a-' + a hash of the founding story's id
    label TEXT NOT NULL DEFAULT '',             -- the label of its most central story
    label_story TEXT,                           -- that story's id
    label_article TEXT,                         -- the article the label comes from
    first_seen TEXT NOT NULL,
    first_seen_ts INTEGER NOT NULL,
    last_seen TEXT NOT NULL,
    last_seen_ts INTEGER NOT NULL,
    stories INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0,        -- unique articles (syndicated copies apart)
    duplicates INTEGER NOT NULL DEFAULT 0,
    outlets INTEGER NOT NULL DEFAULT 0,
    camps TEXT NOT NULL DEFAULT '[]',           -- JSON list of camp ids
    languages TEXT NOT NULL DEFAULT '[]',       -- JSON list
    terms TEXT NOT NULL DEFAULT '[]',           -- JSON list: the strongest keys of its centroid
    centroid TEXT,                              -- JSON {"c": key -> weight, "n": norm};
                                                -- NULL: provisional (only an open story so far)
    builder TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX story_arcs_last_seen ON story_arcs(last_seen_ts);

-- Each story's arc: linked for good when it closed (arc_final = 1), or provisionally while open.
ALTER TABLE stories ADD COLUMN arc_id TEXT;
ALTER TABLE stories ADD COLUMN arc_similarity REAL;      -- to the arc when linked (NULL: founded)
ALTER TABLE stories ADD COLUMN arc_centrality REAL;      -- to the arc's centroid when last saved
ALTER TABLE stories ADD COLUMN arc_final INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN arc_vector TEXT;          -- JSON key -> weight (unit length)
CREATE INDEX stories_arc ON stories(arc_id);
