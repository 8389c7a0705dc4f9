"""Full-text search of what the public can read: the index of posts and pages (`Entry`,
kept in the same transaction as the write), the two engines (SQLite FTS5, PostgreSQL
full-text search), the query language readers type, snippets, spelling suggestions, the
search page, OpenSearch, and the daily counts of what readers searched for."""
