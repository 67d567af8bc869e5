"""Storage backends; SQLite is the embedded default."""

from akhbar.store.sqlite import AddResult, SearchHit, SqliteStore, StoredArticle, line_hash

__all__ = ["AddResult", "SearchHit", "SqliteStore", "StoredArticle", "line_hash"]
