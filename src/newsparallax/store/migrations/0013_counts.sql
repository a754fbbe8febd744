-- Pre-aggregated counts behind `parallax stats`, the overview and the actor lists, kept by
-- Store.add in the transaction that stores each article (articles are never updated or deleted
-- by Parallax), so reading them costs a few hundred rows, not a scan of every article and
-- mention. Camps are read through the outlets table at query time (an outlet may change camp).

-- Articles per outlet, language, month of publication (YYYY-MM; '' when undated or dated only
-- to the year), dated or not and original or syndicated copy; with their mentions and events.
CREATE TABLE article_counts (
    outlet TEXT NOT NULL,
    language TEXT NOT NULL,
    month TEXT NOT NULL,
    dated INTEGER NOT NULL,                    -- 1: published is known
    duplicate INTEGER NOT NULL,                -- 1: a syndicated copy (duplicate_of set)
    articles INTEGER NOT NULL DEFAULT 0,
    mentions INTEGER NOT NULL DEFAULT 0,
    events INTEGER NOT NULL DEFAULT 0,
    first_published TEXT,
    last_published TEXT,
    PRIMARY KEY (outlet, language, month, dated, duplicate)
) WITHOUT ROWID;

INSERT INTO article_counts(outlet, language, month, dated, duplicate, articles, mentions, events,
                           first_published, last_published)
SELECT a.outlet, a.language,
       CASE WHEN a.published IS NOT NULL AND a.date_precision NOT LIKE 'year%'
            THEN substr(a.published, 1, 7) ELSE '' END,
       CASE WHEN a.published IS NULL THEN 0 ELSE 1 END,
       CASE WHEN a.duplicate_of IS NULL THEN 0 ELSE 1 END,
       count(*), coalesce(sum(m.n), 0), coalesce(sum(e.n), 0), min(a.published), max(a.published)
FROM articles a
LEFT JOIN (SELECT article_rowid, count(*) AS n FROM mentions GROUP BY article_rowid) m
    ON m.article_rowid = a.rowid
LEFT JOIN (SELECT article_rowid, count(*) AS n FROM events GROUP BY article_rowid) e
    ON e.article_rowid = a.rowid
GROUP BY 1, 2, 3, 4, 5;

-- Articles carrying each quality flag.
CREATE TABLE quality_flag_counts (
    flag TEXT PRIMARY KEY,
    articles INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

INSERT INTO quality_flag_counts(flag, articles)
SELECT j.value, count(*) FROM articles, json_each(articles.quality_flags) j GROUP BY j.value;

-- Original articles (syndicated copies left out) of each outlet that mention each actor.
CREATE TABLE actor_counts (
    actor TEXT NOT NULL,
    outlet TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (actor, outlet)
) WITHOUT ROWID;

INSERT INTO actor_counts(actor, outlet, articles)
SELECT m.actor, a.outlet, count(DISTINCT m.article_rowid)
FROM mentions m JOIN articles a ON a.rowid = m.article_rowid
WHERE a.duplicate_of IS NULL
GROUP BY m.actor, a.outlet;
