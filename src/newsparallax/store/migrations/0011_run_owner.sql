-- Who runs a run: a run killed before it finished is marked `interrupted` by the next one on the
-- same host whose process is gone, instead of staying unfinished forever.
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN status TEXT;
