"""SQLite workspace: schema, records and queries. Knows nothing of NLP, maps or Qt."""
