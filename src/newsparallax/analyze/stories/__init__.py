"""Stories: articles about one real-world event across outlets and languages — fingerprints,
the single-pass clustering and its state in the store."""
