-- Mentions and events may sit in the title or the summary as well as the text (feed items and
-- headlines have no body): `field` names which, and offsets are into that field.
ALTER TABLE mentions ADD COLUMN field TEXT NOT NULL DEFAULT 'text';
ALTER TABLE events ADD COLUMN field TEXT NOT NULL DEFAULT 'text';
