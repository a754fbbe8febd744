-- Reports of one real-world event (same type, actors and day) share an instance id.
ALTER TABLE events ADD COLUMN instance TEXT;
CREATE INDEX events_instance ON events(instance);
