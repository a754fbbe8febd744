"""The per-article pipeline: a doc passes extract → identify → dates → quality → language →
actors → events → themes → dedupe, each stage a small module here (actors and events are
packages of their own)."""
