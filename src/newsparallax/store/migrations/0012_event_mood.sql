-- The mood of an event's clause: fact, hypothetical (a possibility, fear, plan or question) or
-- cancelled (called off, failed). Events of the earlier coder are facts.
ALTER TABLE events ADD COLUMN mood TEXT NOT NULL DEFAULT 'fact';
