"""Corpus jobs over the store: stories, the relation index, the timeline, camp comparison, alerts,
the data's clock and statistics, and the refresh that keeps them current after ingest."""
