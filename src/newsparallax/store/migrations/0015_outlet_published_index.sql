-- An outlet's articles by date: the latest articles of an outlet up to a day (the boilerplate
-- sample of a comparison or story page, an outlet's article list) are a range of this index,
-- not every article of the outlet sorted. Replaces the index on the outlet alone.
DROP INDEX articles_outlet;
CREATE INDEX articles_outlet ON articles(outlet, published_ts);
