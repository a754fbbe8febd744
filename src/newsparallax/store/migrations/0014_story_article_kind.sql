-- The kind of piece the story job took each article for (report, digest, live, explainer,
-- opinion: analyze/stories/cues.py), saved with its membership so that lists and pages show
-- what clustering used without matching the cues again on every read. NULL for rows written
-- before this column: read back, their kind is computed from the title and summary.
ALTER TABLE story_articles ADD COLUMN kind TEXT;
