"""The live monitor: feeds and the URL frontier, a polite guarded fetcher (robots.txt, per-host
delays, the SSRF guard), WARC archiving and a replay server for offline runs."""
