"""The store: SQLite (embedded, the default) or PostgreSQL, its migrations, the one reading of
stored rows, full-text search and the read queries shared by the CLI, the API and the reports."""
